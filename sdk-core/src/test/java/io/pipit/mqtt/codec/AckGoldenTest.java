package io.pipit.mqtt.codec;

import static io.pipit.mqtt.ProtocolVersion.MQTT_5;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pipit.mqtt.codec.AckCodecTest.Packets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttAuth;
import org.eclipse.paho.mqttv5.common.packet.MqttDisconnect;
import org.eclipse.paho.mqttv5.common.packet.MqttPingReq;
import org.eclipse.paho.mqttv5.common.packet.MqttPingResp;
import org.eclipse.paho.mqttv5.common.packet.MqttPubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttPubComp;
import org.eclipse.paho.mqttv5.common.packet.MqttPubRec;
import org.eclipse.paho.mqttv5.common.packet.MqttPubRel;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares our encoders with Eclipse Paho's MQTT 5 packet classes, an independent implementation. Where the
 * two choose different legal forms, or Paho breaks the specification, the test says so and compares what
 * the bytes mean instead.
 */
class AckGoldenTest {
    private final AckView ackView = new AckView();
    private final ReasonView reasonView = new ReasonView();

    static Stream<Arguments> acks() {
        return Stream.of(
                Arguments.of(PacketType.PUBACK, 7, 0x00, false),
                Arguments.of(PacketType.PUBACK, 7, 0x10, false),
                Arguments.of(PacketType.PUBACK, 7, 0x97, true),
                Arguments.of(PacketType.PUBACK, 0xFFFF, 0x00, true),
                Arguments.of(PacketType.PUBREC, 1, 0x00, false),
                Arguments.of(PacketType.PUBREC, 0x1234, 0x80, true),
                Arguments.of(PacketType.PUBREL, 1, 0x00, false),
                Arguments.of(PacketType.PUBREL, 0x0100, 0x92, false),
                Arguments.of(PacketType.PUBREL, 2, 0x92, true),
                Arguments.of(PacketType.PUBCOMP, 3, 0x00, false),
                Arguments.of(PacketType.PUBCOMP, 300, 0x92, true));
    }

    @ParameterizedTest
    @MethodSource("acks")
    void shouldEncodeAcksAsPahoDoes(int type, int packetId, int code, boolean withProperties) throws Exception {
        MqttProperties ours = withProperties
                ? new MqttProperties().string(Property.REASON_STRING, "busy").addUserProperty("k", "v") : null;
        byte[] expected = pahoAck(type, packetId, code, withProperties ? paho("busy") : null).serialize();
        byte[] actual = AckCodecTest.ack(type, MQTT_5, packetId, code, ours);
        assertArrayEquals(expected, actual);
        Packets.decode(ackView::wrap, MQTT_5, expected);
        assertEquals(packetId, ackView.packetId());
        assertEquals(code, ackView.reasonCode());
        MqttWireMessage parsed = MqttWireMessage.createWireMessage(actual);
        assertEquals(type, parsed.getType());
        assertEquals(packetId, parsed.getMessageId());
        assertEquals(withProperties ? "busy" : null, parsed.getProperties().getReasonString());
    }

    @Test
    void shouldAgreeWithHandWorkedBytes() throws Exception {
        assertArrayEquals(AckCodecTest.PUBACK_WITH_PROPERTIES, new MqttPubAck(0x97, 7, paho("busy")).serialize());
        org.eclipse.paho.mqttv5.common.packet.MqttProperties disconnect =
                new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        disconnect.setSessionExpiryInterval(3600L);
        disconnect.setUserProperties(List.of(new UserProperty("k", "v")));
        assertArrayEquals(ReasonCodecTest.DISCONNECT_WITH_PROPERTIES, new MqttDisconnect(0x04, disconnect).serialize());
    }

    @Test
    void shouldEncodeDisconnectWithPropertiesAsPahoDoes() throws Exception {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties pahoProperties = paho("bye");
        pahoProperties.setSessionExpiryInterval(3600L);
        pahoProperties.setServerReference("b:1");
        MqttProperties ours = new MqttProperties().put(Property.SESSION_EXPIRY_INTERVAL, 3600)
                .string(Property.SERVER_REFERENCE, "b:1").string(Property.REASON_STRING, "bye")
                .addUserProperty("k", "v");
        assertArrayEquals(new MqttDisconnect(0x9C, pahoProperties).serialize(),
                ReasonCodecTest.reason(PacketType.DISCONNECT, MQTT_5, 0x9C, ours));
    }

