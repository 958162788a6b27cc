package io.pipit.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The command line documented in bench/README.md parses to what it says, and a mistake is refused with a message
 * naming the option (exit status 2) before any broker starts or any benchmark runs.
 */
final class BenchOptionsTest {
    @Test
    void shouldUseTheDocumentedDefaults() {
        BenchOptions options = BenchOptions.parse();

        assertNull(options.broker());
        assertEquals("pipit", options.client());
        assertEquals(0, options.qos());
        assertEquals(500_000, options.messages());
        assertEquals(200_000, options.warmup());
        assertEquals(64, options.payload());
        assertEquals(0, options.maxInflight());
        assertEquals(2_000, options.quietMs());
        assertEquals(300, options.timeoutSeconds());
        assertFalse(options.help());
    }

    @Test
    void shouldParseTlsAndRefuseItWhereItCannotApply() {
        assertNull(BenchOptions.parse().tls());
        assertEquals("bc", BenchOptions.parse("--tls", "bc", "--qos", "1").tls());
        assertEquals("jdk", BenchOptions.parse("--tls", "jdk", "--broker", "mqtts://127.0.0.1:8883").tls());
        assertRefused("--tls must be one of jdk, bc", "--tls", "openssl");
        assertRefused("--client raw runs plaintext only", "--client", "raw", "--tls", "jdk");
        assertRefused("--broker ssl://127.0.0.1:8883 is a TLS URI: add --tls", "--broker", "ssl://127.0.0.1:8883");
        assertRefused("--broker mqtt://127.0.0.1:1883 is plaintext: --tls needs an mqtts:// broker", "--broker",
                "mqtt://127.0.0.1:1883", "--tls", "jdk");
    }

    @Test
    void shouldParseEveryOption() {
        BenchOptions options = BenchOptions.parse("--broker", "mqtt://127.0.0.1:1883", "--qos", "1", "--messages",
                "1_000_000", "--warmup", "0", "--payload", "256", "--max-inflight", "64", "--quiet-ms", "500",
                "--timeout-s", "60", "--help");

        assertEquals("mqtt://127.0.0.1:1883", options.broker());
        assertEquals(1, options.qos());
        assertEquals(1_000_000, options.messages());
        assertEquals(0, options.warmup());
        assertEquals(256, options.payload());
        assertEquals(64, options.maxInflight());
        assertEquals(500, options.quietMs());
        assertEquals(60, options.timeoutSeconds());
        assertTrue(options.help());
    }

    @Test
    void shouldRunTheRawReferenceAtEveryQos() {
        for (String qos : new String[] {"0", "1", "2"}) {
            BenchOptions options = BenchOptions.parse("--client", "raw", "--qos", qos);

            assertEquals("raw", options.client());
            assertEquals(Integer.parseInt(qos), options.qos());
        }
    }

    @Test
    void shouldRefuseMistakesNamingTheOption() {
        assertRefused("unknown option '--speed'", "--speed", "9");
        assertRefused("--messages needs a value", "--messages");
        assertRefused("--qos must be one of 0, 1, 2: 3", "--qos", "3");
        assertRefused("--payload must be 9..65536: 8", "--payload", "8");
        assertRefused("--messages needs a whole number: many", "--messages", "many");
        assertRefused("--broker needs mqtt://host:port or tcp://host:port (mqtts:// or ssl:// with --tls), port "
                + "included: mqtt://localhost",
                "--broker", "mqtt://localhost");
    }

    @Test
    void shouldExitWithStatus2AndUsageForABadCommandLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = EndToEndBenchmark.run(new String[] {"--qos", "3"}, new PrintStream(out, true, "UTF-8"),
                new PrintStream(err, true, "UTF-8"));

        assertEquals(2, status);
        assertEquals(0, out.size());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: java -cp bench/target/benchmarks.jar"));
    }

    private static void assertRefused(String expectedStart, String... args) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args));
        assertTrue(thrown.getMessage().startsWith(expectedStart), thrown.getMessage());
    }
}
