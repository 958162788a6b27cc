package io.pipit.mqtt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared embedded HiveMQ CE: MQTT 5 over TCP and WebSocket, one broker for the whole run. */
@ExtendWith(HiveMqBroker.Extension.class)
class HiveMqBrokerTest {
    private final HiveMqBroker broker;

    HiveMqBrokerTest(HiveMqBroker broker) {
        this.broker = broker;  // constructor injection works too: JUnit resolves it like a method parameter
    }

    @Test
    void shouldRouteAMessageOverTcpWithPahoV5(TestInfo test) throws Exception {
        final String topic = "pipit/" + test.getDisplayName();
        try (PahoProbe paho = new PahoProbe(broker.uri(), "hivemq-tcp-self-test")) {
            paho.connect().subscribe(topic, 1).publish(topic, "hello hivemq", 1);

            assertEquals("hello hivemq", paho.awaitMessage());
        }
    }

    @Test
    void shouldRouteAMessageOverWebSocketWithPahoV5(TestInfo test) throws Exception {
        final String topic = "pipit/" + test.getDisplayName();
        try (PahoProbe paho = new PahoProbe(broker.websocketUri(), "hivemq-ws-self-test")) {
            paho.connect().subscribe(topic, 1).publish(topic, "hello over websocket", 1);

            assertEquals("hello over websocket", paho.awaitMessage());
        }
    }

    @Test
    void shouldAnswerCodecEncodedConnectOverTcpTransport() throws Exception {
        try (RawMqttConnection raw = new RawMqttConnection(broker.host(), broker.port())) {
            final ConnectEncoder connect = new ConnectEncoder().clientId("hivemq-raw-v5");
            final ByteBuffer out = ByteBuffer.allocate(connect.encodedLength());
            connect.encode(out);
            raw.send(out.flip());

            final byte[] connack = raw.receivePacket();
            assertNotNull(connack);
            final PacketDecoder decoder = new PacketDecoder(ProtocolVersion.MQTT_5, FixedHeader.MAX_PACKET_SIZE);
            assertEquals(connack.length, decoder.decode(ByteBuffer.wrap(connack), 0, connack.length));
            assertEquals(PacketType.CONNACK, decoder.type());
            assertEquals(0x00, decoder.connack().reasonCode(), "Success");
        }
    }

    @Test
    void shouldShareOneBrokerAcrossTests(HiveMqBroker parameter) {
        assertSame(broker, parameter);
    }
}
