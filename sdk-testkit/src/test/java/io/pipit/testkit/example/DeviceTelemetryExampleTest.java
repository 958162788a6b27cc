package io.pipit.testkit.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import io.pipit.testkit.RecordedPacket;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * A test to copy into your project: your device code publishes, the mock broker records, the test asserts.
 * Replace {@link TemperatureReporter} (which here uses Eclipse Paho) with your own code under test.
 */
@MockBrokerTest
class DeviceTelemetryExampleTest {

    /** The "application code" under test: reports a temperature reading over MQTT. */
    static final class TemperatureReporter {
        private final MqttClient client;
        private final String deviceId;

        TemperatureReporter(String serverUri, String deviceId) throws Exception {
            this.deviceId = deviceId;
            this.client = new MqttClient(serverUri, deviceId, new MemoryPersistence());
            client.connect(new MqttConnectionOptions());
        }

        void report(double celsius) throws Exception {
            client.publish("tele/" + deviceId + "/temp", String.valueOf(celsius).getBytes(StandardCharsets.UTF_8),
                    1, false);
        }

        void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    @Test
    void shouldPublishReadingsAtQos1(MockBroker broker) throws Exception {
        TemperatureReporter reporter = new TemperatureReporter(broker.uri(), "sensor-42");
        reporter.report(21.5);

        RecordedPacket publish = broker.awaitPublish("tele/+/temp");
        assertEquals("tele/sensor-42/temp", publish.topic());
        assertEquals("21.5", publish.payloadAsString());
        assertEquals(1, publish.qos());
        reporter.close();
    }

    @Test
    void shouldSurviveABrokerThatNeverAcknowledges(MockBroker broker) throws Exception {
        broker.faults("sensor-7").withhold(PacketType.PUBACK);
        TemperatureReporter reporter = new TemperatureReporter(broker.uri(), "sensor-7");
        reporter.client.setTimeToWait(500);  // your code decides what a missing PUBACK means
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> reporter.report(19.0));
        assertEquals(1, broker.received("sensor-7").stream().filter(p -> p.type() == PacketType.PUBLISH).count());
        reporter.client.disconnectForcibly(0, 0, false);
        reporter.client.close(true);
    }
}
