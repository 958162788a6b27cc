package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client against a real mosquitto on loopback. */
@ExtendWith(MosquittoPerClass.class)
class MqttClientMosquittoTest {
    private static MosquittoBroker broker;

    @BeforeAll
    static void useBroker(MosquittoBroker perClass) {
        broker = perClass;
    }

    private static MqttClientBuilder client(String id) {
        return MqttClient.builder().server(broker.uri()).clientId(id).connectTimeout(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldRoundTripEveryQosThroughTheBroker() throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch arrived = new CountDownLatch(3);
        List<Integer> completions = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch completed = new CountDownLatch(3);
        try (MqttClient subscriber = client("sub-qos").build();
                MqttClient publisher = client("pub-qos").publishListener((seq, code) -> {
                    completions.add(code);
                    completed.countDown();
                }).build()) {
            subscriber.connect();
            int granted = subscriber.subscribe("qos/#", QoS.EXACTLY_ONCE, message -> {
                received.add(message.topic() + "=" + message.payloadAsString() + "@" + message.qos());
                arrived.countDown();
            }).get(5, TimeUnit.SECONDS);
            assertEquals(2, granted);
            publisher.connect();
            for (QoS qos : QoS.values()) {
                byte[] payload = ("m" + qos.value()).getBytes(StandardCharsets.UTF_8);
                publisher.publish(Topic.of("qos/" + qos.value()), payload, 0, payload.length, qos);
            }
            assertTrue(arrived.await(5, TimeUnit.SECONDS), "received only " + received);
            assertTrue(completed.await(5, TimeUnit.SECONDS), "completed only " + completions);
        }
        assertEquals(List.of("qos/0=m0@0", "qos/1=m1@1", "qos/2=m2@2"), received);
        assertEquals(List.of(0, 0, 0), completions);
    }

    @Test
    void shouldReceiveRetainedMessageOnSubscribe() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        try (MqttClient publisher = client("pub-retained").build();
                MqttClient subscriber = client("sub-retained").build()) {
            publisher.connect();
            byte[] payload = "on".getBytes(StandardCharsets.UTF_8);
            publisher.publish(Topic.of("retained/lamp"), payload, 0, payload.length, QoS.AT_LEAST_ONCE, true);
            publisher.disconnect();
            subscriber.connect();
            subscriber.subscribe("retained/+", QoS.AT_LEAST_ONCE, message -> {
                received.add(message.topic() + "=" + message.payloadAsString() + " retain=" + message.retain());
                arrived.countDown();
            }).get(5, TimeUnit.SECONDS);
            assertTrue(arrived.await(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of("retained/lamp=on retain=true"), received);
    }

    @Test
    void shouldReportTheNegotiatedVersion() throws Exception {
        try (MqttClient client = client("versioned").requestInformation(true, true).build()) {
            client.connect();
            assertEquals(io.pipit.mqtt.ProtocolVersion.MQTT_5, client.protocolVersion());
            assertEquals(null, client.responseInformation(), "mosquitto 2.0 gives no Response Information");
        }
    }

    @Test
    void shouldFailConnectToAClosedPortWithAClearError() {
        MqttClient client = MqttClient.builder().server("mqtt://127.0.0.1:1").clientId("nobody")
                .connectTimeout(2, TimeUnit.SECONDS).build();
        MqttException e = assertThrows(MqttException.class, client::connect);
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
        assertDoesNotThrowOnClose(client);
    }

    private static void assertDoesNotThrowOnClose(MqttClient client) {
        try {
            client.close();
        } catch (MqttException e) {
            throw new AssertionError("close failed", e);
        }
    }
}
