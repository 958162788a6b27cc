package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A message larger than the client's Maximum Packet Size, against the pipit client. MQTT 3.1.1 cannot announce
 * the limit, so the broker sends it: the client must end the connection at once, tell its listener why (size,
 * limit, the setting that raises it), and come back; not stall until a false keepalive timeout.
 */
@MockBrokerTest
final class PacketTooLargeTest {
    private static final int LIMIT = 64 * 1024;

    @Test
    void shouldCloseA311ConnectionAtOnceAndSayWhyWhenAMessageIsOverTheLimit(MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "small", b -> b.protocolVersion(ProtocolVersion.MQTT_3_1_1)
                .cleanStart(true).maximumPacketSize(LIMIT).keepAlive(60, TimeUnit.SECONDS)).connect()) {
            assertEquals(1, c.subscribe("big/#", QoS.AT_LEAST_ONCE).get(5, TimeUnit.SECONDS));
            broker.publish("big/one", new byte[256 * 1024], 1, false); // 3.1.1: the broker cannot know the limit

            ClientProbe.Disconnect heard = c.awaitDisconnects(1); // long before 1.5 × keepalive (90 s)
            assertEquals(ReasonCode.PACKET_TOO_LARGE, heard.reasonCode, heard.toString());
            assertTrue(heard.reconnecting, heard.toString());
            assertEquals("the server sent a PUBLISH of 262159 bytes, over this client's Maximum Packet Size of 65536 "
                    + "bytes; raise it with MqttClientBuilder.maximumPacketSize(int) to receive it", heard.detail);
            assertTrue(c.received(PacketType.DISCONNECT).isEmpty(), "3.1.1: closed, no DISCONNECT; " + c.report());

            assertFalse(c.awaitConnects(2), "back, in a clean session");
            assertEquals(1, c.subscribe("small/#", QoS.AT_LEAST_ONCE).get(5, TimeUnit.SECONDS));
            broker.publish("small/one", "fits", 1, false);
            assertEquals(List.of("small/one=fits"), c.awaitMessages(1));
        }
    }

    @Test
    void shouldSendDisconnectPacketTooLargeOn5(MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "strict", b -> b.maximumPacketSize(LIMIT)).connect()) {
            broker.sendRaw("strict", new byte[] {0x30, (byte) 0x80, (byte) 0x80, 0x10}); // announces 262,148 bytes
            assertEquals(ReasonCode.PACKET_TOO_LARGE, broker.awaitReceived("strict", PacketType.DISCONNECT)
                    .reasonCode());
            ClientProbe.Disconnect heard = c.awaitDisconnects(1);
            assertEquals(ReasonCode.PACKET_TOO_LARGE, heard.reasonCode, heard.toString());
            assertTrue(heard.detail.contains("PUBLISH of 262148 bytes, over this client's Maximum Packet Size of "
                    + "65536 bytes; raise it with MqttClientBuilder.maximumPacketSize(int)"), heard.detail);
        }
    }
}
