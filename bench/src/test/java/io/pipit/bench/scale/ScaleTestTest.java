package io.pipit.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scale test's plumbing without a fleet: options, the child's result line, the open-file check, and the
 * results files.
 */
final class ScaleTestTest {
    @Test
    void shouldDefaultToTenThousandDevicesOfEachLibrary() {
        ScaleOptions options = ScaleOptions.parse();

        assertEquals(10_000, options.devices());
        assertEquals(List.of("pipit", "paho", "hivemq"), options.clients());
        assertNull(options.child());
        assertEquals(List.of("--child", "paho", "--broker", "127.0.0.1:1883", "--devices", "10000",
                "--connect-budget-s", "120", "--max-threads", "2000", "--interval-s", "5", "--measure-s", "20",
                "--payload", "64"), options.childArgs("paho", "127.0.0.1:1883"));
    }

    @Test
    void shouldRefuseMistakesNamingTheOption() {
        assertRefused("--clients takes pipit, paho, hivemq: mosquitto", "--clients", "pipit,mosquitto");
        assertRefused("--heap needs a size like 512m or 2g: lots", "--heap", "lots");
        assertRefused("--devices must be 1..1000000: 0", "--devices", "0");
        assertRefused("unknown option '--threads'", "--threads", "2");
    }

    @Test
    void shouldExitWithStatus2ForABadCommandLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = ScaleTest.run(new String[] {"--devices"}, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--devices needs a value"));
    }

    @Test
    void shouldParseTheChildsTabSeparatedResultLine() {
        Map<String, String> result = ScaleTest.parseResult("SCALE\tclient=paho\tconnected=412\tstop=time budget: "
                + "120 s to connect\theapPerClientB=27000");

        assertEquals("paho", result.get("client"));
        assertEquals("time budget: 120 s to connect", result.get("stop"));
        assertEquals(List.of("client", "connected", "stop", "heapPerClientB"), List.copyOf(result.keySet()));
        assertThrows(IllegalArgumentException.class, () -> ScaleTest.parseResult("SCALE\tbroken"));
        assertThrows(IllegalArgumentException.class, () -> ScaleTest.parseResult("pipit: done"));
    }

    /**
     * Judged against this JVM's own open-file limit, whatever the machine's {@code ulimit -n}: a fleet one device too
     * large for it (devices + 1,024 more than the limit) is refused naming the limit to set, the largest that fits is
     * not. On a JVM that cannot tell its limit, nothing is refused.
     */
    @Test
    void shouldNameTheUlimitToRaiseWhenTheFileLimitIsTooLow() {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean)) {
            assertNull(ScaleTest.fileLimitProblem(1_000_000), "no limit known, so nothing to refuse");
            return;
        }
        long limit = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assertTrue(limit - 1_023 <= Integer.MAX_VALUE, "a limit no int fleet can exceed: " + limit);
        int tooMany = (int) Math.max(1, limit - 1_023);
        String problem = ScaleTest.fileLimitProblem(tooMany);

        assertTrue(problem != null && problem.startsWith("the open-file limit (ulimit -n) is " + limit + "; "),
                limit + ": " + problem);
        assertTrue(problem.contains("run `ulimit -n " + (tooMany + 1_024L) + "`"), problem);
        if (limit > 1_024) {
            assertNull(ScaleTest.fileLimitProblem((int) (limit - 1_024)),
                    "the largest fleet the limit " + limit + " allows");
        }
    }

    @Test
    void shouldWriteEveryColumnAndJudgePipitByTheTarget() {
        Map<String, String> pipit = Map.of("client", "pipit", "connected", "10000", "published", "40000",
                "acked", "40000", "ackErrors", "0", "heapPerClientB", "7000", "stop", "none");
        Map<String, String> paho = Map.of("client", "paho", "connected", "500", "stop", "thread cap: 2001 | x");

        String md = ScaleReport.markdown(List.of("Command: `x`"), List.of(pipit, paho));
        String svg = ScaleReport.chart(List.of(pipit, paho), "t", "KB per device", "heapPerClientB", 1024);

        assertTrue(md.contains("| pipit | — | 10000 | none | — | 7000 |"), md);
        assertTrue(md.contains("| paho | — | 500 | thread cap: 2001 / x |"), md);
        assertTrue(svg.startsWith("<svg") && svg.contains("pipit: 7<"), svg);
        assertTrue(ScaleReport.pipitMetTheTarget(List.of(pipit, paho), 10_000));
        assertFalse(ScaleReport.pipitMetTheTarget(List.of(pipit), 20_000));
        assertTrue(ScaleReport.pipitMetTheTarget(List.of(paho), 10_000));
    }

    private static void assertRefused(String message, String... args) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> ScaleOptions.parse(args));
        assertTrue(thrown.getMessage().startsWith(message), thrown.getMessage());
    }
}
