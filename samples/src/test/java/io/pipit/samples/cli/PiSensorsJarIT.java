package io.pipit.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar pipit.jar pi-sensors} as a separate process, off a Pi: the mock platform and the embedded broker. */
class PiSensorsJarIT {
    @TempDir
    Path directory;

    @Test
    void shouldRunTheSimulatedDeviceAndShutDownCleanly() throws Exception {
        JarProcess device = JarProcess.pipit(directory, "pi-sensors", "--mock", "--interval", "500ms",
                "--duration", "4s");

        assertEquals(0, device.exitCode(), device::toString);
        String out = device.stdout();
        assertTrue(out.contains("Pi4J mock platform"), out);
        assertTrue(out.contains("pipit/pi-sensors/bme280/state"), out);
        assertTrue(out.contains("availability            online"), out);
        assertTrue(out.contains("offline"), out);
    }

    @Test
    void shouldPassHelpToTheSample() throws Exception {
        JarProcess help = JarProcess.pipit(directory, "pi-sensors", "--help");

        assertEquals(0, help.exitCode(), help::toString);
        assertTrue(help.stdout().contains("--broker"), help.stdout());
    }

    @Test
    void shouldRefuseAnUnknownOptionInOneLine() throws Exception {
        JarProcess bad = JarProcess.pipit(directory, "pi-sensors", "--frobnicate");

        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad::toString);
        assertEquals(1, bad.stderr().strip().lines().count(), bad.stderr());
    }
}
