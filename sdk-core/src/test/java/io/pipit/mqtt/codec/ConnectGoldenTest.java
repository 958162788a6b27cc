package io.pipit.mqtt.codec;

import static io.pipit.mqtt.ProtocolVersion.MQTT_3_1_1;
import static io.pipit.mqtt.ProtocolVersion.MQTT_5;
import static io.pipit.mqtt.codec.ConnectCodecTest.assertSameConnect;
import static io.pipit.mqtt.codec.CodecTestSupport.encode;
import static io.pipit.mqtt.codec.CodecTestSupport.utf8;
import static io.pipit.mqtt.codec.ConnectCodecTest.wrap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.eclipse.paho.mqttv5.common.packet.MqttConnect;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

/**
 * CONNECT and CONNACK against bytes worked out by hand from the specification, and against Eclipse Paho's
 * MQTT 5 packet classes, an independent encoder. Paho writes properties in ascending identifier order, as
 * we do, so whole packets can be compared byte for byte.
 */
class ConnectGoldenTest {
    private final ConnectView view = new ConnectView();

    @Test
    void shouldEncodeMinimalMqtt311ConnectAsHandWorkedBytes() {
        ConnectEncoder encoder = new ConnectEncoder().version(MQTT_3_1_1).keepAliveSeconds(60).clientId("pipit");
        byte[] expected = {
            0x10, // CONNECT
            0x11, // Remaining Length 17 = 10 (variable header) + 2 + 5 (Client Identifier)
            0x00, 0x04, 'M', 'Q', 'T', 'T', // Protocol Name
            0x04, // Protocol Level 4 = 3.1.1
            0x02, // Connect Flags: Clean Session
            0x00, 0x3C, // Keep Alive 60 s
            0x00, 0x05, 'p', 'i', 'p', 'i', 't', // Client Identifier
        };
        assertEquals(19, encoder.encodedLength()); // 1 + 1 (Remaining Length) + 17
        assertArrayEquals(expected, encode(encoder));
        wrap(view, expected, MQTT_3_1_1);
        assertSameConnect(encoder, view);
    }

    @Test
    void shouldEncodeMqtt5ConnectAsHandWorkedBytes() {
        ConnectEncoder encoder = new ConnectEncoder().keepAliveSeconds(30).clientId("dev-1")
                .will(utf8("w"), utf8("x"), 1, true).userName(utf8("u")).password(new byte[] {1, 2});
        encoder.properties().put(Property.SESSION_EXPIRY_INTERVAL, 3600).put(Property.RECEIVE_MAXIMUM, 20);
        encoder.willProperties().put(Property.WILL_DELAY_INTERVAL, 5);
        byte[] expected = {
            0x10, // CONNECT
            0x2D, // Remaining Length 45 = 19 (variable header) + 26 (payload)
            0x00, 0x04, 'M', 'Q', 'T', 'T', // Protocol Name
            0x05, // Protocol Level 5
            (byte) 0xEE, // Connect Flags: User Name 0x80 | Password 0x40 | Will Retain 0x20 | Will QoS 1 0x08
                         //   | Will Flag 0x04 | Clean Start 0x02
            0x00, 0x1E, // Keep Alive 30 s
            0x08, // Property Length 8 = 5 + 3; variable header 10 + 1 + 8 = 19
            0x11, 0x00, 0x00, 0x0E, 0x10, // Session Expiry Interval 3600
            0x21, 0x00, 0x14, // Receive Maximum 20
            0x00, 0x05, 'd', 'e', 'v', '-', '1', // Client Identifier (7); payload 7 + 6 + 3 + 3 + 3 + 4 = 26
            0x05, // Will Property Length 5 (6 with itself)
            0x18, 0x00, 0x00, 0x00, 0x05, // Will Delay Interval 5
            0x00, 0x01, 'w', // Will Topic (3)
            0x00, 0x01, 'x', // Will Payload (3)
            0x00, 0x01, 'u', // User Name (3)
            0x00, 0x02, 0x01, 0x02, // Password (4)
        };
        assertEquals(47, encoder.encodedLength()); // 1 + 1 (Remaining Length) + 45
        assertArrayEquals(expected, encode(encoder));
        wrap(view, expected, MQTT_5);
        assertSameConnect(encoder, view);
    }

