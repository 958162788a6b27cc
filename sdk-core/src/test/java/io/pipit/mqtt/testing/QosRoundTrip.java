package io.pipit.mqtt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Messages at QoS 0, 1 and 2 both ways through a broker, with a payload too long for a 16-bit WebSocket length:
 * what a transport test runs to show MQTT travels over it. Stateless; the waits are bounded.
 */
public final class QosRoundTrip {
    private static final int LONG_PAYLOAD = 100_000;

    private QosRoundTrip() {
    }

    /**
     * Connects both clients; the subscriber takes {@code topic/#} at QoS 2, the publisher sends one message at each
     * QoS and a long one; each arrives at the QoS it was sent with, payload intact, and every publish completes.
     */
    public static void everyQos(MqttClientBuilder subscriberBuilder, MqttClientBuilder publisherBuilder, String topic)
            throws Exception {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(8);
        BlockingQueue<Integer> completed = new ArrayBlockingQueue<>(8);
        try (MqttClient subscriber = subscriberBuilder.build();
                MqttClient publisher = publisherBuilder.publishListener((sequence, code) -> completed.add(code))
                        .build()) {
            subscriber.connect();
            subscriber.subscribe(topic + "/#", QoS.EXACTLY_ONCE, message -> received.add(message.topic() + " qos "
                    + message.qos() + " " + (message.payloadLength() > 100 ? message.payloadLength() + " bytes"
                    : message.payloadAsString()))).get(5, TimeUnit.SECONDS);
            publisher.connect();
            List<String> expected = new ArrayList<>();
            for (QoS qos : QoS.values()) {
                publisher.publish(topic + "/" + qos.value(), ("qos " + qos.value()).getBytes(StandardCharsets.UTF_8),
                        qos);
                expected.add(topic + "/" + qos.value() + " qos " + qos.value() + " qos " + qos.value());
            }
            byte[] longPayload = new byte[LONG_PAYLOAD];
            Arrays.fill(longPayload, (byte) 'x');
            publisher.publish(topic + "/long", longPayload, QoS.AT_LEAST_ONCE);
            expected.add(topic + "/long qos 1 " + LONG_PAYLOAD + " bytes");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                String message = received.poll(10, TimeUnit.SECONDS);
                if (message != null) {
                    got.add(message);
                }
            }
            Collections.sort(expected);
            Collections.sort(got);  // a broker orders messages per topic only
            assertEquals(expected, got, "messages received");
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(Integer.valueOf(0), completed.poll(10, TimeUnit.SECONDS), "publish " + i + " completed");
            }
        }
    }
}
