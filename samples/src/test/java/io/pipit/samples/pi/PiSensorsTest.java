package io.pipit.samples.pi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** pi-sensors runs off a Pi: mock platform, embedded broker, a clean shutdown and exit status 0. */
class PiSensorsTest {
    @Test
    void shouldRunOnTheMockPlatformAgainstTheEmbeddedBrokerAndShutDownCleanly() throws Exception {
        assertEquals(0, PiSensors.run("--mock", "--duration", "4s", "--interval", "500ms", "--device", "test-pi"));
    }

    @Test
    void shouldRefuseBadOptionsWithStatus2() throws Exception {
        assertEquals(2, PiSensors.run("--duration", "soon"));
        assertEquals(2, PiSensors.run("--bogus", "1"));
        assertEquals(2, PiSensors.run("--device"));
    }

    @Test
    void shouldParseEveryOption() {
        PiSensorsOptions o = PiSensorsOptions.parse("--broker", "mqtt://10.0.0.2:1883", "--device", "attic",
                "--prefix", "home/pis", "--mock", "--interval", "1m", "--duration", "0");

        assertEquals("mqtt://10.0.0.2:1883", o.broker);
        assertEquals("attic", o.device);
        assertEquals("home/pis", o.prefix);
        assertTrue(o.mock);
        assertEquals(Duration.ofMinutes(1), o.interval);
        assertEquals(Duration.ZERO, o.duration);
        assertThrows(IllegalArgumentException.class, () -> PiSensorsOptions.parse("--interval", "0"));
    }
}
