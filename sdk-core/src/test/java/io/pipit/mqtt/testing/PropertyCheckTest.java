package io.pipit.mqtt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PropertyCheckTest {
    @Test
    void shouldCheckEdgeCasesFirstThenRandomInputs() {
        final List<Integer> checked = new ArrayList<>();
        PropertyCheck.forAll("any", 7L, List.of(-1, -2), 3, random -> random.nextInt(100), checked::add);
        assertEquals(5, checked.size());
        assertEquals(List.of(-1, -2), checked.subList(0, 2));
        assertTrue(checked.subList(2, 5).stream().allMatch(i -> i >= 0 && i < 100), checked.toString());
    }

    @Test
    void shouldGenerateTheSameInputsFromTheSameSeed() {
        final List<Long> first = new ArrayList<>();
        final List<Long> second = new ArrayList<>();
        final List<Long> otherSeed = new ArrayList<>();
        PropertyCheck.forAll("any", 7L, List.of(), 20, SplittableRandom::nextLong, first::add);
        PropertyCheck.forAll("any", 7L, List.of(), 20, SplittableRandom::nextLong, second::add);
        PropertyCheck.forAll("any", 8L, List.of(), 20, SplittableRandom::nextLong, otherSeed::add);
        assertEquals(first, second);
        assertNotEquals(first, otherSeed);
    }

    @Test
    void shouldNamePropertyCaseSeedAndInputWhenFalsified() {
        final AssertionError error = assertThrows(AssertionError.class, () -> PropertyCheck.forAll("shouldBeSmall",
                7L, List.of(1, 2), 10, random -> 10 + random.nextInt(10), i -> assertTrue(i < 10, "too big")));
        assertEquals("shouldBeSmall falsified by case 3 of 12 (random), seed 7; rerun with -Dpipit.property.seed=7"
                + System.lineSeparator() + "  input: " + inputOfThirdCase(7L)
                + System.lineSeparator() + "  failure: " + error.getCause(), error.getMessage());
        assertTrue(error.getCause().getMessage().startsWith("too big"), error.getCause().getMessage());
    }

    @Test
    void shouldSayWhenAnEdgeCaseFalsifiedAndKeepTheExceptionAsCause() {
        final IllegalStateException thrown = new IllegalStateException("boom");
        final AssertionError error = assertThrows(AssertionError.class, () -> PropertyCheck.forAll("p", 7L,
                List.of("ok", "bad"), 10, random -> "ok", s -> {
                    if (s.equals("bad")) {
                        throw thrown;
                    }
                }));
        assertTrue(error.getMessage().startsWith("p falsified by case 2 of 12 (edge case), seed 7;"),
                error.getMessage());
        assertTrue(error.getMessage().contains("input: bad"), error.getMessage());
        assertSame(thrown, error.getCause());
    }

    @Test
    void shouldTakeTheSeedFromTheSystemPropertyValue() {
        assertEquals(PropertyCheck.DEFAULT_SEED, PropertyCheck.seed(null));
        assertEquals(PropertyCheck.DEFAULT_SEED, PropertyCheck.seed(" "));
        assertEquals(-4210198873307817784L, PropertyCheck.seed("-4210198873307817784"));
        assertEquals(255L, PropertyCheck.seed("0xFF"));
        assertNotEquals(PropertyCheck.seed("random"), PropertyCheck.seed("random"));
        assertThrows(IllegalArgumentException.class, () -> PropertyCheck.seed("seven"));
    }

    @Test
    void shouldListRangeEndsTheirNeighboursAndSmallNumbersAsEdgeInts() {
        assertEquals(List.of(0, 1, 2, 65_534, 65_535), PropertyCheck.edgeInts(0, 65_535));
        assertEquals(List.of(1, 2, 3, 4), PropertyCheck.edgeInts(1, 4));
        assertEquals(List.of(5), PropertyCheck.edgeInts(5, 5));
        assertEquals(List.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -2, -1, 0, 1, 2, Integer.MAX_VALUE - 1,
                Integer.MAX_VALUE), PropertyCheck.edgeInts(Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> PropertyCheck.edgeInts(1, 0));
    }

    @Test
    void shouldDrawStringsOfEveryLengthUpToTheMaximumFromTheAlphabet() {
        final SplittableRandom random = new SplittableRandom(7L);
        final boolean[] lengthSeen = new boolean[4];
        for (int i = 0; i < 200; i++) {
            final String s = PropertyCheck.string(random, "xy", 3);
            lengthSeen[s.length()] = true;
            assertTrue(s.chars().allMatch(c -> c == 'x' || c == 'y'), s);
        }
        assertEquals("[true, true, true, true]", Arrays.toString(lengthSeen));
        assertEquals(" !\"#", PropertyCheck.chars(' ', '#'));
        assertEquals(1, PropertyCheck.chars('\uFFFF', '\uFFFF').length());
    }

    /** The third case of {@link #shouldNamePropertyCaseSeedAndInputWhenFalsified}: its first random one. */
    private static int inputOfThirdCase(long seed) {
        return 10 + new SplittableRandom(seed).nextInt(10);
    }
}
