package io.pipit.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison's command line: defaults that fit the documented run, and mistakes named. */
final class ComparisonOptionsTest {
    @Test
    void shouldDefaultToTheDocumentedComparison() {
        ComparisonOptions options = ComparisonOptions.parse();

        assertEquals(Path.of("bench/results"), options.out());
        assertEquals(3, options.runs());
        assertEquals(List.of(0, 1, 2), options.qos());
        assertEquals(List.of(64, 1024), options.payloads());
        assertEquals(100_000, options.messages());
    }

    @Test
    void shouldParseListsAndNumbers() {
        ComparisonOptions options = ComparisonOptions.parse("--qos", "1", "--payloads", "64, 512", "--runs", "5",
                "--rate", "1_000", "--latency-messages", "300", "--warmup", "0", "--out", "/tmp/x", "--help");

        assertEquals(List.of(1), options.qos());
        assertEquals(List.of(64, 512), options.payloads());
        assertEquals(5, options.runs());
        assertEquals(1_000, options.rate());
        assertEquals(300, options.latencyMessages());
        assertEquals(0, options.warmup());
        assertEquals(Path.of("/tmp/x"), options.out());
        assertTrue(options.help());
    }

    @Test
    void shouldRefuseMistakesNamingTheOption() {
        assertRefused("--qos must be 0..2: 3", "--qos", "0,3");
        assertRefused("--payloads must be 9..65536: 8", "--payloads", "8");
        assertRefused("--runs needs a value", "--runs");
        assertRefused("unknown option '--clients'", "--clients", "paho");
        assertRefused("--messages needs a whole number: lots", "--messages", "lots");
    }

    private static void assertRefused(String message, String... args) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> ComparisonOptions.parse(args));
        assertTrue(thrown.getMessage().startsWith(message), thrown.getMessage());
    }
}