    @Test
    void shouldShortenDisconnectThatPahoWritesInFull() throws Exception {
        // Paho always writes the reason code and a Property Length; spec 3.14.2.1 lets both go.
        byte[] paho = new MqttDisconnect(0x8E, null).serialize();
        assertArrayEquals(Packets.of(0xE0, 0x02, 0x8E, 0x00), paho); // code, Property Length 0
        byte[] ours = ReasonCodecTest.reason(PacketType.DISCONNECT, MQTT_5, 0x8E, null);
        assertArrayEquals(Packets.of(0xE0, 0x01, 0x8E), ours); // code only
        Packets.decode(reasonView::wrap, MQTT_5, paho);
        assertEquals(0x8E, reasonView.reasonCode());
        assertEquals(0, reasonView.properties().presentMask());
        assertEquals(0x8E, ((MqttDisconnect) MqttWireMessage.createWireMessage(ours)).getReturnCode());
        byte[] normal = ReasonCodecTest.reason(PacketType.DISCONNECT, MQTT_5, 0x00, null);
        assertArrayEquals(Packets.of(0xE0, 0x00), normal);
        Packets.decode(reasonView::wrap, MQTT_5, new MqttDisconnect(0x00, null).serialize()); // E0 02 00 00
        assertEquals(0x00, reasonView.reasonCode());
        assertEquals(0x00, ((MqttDisconnect) MqttWireMessage.createWireMessage(normal)).getReturnCode());
    }

    @Test
    void shouldEncodeAuthAsPahoDoesButForItsReservedFlag() throws Exception {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties pahoProperties = paho("go");
        pahoProperties.setAuthenticationMethod("SCRAM-SHA-1");
        pahoProperties.setAuthenticationData(new byte[] {1, 2, 3});
        MqttProperties ours = new MqttProperties().string(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .put(Property.AUTHENTICATION_DATA, new byte[] {1, 2, 3}).string(Property.REASON_STRING, "go")
                .addUserProperty("k", "v");
        byte[] paho = new MqttAuth(0x18, pahoProperties).serialize();
        byte[] actual = ReasonCodecTest.reason(PacketType.AUTH, MQTT_5, 0x18, ours);
        assertArrayEquals(ReasonCodecTest.AUTH_WITH_PROPERTIES, actual);
        // Paho 1.2.5 sets flag bit 0 on AUTH (0xF1); spec 2.1.3 reserves the nibble as 0000 (0xF0).
        assertEquals(0xF1, paho[0] & 0xFF);
        assertEquals(0xF0, actual[0] & 0xFF);
        assertArrayEquals(Arrays.copyOfRange(paho, 1, paho.length), Arrays.copyOfRange(actual, 1, actual.length));
        assertEquals(0x81, assertThrows(MqttCodecException.class,
                () -> Packets.decode(reasonView::wrap, MQTT_5, paho)).reasonCode());
        paho[0] = (byte) 0xF0;
        Packets.decode(reasonView::wrap, MQTT_5, paho);
        assertEquals(0x18, reasonView.reasonCode());
        assertEquals("SCRAM-SHA-1", reasonView.properties().string(Property.AUTHENTICATION_METHOD).toString());
    }

    @Test
    void shouldEncodePingsAsPahoDoes() throws Exception {
        assertArrayEquals(new MqttPingReq().serialize(), PingCodecTest.ping(PacketType.PINGREQ));
        assertArrayEquals(new MqttPingResp().serialize(), PingCodecTest.ping(PacketType.PINGRESP));
    }

    private static MqttWireMessage pahoAck(int type, int packetId, int code,
            org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) throws MqttException {
        switch (type) {
            case PacketType.PUBACK: return new MqttPubAck(code, packetId, properties);
            case PacketType.PUBREC: return new MqttPubRec(code, packetId, properties);
            case PacketType.PUBREL: return new MqttPubRel(code, packetId, properties);
            default: return new MqttPubComp(code, packetId, properties);
        }
    }

    /** Paho properties with a Reason String and the User Property k=v. */
    private static org.eclipse.paho.mqttv5.common.packet.MqttProperties paho(String reasonString) {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties properties =
                new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        properties.setReasonString(reasonString);
        properties.setUserProperties(List.of(new UserProperty("k", "v")));
        return properties;
    }
}
