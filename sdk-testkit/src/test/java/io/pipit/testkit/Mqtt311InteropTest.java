package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.codec.PacketType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The broker's MQTT 3.1.1 side against Eclipse Paho's 3.1.1 client. */
class Mqtt311InteropTest {
    private final MockBroker broker = MockBroker.start();

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    private MqttClient connect(String clientId, boolean cleanSession, String willTopic) throws MqttException {
        MqttClient c = new MqttClient(broker.uri(), clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(cleanSession);
        if (willTopic != null) {
            o.setWill(willTopic, "bye".getBytes(StandardCharsets.UTF_8), 1, false);
        }
        c.connect(o);
        return c;
    }

    private static void close(MqttClient c) throws MqttException {
        if (c.isConnected()) {
            c.disconnect();
        }
        c.close(true);
    }

    @Test
    void shouldRouteAllQosLevelsRetainedAndWills() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MqttClient sub = connect("sub3", true, null);
        MqttClient pub = connect("pub3", true, "status/pub3");
        try {
            pub.publish("v3/retained", "kept".getBytes(StandardCharsets.UTF_8), 1, true);
            sub.subscribe("v3/#", 2, (topic, m) -> got.add(topic + "=" + new String(m.getPayload(),
                    StandardCharsets.UTF_8) + "@" + m.getQos() + (m.isRetained() ? "r" : "")));
            sub.subscribe("status/#", 1, (topic, m) -> got.add(topic + "=" + new String(m.getPayload(),
                    StandardCharsets.UTF_8)));
            assertEquals("v3/retained=kept@1r", got.poll(5, TimeUnit.SECONDS));
            for (int qos = 0; qos <= 2; qos++) {
                pub.publish("v3/q", ("m" + qos).getBytes(StandardCharsets.UTF_8), qos, false);
                assertEquals("v3/q=m" + qos + "@" + qos, got.poll(5, TimeUnit.SECONDS));
            }
            RecordedPacket connect = broker.awaitReceived("pub3", PacketType.CONNECT);
            assertFalse(connect.mqtt5());
            broker.drop("pub3");
            assertEquals("status/pub3=bye", got.poll(5, TimeUnit.SECONDS));
        } finally {
            close(sub);
            pub.close(true);
        }
    }

    @Test
    void shouldKeepA311SessionAcrossReconnects() throws Exception {
        MqttClient sub = connect("durable3", false, null);
        sub.subscribe("jobs", 1);
        close(sub);
        broker.publish("jobs", "queued", 1, false);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MqttClient again = new MqttClient(broker.uri(), "durable3", new MemoryPersistence());
        again.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                got.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        again.connect(o);
        try {
            assertEquals("queued", got.poll(5, TimeUnit.SECONDS));
            assertTrue(broker.sent("durable3").stream().anyMatch(p -> p.type() == PacketType.CONNACK
                    && p.sessionPresent()));
        } finally {
            close(again);
        }
    }

    @Test
    void shouldMapRefusalsToReturnCodes() throws Exception {
        broker.faults().refuseConnect(0x86);
        MqttException e = org.junit.jupiter.api.Assertions.assertThrows(MqttException.class,
                () -> connect("refused3", true, null));
        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, e.getReasonCode());
        assertNotNull(broker.awaitSent("refused3", PacketType.CONNACK));
    }
}
