package io.pipit.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.client.MqttClient;
import io.pipit.testkit.MockBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The publisher's bookkeeping: failures are counted and reported, never silent, and never stop the others. */
class TelemetryPublisherTest {
    private final DeviceTopics topics = DeviceTopics.of("pipit", "unit-pi");
    private MockBroker broker;
    private MqttClient client;

    @BeforeEach
    void connect() throws Exception {
        broker = MockBroker.start();
        client = MqttClient.builder().server(broker.uri()).clientId("unit-pi").build();
        client.connect();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        broker.close();
    }

    @Test
    void shouldCountAFailingSensorAndStillPublishTheOthers() {
        TelemetryPublisher publisher = TelemetryPublisher.builder(client, topics)
                .sensor(sensor("broken", values -> {
                    throw new IOException("no answer at 0x76");
                }))
                .sensor(sensor("counter", values -> values[0] = 42))
                .build();

        assertEquals(1, publisher.sampleOnce());

        assertEquals(1, publisher.failedSampleCount());
        assertEquals("{\"value\":42.0}", broker.awaitPublish("pipit/unit-pi/counter/state").payloadAsString());
    }

    @Test
    void shouldCountAPayloadLargerThanTheBufferAsAFailure() {
        TelemetryPublisher publisher = TelemetryPublisher.builder(client, topics)
                .sensor(sensor("wide", values -> values[0] = 123456.7)).payloadCapacity(8).build();

        assertEquals(0, publisher.sampleOnce());

        assertEquals(1, publisher.failedSampleCount());
    }

    @Test
    void shouldRefuseTwoComponentsWithOneId() {
        TelemetryPublisherBuilder builder = TelemetryPublisher.builder(client, topics).sensor(sensor("same", v -> { }));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.sensor(sensor("same", v -> { })));

        assertTrue(e.getMessage().contains("'same'"), e.getMessage());
    }

    @Test
    void shouldShutDownAnUnstartedPublisherAndCloseTheClient() {
        TelemetryPublisher publisher = TelemetryPublisher.builder(client, topics)
                .sensor(sensor("idle", v -> { })).build();

        assertTrue(publisher.shutdown(Duration.ofSeconds(2)));

        assertEquals("offline", broker.awaitPublish("pipit/unit-pi/availability").payloadAsString());
        broker.awaitDisconnected("unit-pi");
    }

    /** What a test sensor does when sampled. */
    private interface Sampling {
        void sample(double[] values) throws IOException;
    }

    private static Sensor sensor(String id, Sampling sampling) {
        List<Channel> channels = List.of(Channel.of("value", null, null, 1));
        return new Sensor() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public List<Channel> channels() {
                return channels;
            }

            @Override
            public void sample(double[] values) throws IOException {
                sampling.sample(values);
            }
        };
    }
}