    @Test
    void shouldEncodeMqtt5ConnectWithEveryPropertyAsPahoDoes() throws Exception {
        byte[] ours = encode(ConnectCodecTest.fullMqtt5());
        assertArrayEquals(pahoFullConnect().serialize(), ours);
        MqttConnect parsed = (MqttConnect) MqttWireMessage.createWireMessage(ours);
        assertEquals("sensor-ü-1", parsed.getClientId());
        assertEquals(300, parsed.getKeepAliveInterval());
        assertEquals("devices/1/status", parsed.getWillDestination());
        assertEquals("alice", parsed.getUserName());
        assertEquals(3, parsed.getProperties().getUserProperties().size());
        assertEquals(30L, parsed.getWillProperties().getWillDelayInterval());
    }

    @Test
    void shouldDecodePahosConnect() throws Exception {
        wrap(view, pahoFullConnect().serialize(), MQTT_5);
        assertSameConnect(ConnectCodecTest.fullMqtt5(), view);
    }

    @Test
    void shouldEncodeConnackWithEveryPropertyAsPahoDoes() throws Exception {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties p = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        p.setSessionExpiryInterval(0xFFFF_FFFFL);
        p.setAssignedClientIdentifier("auto-7f3a");
        p.setServerKeepAlive(120);
        p.setAuthenticationMethod("SCRAM-SHA-256");
        p.setAuthenticationData(utf8("r=fyko+d2lbbFgONRv9qkxdawL"));
        p.setResponseInfo("replies/auto-7f3a");
        p.setServerReference("backup.example:8883");
        p.setReasonString("welcome");
        p.setReceiveMaximum(100);
        p.setTopicAliasMaximum(16);
        p.setMaximumQoS(1);
        p.setRetainAvailable(false);
        p.setUserProperties(List.of(new UserProperty("node", "b-2"), new UserProperty("zone", "eu-west"),
                new UserProperty("node", "b-3")));
        p.setMaximumPacketSize(65_536L);
        p.setWildcardSubscriptionsAvailable(true);
        p.setSubscriptionIdentifiersAvailable(false);
        p.setSharedSubscriptionAvailable(true);
        byte[] paho = new MqttConnAck(true, 0, p).serialize();
        byte[] ours = ConnackCodecTest.encode(MQTT_5, true, 0, ConnackCodecTest.everyConnackProperty());
        assertArrayEquals(paho, ours);
        MqttConnAck parsed = (MqttConnAck) MqttWireMessage.createWireMessage(ours);
        assertTrue(parsed.getSessionPresent());
        assertEquals(0, parsed.getReturnCode());
        assertEquals("auto-7f3a", parsed.getProperties().getAssignedClientIdentifier());
    }

    @Test
    void shouldEncodeConnackRefusalAsPahoDoes() throws Exception {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties p = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        p.setReasonString("no");
        byte[] paho = new MqttConnAck(false, 0x86, p).serialize();
        MqttProperties ours = new MqttProperties().string(Property.REASON_STRING, "no");
        assertArrayEquals(paho, ConnackCodecTest.encode(MQTT_5, false, 0x86, ours));
    }

    /** The same CONNECT as {@link ConnectCodecTest#fullMqtt5()}, built with Paho. */
    private static MqttConnect pahoFullConnect() {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties p = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        p.setSessionExpiryInterval(86_400L);
        p.setAuthenticationMethod("SCRAM-SHA-256");
        p.setAuthenticationData(new byte[] {1, 2, 3, (byte) 0xFF});
        p.setRequestProblemInfo(false);
        p.setRequestResponseInfo(true);
        p.setReceiveMaximum(32);
        p.setTopicAliasMaximum(10);
        p.setUserProperties(List.of(new UserProperty("region", "eu"), new UserProperty("fw", "1.2.3"),
                new UserProperty("region", "backup")));
        p.setMaximumPacketSize(1_048_576L);
        org.eclipse.paho.mqttv5.common.packet.MqttProperties w = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        w.setPayloadFormat(true);
        w.setMessageExpiryInterval(3_600L);
        w.setContentType("text/plain");
        w.setResponseTopic("devices/1/reply");
        w.setCorrelationData(new byte[] {9, 8});
        w.setWillDelayInterval(30L);
        w.setUserProperties(List.of(new UserProperty("a", "1"), new UserProperty("b", "2")));
        MqttConnect connect = new MqttConnect("sensor-ü-1", 5, false, 300, p, w);
        connect.setWillMessage(new MqttMessage(utf8("offline"), 1, true, null));
        connect.setWillDestination("devices/1/status");
        connect.setUserName("alice");
        connect.setPassword(new byte[] {0, (byte) 0x80, 'p'});
        return connect;
    }
}
