package io.pipit.mqtt.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.ConnectEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Embedded Moquette: MQTT 3.1.1 works, and an MQTT 5 CONNECT is refused with "unacceptable protocol version". */
class MoquetteBrokerTest {
    private static MoquetteBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = MoquetteBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldRouteAMessageWithPahoV3() throws Exception {
        final BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
        final MqttClient paho = new MqttClient(broker.uri(), "moquette-self-test", new MemoryPersistence());
        try {
            final MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            paho.connect(options);
            paho.subscribe("pipit/moquette", 1,
                    (topic, message) -> received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
            paho.publish("pipit/moquette", "hello moquette".getBytes(StandardCharsets.UTF_8), 1, false);

            assertEquals("hello moquette", received.poll(10, TimeUnit.SECONDS));
        } finally {
            if (paho.isConnected()) {
                paho.disconnect();
            }
            paho.close();
        }
    }

    @Test
    void shouldAcceptCodecEncodedMqtt311Connect() throws Exception {
        try (RawMqttConnection raw = new RawMqttConnection(broker.host(), broker.port())) {
            raw.send(encode(new ConnectEncoder().version(ProtocolVersion.MQTT_3_1_1).clientId("moquette-raw-v3")));

            assertArrayEquals(new byte[] {
                0x20, 0x02,  // CONNACK, remaining length 2
                0x00,        // no session present
                0x00,        // return code 0: accepted
            }, raw.receivePacket());
        }
    }

    /**
     * What the client's 3.1.1 fallback meets: Moquette 0.17 parses the v5 CONNECT (Netty's codec) and refuses it
     * with the 3.1.1 return code 0x01 in a v5-shaped CONNACK (a properties length follows), then closes. 0x01
     * is no MQTT 5 reason code (that would be 0x84), so a strict v5 decoder calls it malformed: the client
     * must treat reason byte 0x01 or 0x84 in the CONNACK to its v5 CONNECT as "unsupported version".
     */
    @Test
    void shouldRefuseMqtt5ConnectWithReturnCodeOneInAV5ShapedConnack() throws Exception {
        try (RawMqttConnection raw = new RawMqttConnection(broker.host(), broker.port())) {
            raw.send(encode(new ConnectEncoder().clientId("moquette-raw-v5")));

            assertArrayEquals(new byte[] {
                0x20, 0x03,  // CONNACK, remaining length 3
                0x00,        // no session present
                0x01,        // 3.1.1 return code 1: unacceptable protocol version
                0x00,        // properties length 0 (MQTT 5 layout)
            }, raw.receivePacket());
            assertNull(raw.receivePacket(), "the broker closes after refusing");
        }
    }

    private static ByteBuffer encode(ConnectEncoder connect) {
        final ByteBuffer out = ByteBuffer.allocate(connect.encodedLength());
        connect.encode(out);
        return out.flip();
    }
}
