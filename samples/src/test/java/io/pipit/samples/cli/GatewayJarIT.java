package io.pipit.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job as a newcomer runs it: {@code java -jar pipit.jar gateway}, a separate process, embedded broker. */
class GatewayJarIT {
    @TempDir
    Path directory;

    @Test
    void shouldRunFiveSecondsAndLoseNothing() throws Exception {
        JarProcess gateway = JarProcess.pipit(directory, "gateway", "--duration", "5s");

        assertEquals(0, gateway.exitCode(), gateway::toString);
        String out = gateway.stdout();
        Matcher published = Pattern.compile("published (\\d+), confirmed by the broker (\\d+)").matcher(out);
        assertTrue(published.find(), out);
        assertTrue(Long.parseLong(published.group(1)) > 0, out);
        assertEquals(published.group(1), published.group(2), out);
        assertTrue(out.contains("duplicates 0, lost 0"), out);
        // status lines each second, as plain lines when not on a terminal
        assertTrue(Pattern.compile("\n +[0-9]+\\.[0-9] s  connected .* dropped 0  reconnects 0\n").matcher(out).find(),
                out);
        assertEquals("", gateway.stderr());
    }

    @Test
    void shouldPublishThroughAFileQueueAndFindItEmptyOnTheNextRun() throws Exception {
        Path queue = directory.resolve("queue");
        for (int run = 0; run < 2; run++) {
            JarProcess gateway = JarProcess.pipit(directory, "gateway", "--duration", "2s", "--qos", "1",
                    "--queue", queue.toString());

            assertEquals(0, gateway.exitCode(), gateway::toString);
            String out = gateway.stdout();
            // every message of the first run was confirmed, so the second finds nothing left over
            assertTrue(out.contains("file queue: recovered 0 messages (0 in flight)"), out);
            assertTrue(out.contains("duplicates 0, lost 0"), out);
        }
    }
}
