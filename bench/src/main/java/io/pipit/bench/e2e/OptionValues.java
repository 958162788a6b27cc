package io.pipit.bench.e2e;

import java.util.function.BiConsumer;

/**
 * Command-line plumbing the benchmark mains share: walking {@code --name value} pairs and checking whole numbers.
 * Stateless, so thread-safe.
 */
public final class OptionValues {
    private OptionValues() {
    }

    /**
     * Hands each {@code --name value} pair to {@code set}, and {@code --help}/{@code -h} to {@code help}.
     *
     * @throws IllegalArgumentException for an option without a value, or what {@code set} throws
     */
    public static void walk(String[] args, Runnable help, BiConsumer<String, String> set) {
        for (int i = 0; i < args.length; i++) {
            if ("--help".equals(args[i]) || "-h".equals(args[i])) {
                help.run();
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i].startsWith("--") ? args[i] + " needs a value"
                        : "unexpected argument '" + args[i] + "'");
            } else {
                set.accept(args[i], args[++i]);
            }
        }
    }

    /**
     * @return {@code value} as an int within {@code min..max}; underscores are allowed as in Java literals
     * @throws IllegalArgumentException naming the option when it is not a whole number or out of range
     */
    public static int number(String name, String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number: " + value, e);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
        }
        return parsed;
    }
}
