package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.transport.WebSocketOptions;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import io.pipit.testkit.MockWebSocketListener;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT over {@code ws://} through the mock broker's WebSocket listener: QoS 0/1/2 both ways, fragmented server
 * messages, pings, and every WebSocket failure with its own reason: a close frame (code and reason), a refused
 * upgrade (status line), a wrong subprotocol, and malformed frames (reserved opcode, masked server frame, 64-bit
 * length overflow, oversized frame).
 */
@MockBrokerTest
final class WebSocketFaultsTest {
    private MockWebSocketListener ws;

    @AfterEach
    void closeListener() {
        if (ws != null) {
            ws.close();
        }
    }

    private ClientProbe probe(MockBroker broker, String clientId) {
        return probe(broker, clientId, b -> { });
    }

    private ClientProbe probe(MockBroker broker, String clientId, Consumer<io.pipit.mqtt.client.MqttClientBuilder> o) {
        if (ws == null) {
            ws = MockWebSocketListener.start(broker);
        }
        return new ClientProbe(broker, ws.uri(), clientId, o);
    }

    @Test
    void shouldPublishAndReceiveAtEveryQosOverWebSocket(MockBroker broker) throws Exception {
        try (ClientProbe sub = probe(broker, "ws-sub").connect(); ClientProbe pub = probe(broker, "ws-pub").connect()) {
            assertEquals(2, sub.subscribe("ws/#", QoS.EXACTLY_ONCE).get(5, TimeUnit.SECONDS));
            long q1 = pub.publish("ws/1", "one", QoS.AT_LEAST_ONCE);
            long q2 = pub.publish("ws/2", "two", QoS.EXACTLY_ONCE);
            pub.publish("ws/0", "zero", QoS.AT_MOST_ONCE);
            assertEquals(ReasonCode.SUCCESS, pub.awaitCompleted(q1));
            assertEquals(ReasonCode.SUCCESS, pub.awaitCompleted(q2));
            assertEquals(List.of("ws/1=one", "ws/2=two", "ws/0=zero"), sub.awaitMessages(3));
            assertEquals(List.of("one", "two", "zero"), pub.publishedPayloads(), "the broker decoded every frame");
        }
    }

    @Test
    void shouldReassembleMessagesFragmentedIntoTinyContinuationFrames(MockBroker broker) throws Exception {
        try (ClientProbe sub = probe(broker, "ws-frag").connect()) {
            ws.fragmentFrames(3);  // SUBACK and every PUBLISH arrive as a binary frame and continuations
            assertEquals(1, sub.subscribe("frag/#", QoS.AT_LEAST_ONCE).get(5, TimeUnit.SECONDS));
            String long1 = "x".repeat(300);
            broker.publish("frag/a", long1, 1, false);
            broker.publish("frag/b", "short", 0, false);
            assertEquals(List.of("frag/a=" + long1, "frag/b=short"), sub.awaitMessages(2));
        }
    }

    @Test
    void shouldAnswerPingsWithPongsAndKeepTheConnection(MockBroker broker) throws Exception {
        try (ClientProbe sub = probe(broker, "ws-ping").connect()) {
            ws.sendPing(new byte[] {1, 2, 3});
            sub.awaitUntil(() -> ws.pongs() >= 1, ClientProbe.TIMEOUT, "a pong");
            assertEquals(1, sub.subscribe("ping/#", QoS.AT_LEAST_ONCE).get(5, TimeUnit.SECONDS));
            assertTrue(sub.disconnects().isEmpty(), sub.describe());
        }
    }

    @Test
    void shouldReportACloseFrameWithItsCodeAndReason(MockBroker broker) throws Exception {
        try (ClientProbe c = probe(broker, "ws-close").connect()) {
            ws.sendClose(1011, "maintenance");
            String detail = c.awaitDisconnects(1).detail;
            assertTrue(detail.contains("CLOSED_BY_SERVER") && detail.contains("1011")
                    && detail.contains("maintenance"), detail);
            c.awaitConnects(2);  // reconnected over WebSocket by itself
        }
    }

    @Test
    void shouldNameAReservedOpcode(MockBroker broker) throws Exception {
        assertMalformed(broker, "ws-op", new byte[] {(byte) 0x83, 0x00}, "BAD_OPCODE");
    }

    @Test
    void shouldNameAMaskedServerFrame(MockBroker broker) throws Exception {
        assertMalformed(broker, "ws-mask", new byte[] {(byte) 0x82, (byte) 0x81, 1, 2, 3, 4, 5}, "MASKED_SERVER_FRAME");
    }

    @Test
    void shouldNameA64BitLengthOverflow(MockBroker broker) throws Exception {
        assertMalformed(broker, "ws-len", new byte[] {(byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1},
                "LENGTH_OVERFLOW");
    }

    @Test
    void shouldNameAFrameLongerThanTheMaximum(MockBroker broker) throws Exception {
        try (ClientProbe c = probe(broker, "ws-big", b -> b.webSocket(WebSocketOptions.builder()
                .maxFrameLength(1024).build())).connect()) {
            ws.sendRaw(new byte[] {(byte) 0x82, 126, 0x08, 0x00});  // announces 2048 bytes
            String detail = c.awaitDisconnects(1).detail;
            assertTrue(detail.contains("FRAME_TOO_LARGE") && detail.contains("2048"), detail);
        }
    }

    private void assertMalformed(MockBroker broker, String clientId, byte[] frame, String reason) throws Exception {
        try (ClientProbe c = probe(broker, clientId).connect()) {
            ws.sendRaw(frame);
            String detail = c.awaitDisconnects(1).detail;
            assertTrue(detail.contains(reason), detail);
        }
    }

    @Test
    void shouldShowTheStatusLineOfARefusedUpgrade(MockBroker broker) {
        ws = MockWebSocketListener.start(broker).refuseUpgrade(403, "Forbidden");
        ClientProbe c = probe(broker, "ws-refused", b -> b.automaticReconnect(false));
        MqttException e = assertThrows(MqttException.class, c.client::connect);
        assertTrue(e.getMessage().contains("UPGRADE_FAILED") && e.getMessage().contains("HTTP/1.1 403 Forbidden"),
                e.getMessage());
    }

    @Test
    void shouldRefuseAnotherSubprotocolThanTheOneAskedFor(MockBroker broker) {
        ws = MockWebSocketListener.start(broker).answerSubprotocol("mqttv3.1");
        ClientProbe c = probe(broker, "ws-proto", b -> b.automaticReconnect(false));
        MqttException e = assertThrows(MqttException.class, c.client::connect);
        assertTrue(e.getMessage().contains("WRONG_SUBPROTOCOL") && e.getMessage().contains("mqttv3.1"),
                e.getMessage());
    }

    @Test
    void shouldSendTheCustomHeadersAndPathAndReachTheBroker(MockBroker broker) throws Exception {
        ws = MockWebSocketListener.start(broker).path("/custom?token=1");
        String uri = "ws://127.0.0.1:" + ws.port() + "/custom?token=1";
        try (ClientProbe c = new ClientProbe(broker, uri, "ws-path", b -> b.webSocket(WebSocketOptions.builder()
                .header("Authorization", "Bearer abc").build())).connect()) {
            assertEquals(1, c.subscribe("p/#", QoS.AT_LEAST_ONCE).get(5, TimeUnit.SECONDS));
        }
    }
}
