package io.pipit.samples.pi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.testkit.MockBroker;
import io.pipit.testkit.RecordedPacket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * pi-sensors off a Pi, end to end: the mock platform's simulated BME280 and button, published through a broker
 * given by {@code --broker}, where the readings, the Home Assistant configs, the button's presses, the LED commands
 * and states and the availability must all show up; then a clean shutdown and exit status 0.
 */
class PiSensorsTest {
    private static final String BASE = "pipit/test-pi/";

    @Test
    void shouldPublishTheSimulatedDeviceThroughTheGivenBrokerAndShutDownCleanly() throws Exception {
        try (MockBroker broker = MockBroker.start()) {
            assertEquals(0, PiSensors.run("--mock", "--broker", broker.uri(), "--device", "test-pi",
                    "--duration", "5s", "--interval", "500ms")); // the simulated finger presses at 3 s

            List<RecordedPacket> readings = broker.awaitPublishes(BASE + "bme280/state", 5);
            assertTrue(readings.get(0).payloadAsString().matches(
                    "\\{\"temperature\":2\\d\\.\\d\\d,\"humidity\":\\d\\d\\.\\d\\d,\"pressure\":1\\d{3}\\.\\d\\d}"),
                    readings.get(0).payloadAsString());
            assertTrue(broker.awaitPublish("homeassistant/sensor/test-pi/bme280_humidity/config").retain());
            broker.awaitPublish("homeassistant/switch/test-pi/led/config");
            assertEquals("{\"state\":\"ON\",\"count\":1}",
                    broker.awaitPublish(BASE + "button/event").payloadAsString());
            assertEquals("TOGGLE", broker.awaitPublish(BASE + "led/set").payloadAsString(), "the watcher's command");
            List<RecordedPacket> led = broker.awaitPublishes(BASE + "led/state", 2);
            assertEquals("ON", led.get(1).payloadAsString());
            List<RecordedPacket> availability = broker.awaitPublishes(BASE + "availability", 2);
            assertEquals("online", availability.get(0).payloadAsString());
            assertEquals("offline", availability.get(1).payloadAsString());
        }
    }

    @Test
    void shouldRunAgainstTheEmbeddedBrokerByDefault() throws Exception {
        assertEquals(0, PiSensors.run("--mock", "--duration", "1s", "--interval", "200ms"));
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
