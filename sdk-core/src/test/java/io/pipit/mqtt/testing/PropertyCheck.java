package io.pipit.mqtt.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Checks a property of generated inputs from a seed, inside an ordinary JUnit test: the edge cases first, then
 * random inputs. The same seed gives the same inputs, so every build checks the same cases and a failure
 * reproduces; the failure names the property, the seed, the case and its input.
 *
 * <p>The seed is {@link #DEFAULT_SEED} unless the system property {@value #SEED_PROPERTY} names another
 * (decimal, or hex as {@code 0x…}), or says {@code random} for a new one for each property, which the failure
 * then names. Surefire passes it on from the command line:
 * <pre>
 * mvn -pl sdk-core test -Dtest='PacketPropertiesTest' -Dpipit.property.seed=random
 * mvn -pl sdk-core test -Dtest='PacketPropertiesTest#shouldReencodeGeneratedPacketsByteIdentically' \
 *     -Dpipit.property.seed=-1926749610260044491
 * </pre>
 * One seed serves every property of a run, so rerun the failed one alone with the seed it printed.
 *
 * <p>Stateless, so thread-safe; a check runs its generator and property on the calling thread. Edge cases draw no
 * random numbers, so the random inputs of a seed stay the same when edge cases are added.
 */
public final class PropertyCheck {
    /** The system property that overrides {@link #DEFAULT_SEED}. */
    public static final String SEED_PROPERTY = "pipit.property.seed";
    /** Fixed, so that a property that passed once keeps passing until the code under test changes. */
    public static final long DEFAULT_SEED = 42L;

    private PropertyCheck() {
    }

    /** Makes one input from the random numbers it draws and nothing else (no clock, no shared state). */
    @FunctionalInterface
    public interface Generator<T> {
        T next(SplittableRandom random);
    }

    /**
     * Runs {@code property} on each of {@code edgeCases}, then on {@code randomTries} inputs of {@code generator}.
     *
     * @param name what the failure message calls the property, usually the test method's name
     * @param property throws an {@link AssertionError} (or any runtime exception) when an input falsifies it
     * @throws AssertionError on the first input that falsifies the property, naming the seed, the case (numbered
     *         from 1, edge cases first) and the input (its {@code toString}, so give an input of several parts as
     *         a record); the original failure is its cause
     */
    public static <T> void forAll(String name, List<? extends T> edgeCases, int randomTries, Generator<T> generator,
            Consumer<? super T> property) {
        forAll(name, seed(System.getProperty(SEED_PROPERTY)), edgeCases, randomTries, generator, property);
    }

    /** {@link #forAll(String, List, int, Generator, Consumer)} from the given seed, whatever the system says. */
    public static <T> void forAll(String name, long seed, List<? extends T> edgeCases, int randomTries,
            Generator<T> generator, Consumer<? super T> property) {
        final int caseCount = edgeCases.size() + randomTries;
        for (int i = 0; i < edgeCases.size(); i++) {
            check(name, seed, i + 1, caseCount, "edge case", edgeCases.get(i), property);
        }
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = edgeCases.size(); i < caseCount; i++) {
            check(name, seed, i + 1, caseCount, "random", generator.next(random), property);
        }
    }

    private static <T> void check(String name, long seed, int caseNumber, int caseCount, String kind, T input,
            Consumer<? super T> property) {
        try {
            property.accept(input);
        } catch (AssertionError | RuntimeException failure) {
            throw new AssertionError(String.format("%s falsified by case %d of %d (%s), seed %d;"
                    + " rerun with -D%s=%d%n  input: %s%n  failure: %s",
                    name, caseNumber, caseCount, kind, seed, SEED_PROPERTY, seed, input, failure), failure);
        }
    }

    /** @return the seed that {@code configured}, the value of {@link #SEED_PROPERTY} or null, asks for */
    static long seed(String configured) {
        if (configured == null || configured.trim().isEmpty()) {
            return DEFAULT_SEED;
        }
        if (configured.trim().equals("random")) {
            return new SplittableRandom().nextLong();  // the no-argument constructor picks a new seed each call
        }
        try {
            return Long.decode(configured.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED_PROPERTY + " must be a long or \"random\", not " + configured, e);
        }
    }

    /**
     * The edge cases of the whole numbers from {@code min} to {@code max}, where off-by-one mistakes live: both
     * ends, their neighbours, and -2 to 2 where in range; ascending, without repeats.
     */
    public static List<Integer> edgeInts(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range " + min + ".." + max);
        }
        final TreeSet<Integer> edges = new TreeSet<>();
        for (long candidate : new long[] {min, (long) min + 1, -2, -1, 0, 1, 2, (long) max - 1, max}) {
            if (candidate >= min && candidate <= max) {
                edges.add((int) candidate);
            }
        }
        return new ArrayList<>(edges);
    }

    /** @return a string of 0 to {@code maxLength} characters (uniformly many) each drawn from {@code alphabet} */
    public static String string(SplittableRandom random, String alphabet, int maxLength) {
        final int length = random.nextInt(maxLength + 1);
        final StringBuilder string = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            string.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return string.toString();
    }

    /** @return the characters from {@code first} to {@code last}, for {@link #string}'s alphabet */
    public static String chars(char first, char last) {
        final StringBuilder chars = new StringBuilder(last - first + 1);
        for (int c = first; c <= last; c++) {  // an int, so that last = U+FFFF ends the loop
            chars.append((char) c);
        }
        return chars.toString();
    }
}
