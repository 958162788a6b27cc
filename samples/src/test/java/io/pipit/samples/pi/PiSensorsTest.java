package io.pipit.samples.pi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.testkit.MockBroker;
import io.pipit.testkit.RecordedPacket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * pi-sensors off a Pi, end to end: the mock platform's simulated BME280 and button, published through a broker
 * given by {@code --broker}, where the readings, the Home Assistant configs, the button's presses, the LED commands
 * and states and the availability must all show up; then a clean shutdown and exit status 0.
 */
class PiSensorsTest {
    private static final String BASE = "pipit/test-pi/";
    /** Generous: a failure bound only, on a loaded 2-core CI box. */
    private static final Duration AWAIT = Duration.ofSeconds(60);

    @Test
    void shouldPublishTheSimulatedDeviceThroughTheGivenBrokerAndShutDownCleanly() throws Exception {
        ExecutorService runner = Executors.newSingleThreadExecutor();
        CountDownLatch stop = new CountDownLatch(1);
        try (MockBroker broker = MockBroker.builder().awaitTimeout(AWAIT).start()) {
            // runs until stopped: each step below is awaited (the simulated finger presses every 3 s)
            Future<Integer> device = runner.submit(() -> PiSensors.run(stop, "--mock", "--broker", broker.uri(),
                    "--device", "test-pi", "--duration", "0", "--interval", "500ms"));
            try {
                List<RecordedPacket> readings = broker.awaitPublishes(BASE + "bme280/state", 5);
                assertTrue(readings.get(0).payloadAsString().matches(
                        "\\{\"temperature\":2\\d\\.\\d\\d,\"humidity\":\\d\\d\\.\\d\\d,\"pressure\":1\\d{3}\\.\\d\\d}"),
                        readings.get(0).payloadAsString());
                assertTrue(broker.awaitPublish("homeassistant/sensor/test-pi/bme280_humidity/config").retain());
                broker.awaitPublish("homeassistant/switch/test-pi/led/config");
                assertEquals("{\"state\":\"ON\",\"count\":1}",
                        broker.awaitPublish(BASE + "button/event").payloadAsString());
                assertEquals("TOGGLE", broker.awaitPublish(BASE + "led/set").payloadAsString(),
                        "the watcher's command");
                List<RecordedPacket> led = broker.awaitPublishes(BASE + "led/state", 2);
                assertEquals("ON", led.get(1).payloadAsString());
            } finally {
                stop.countDown(); // also after a failed step: the device shuts down as at the end of --duration
            }

            assertEquals(0, device.get(AWAIT.toSeconds(), TimeUnit.SECONDS));
            List<RecordedPacket> availability = broker.awaitPublishes(BASE + "availability", 2);
            assertEquals("online", availability.get(0).payloadAsString());
            assertEquals("offline", availability.get(1).payloadAsString());
        } finally {
            runner.shutdownNow();
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
