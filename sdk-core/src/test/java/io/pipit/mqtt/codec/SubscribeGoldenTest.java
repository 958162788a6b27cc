package io.pipit.mqtt.codec;

import static io.pipit.mqtt.ProtocolVersion.MQTT_3_1_1;
import static io.pipit.mqtt.ProtocolVersion.MQTT_5;
import static io.pipit.mqtt.codec.SubscribeCodecTest.bytes;
import static io.pipit.mqtt.codec.SubscribeCodecTest.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttSubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttSubscribe;
import org.eclipse.paho.mqttv5.common.packet.MqttUnsubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttUnsubscribe;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes for SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK: packets worked out by hand from the
 * specification for both versions, then MQTT 5.0 packets checked against Eclipse Paho v5, an encoder
 * written independently of ours. Each packet must come out byte for byte as expected, decode to the
 * fields it was built from, and (for Paho) parse back in Paho to the same fields.
 */
class SubscribeGoldenTest {
    private static final List<UserProperty> USER_PROPERTIES = List.of(
            new UserProperty("region", "eu-west"), new UserProperty("région", "ünïcödé"),
            new UserProperty("region", ""));

    private final SubscribeEncoder encoder = new SubscribeEncoder();
    private final SubscribeView view = new SubscribeView();
    private final SubackView ackView = new SubackView();

    // ---- hand-worked bytes, arithmetic in the comments ----

    @Test
    void shouldDecodeAndEncodeHandWorkedMqtt311Subscribe() {
        byte[] wire = bytes(
                0x82,                     // SUBSCRIBE, flags 0b0010
                0x0E,                     // Remaining Length: 2 id + (2 + 3 + 1) + (2 + 3 + 1) = 14
                0x00, 0x0A,               // Packet Identifier 10
                0x00, 0x03, 'a', '/', 'b', // Topic Filter "a/b"
                0x01,                     // options: Maximum QoS 1
                0x00, 0x03, 'c', '/', '#', // Topic Filter "c/#"
                0x02);                    // options: Maximum QoS 2
        decode(view::wrap, MQTT_3_1_1, wire);
        assertEquals(PacketType.SUBSCRIBE, view.type());
        assertEquals(10, view.packetId());
        assertEquals(0L, view.properties().presentMask());
        assertEquals(2, view.filterCount());
        assertEquals("a/b", view.filter(0).toString());
        assertEquals(1, view.maxQos(0));
        assertEquals("c/#", view.filter(1).toString());
        assertEquals(2, view.maxQos(1));
        assertFalse(view.noLocal(1));
        assertFalse(view.retainAsPublished(1));
        assertEquals(0, view.retainHandling(1));
        encoder.subscribe(MQTT_3_1_1, 10).add("a/b", 1, false, false, 0).add("c/#", 2, false, false, 0);
        assertArrayEquals(wire, SubscribeCodecTest.encode(encoder));
    }

    @Test
    void shouldDecodeAndEncodeHandWorkedMqtt311Unsubscribe() {
        byte[] wire = bytes(
                0xA2,                     // UNSUBSCRIBE, flags 0b0010
                0x0C,                     // Remaining Length: 2 id + (2 + 3) + (2 + 3) = 12
                0x00, 0x0B,               // Packet Identifier 11
                0x00, 0x03, 'a', '/', 'b', // Topic Filter "a/b"
                0x00, 0x03, 'c', '/', '#'); // Topic Filter "c/#"
        decode(view::wrap, MQTT_3_1_1, wire);
        assertEquals(PacketType.UNSUBSCRIBE, view.type());
        assertEquals(11, view.packetId());
        assertEquals(2, view.filterCount());
        assertEquals("a/b", view.filter(0).toString());
        assertEquals("c/#", view.filter(1).toString());
        assertThrows(IllegalStateException.class, () -> view.options(0));
        encoder.unsubscribe(MQTT_3_1_1, 11).add("a/b").add("c/#");
        assertArrayEquals(wire, SubscribeCodecTest.encode(encoder));
    }

    @Test
    void shouldDecodeAndEncodeHandWorkedMqtt5Subscribe() {
        byte[] wire = bytes(
                0x82,                     // SUBSCRIBE, flags 0b0010
                0x22,                     // Remaining Length: 2 id + 11 properties + 15 + 6 filters = 34
                0x00, 0x07,               // Packet Identifier 7
                0x0A,                     // Property Length: 3 + 7 = 10
                0x0B, 0xAC, 0x02,         // Subscription Identifier 300 = 0x2C + 2 * 128
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property k=v
                0x00, 0x0C, '$', 's', 'h', 'a', 'r', 'e', '/', 'g', '/', 'a', '/', '+', // "$share/g/a/+"
                0x29,                     // options: QoS 1 | Retain As Published 0x08 | Retain Handling 2 << 4
                0x00, 0x03, 's', '/', '#', // Topic Filter "s/#"
                0x16);                    // options: QoS 2 | No Local 0x04 | Retain Handling 1 << 4
        decode(view::wrap, MQTT_5, wire);
        assertEquals(7, view.packetId());
        assertEquals(300, view.properties().subscriptionIdentifier(0));
        assertEquals("k", view.properties().userPropertyKey(0).toString());
        assertEquals("v", view.properties().userPropertyValue(0).toString());
        assertEquals("$share/g/a/+", view.filter(0).toString());
        assertEquals(0x29, view.options(0));
        assertTrue(view.retainAsPublished(0));
        assertEquals(2, view.retainHandling(0));
        assertEquals("s/#", view.filter(1).toString());
        assertEquals(2, view.maxQos(1));
        assertTrue(view.noLocal(1));
        assertEquals(1, view.retainHandling(1));
        encoder.subscribe(MQTT_5, 7).add("$share/g/a/+", 1, false, true, 2).add("s/#", 2, true, false, 1);
        encoder.properties().addSubscriptionIdentifier(300).addUserProperty("k", "v");
        assertArrayEquals(wire, SubscribeCodecTest.encode(encoder));
        assertArrayEquals(wire, SubscribeCodecTest.reencode(view, MQTT_5));
    }

    @Test
    void shouldDecodeAndEncodeHandWorkedMqtt311Suback() {
        byte[] wire = bytes(
                0x90,       // SUBACK, flags 0
                0x04,       // Remaining Length: 2 id + 2 return codes = 4
                0x00, 0x0A, // Packet Identifier 10
                0x01,       // Success - Maximum QoS 1
                0x80);      // Failure
        decode(ackView::wrap, MQTT_3_1_1, wire);
        assertEquals(PacketType.SUBACK, ackView.type());
        assertEquals(10, ackView.packetId());
        assertEquals(2, ackView.reasonCodeCount());
        assertEquals(0x01, ackView.reasonCode(0));
        assertEquals(0x80, ackView.reasonCode(1));
        assertEquals(0L, ackView.properties().presentMask());
        assertArrayEquals(wire, SubackCodecTest.encode(PacketType.SUBACK, MQTT_3_1_1, 10, null, 0x01, 0x80));
    }

    @Test
    void shouldDecodeAndEncodeHandWorkedMqtt311Unsuback() {
        byte[] wire = bytes(
                0xB0,        // UNSUBACK, flags 0
                0x02,        // Remaining Length: the Packet Identifier alone
                0x00, 0x0B); // Packet Identifier 11
        decode(ackView::wrap, MQTT_3_1_1, wire);
        assertEquals(PacketType.UNSUBACK, ackView.type());
        assertEquals(11, ackView.packetId());
        assertEquals(0, ackView.reasonCodeCount());
        assertThrows(IndexOutOfBoundsException.class, () -> ackView.reasonCode(0));
        assertArrayEquals(wire, SubackCodecTest.encode(PacketType.UNSUBACK, MQTT_3_1_1, 11, null));
    }

    @Test
    void shouldDecodeAndEncodeHandWorkedMqtt5Suback() {
        byte[] wire = bytes(
                0x90,                         // SUBACK, flags 0
                0x0A,                         // Remaining Length: 2 id + 6 properties + 2 codes = 10
                0x00, 0x07,                   // Packet Identifier 7
                0x05,                         // Property Length: 1 id + 2 length + 2 bytes = 5
                0x1F, 0x00, 0x02, 'o', 'k',   // Reason String "ok"
                0x01,                         // Granted QoS 1
                0x9E);                        // Shared Subscriptions not supported
        decode(ackView::wrap, MQTT_5, wire);
        assertEquals(7, ackView.packetId());
        assertEquals("ok", ackView.properties().string(Property.REASON_STRING).toString());
        assertEquals(2, ackView.reasonCodeCount());
        assertEquals(0x9E, ackView.reasonCode(1));
        assertEquals(3 + 2 + 2 + 6, ackView.reasonCodeOffset());  // 3 junk bytes, header, id, properties
        MqttProperties properties = new MqttProperties().string(Property.REASON_STRING, "ok");
        assertArrayEquals(wire, SubackCodecTest.encode(PacketType.SUBACK, MQTT_5, 7, properties, 0x01, 0x9E));
    }

    // ---- MQTT 5.0 against Paho ----

    @Test
    void shouldEncodeSubscribeAsPahoDoes() throws Exception {
        MqttSubscription[] subscriptions = {
            subscription("sensors/+/temperature", 0, false, false, 0),
            subscription("$share/gateways/cmd/#", 1, false, true, 1),
            subscription("#", 2, true, false, 2),
            subscription("a/b/c", 1, true, true, 0),
        };
        org.eclipse.paho.mqttv5.common.packet.MqttProperties pahoProperties = pahoProperties();
        pahoProperties.setSubscriptionIdentifier(16_384);  // the first three-byte Variable Byte Integer
        MqttSubscribe paho = new MqttSubscribe(subscriptions, pahoProperties);
        paho.setMessageId(4242);

        encoder.subscribe(MQTT_5, 4242);
        for (MqttSubscription s : subscriptions) {
            encoder.add(s.getTopic(), s.getQos(), s.isNoLocal(), s.isRetainAsPublished(), s.getRetainHandling());
        }
        encoder.properties().addSubscriptionIdentifier(16_384);
        addUserProperties(encoder.properties());
        byte[] ours = SubscribeCodecTest.encode(encoder);
        assertArrayEquals(paho.serialize(), ours);

        decode(view::wrap, MQTT_5, paho.serialize());
        assertEquals(4242, view.packetId());
        assertEquals(16_384, view.properties().subscriptionIdentifier(0));
        assertEquals(subscriptions.length, view.filterCount());
        for (int i = 0; i < subscriptions.length; i++) {
            assertEquals(subscriptions[i].getTopic(), view.filter(i).toString());
            assertEquals(subscriptions[i].getQos(), view.maxQos(i));
            assertEquals(subscriptions[i].isNoLocal(), view.noLocal(i));
            assertEquals(subscriptions[i].isRetainAsPublished(), view.retainAsPublished(i));
            assertEquals(subscriptions[i].getRetainHandling(), view.retainHandling(i));
        }

        MqttSubscribe parsed = assertInstanceOf(MqttSubscribe.class, MqttWireMessage.createWireMessage(ours));
        assertEquals(4242, parsed.getMessageId());
        assertEquals(16_384, parsed.getProperties().getSubscriptionIdentifier());
        assertEquals(USER_PROPERTIES, parsed.getProperties().getUserProperties());
        assertEquals(Arrays.toString(subscriptions), Arrays.toString(parsed.getSubscriptions()));
    }

    @Test
    void shouldEncodeSubscribeWithoutPropertiesAsPahoDoes() throws Exception {
        MqttSubscribe paho = new MqttSubscribe(new MqttSubscription("x/y", 1), new org.eclipse.paho.mqttv5.common
                .packet.MqttProperties());
        paho.setMessageId(1);
        encoder.subscribe(MQTT_5, 1).add("x/y", 1, false, false, 0);
        assertArrayEquals(paho.serialize(), SubscribeCodecTest.encode(encoder));
    }

    @Test
    void shouldEncodeUnsubscribeAsPahoDoes() throws Exception {
        String[] filters = {"sensors/+/temperature", "$share/gateways/cmd/#", "#", "日本/東京"};
        MqttUnsubscribe paho = new MqttUnsubscribe(filters, pahoProperties());
        paho.setMessageId(65535);

        encoder.unsubscribe(MQTT_5, 65535);
        for (String filter : filters) {
            encoder.add(filter);
        }
        addUserProperties(encoder.properties());
        byte[] ours = SubscribeCodecTest.encode(encoder);
        assertArrayEquals(paho.serialize(), ours);

        decode(view::wrap, MQTT_5, paho.serialize());
        assertEquals(PacketType.UNSUBSCRIBE, view.type());
        assertEquals(65535, view.packetId());
        assertEquals(USER_PROPERTIES.size(), view.properties().userPropertyCount());
        for (int i = 0; i < filters.length; i++) {
            assertEquals(filters[i], view.filter(i).toString());
        }

        MqttUnsubscribe parsed = assertInstanceOf(MqttUnsubscribe.class, MqttWireMessage.createWireMessage(ours));
        assertArrayEquals(filters, parsed.getTopics());
        assertEquals(USER_PROPERTIES, parsed.getProperties().getUserProperties());
    }

    @Test
    void shouldEncodeSubackAsPahoDoes() throws Exception {
        // Every SUBACK code Paho 1.2.5 accepts: it wrongly refuses 0x97, 0xA1 and 0xA2, which spec 3.9.3 allows
        // (SubackCodecTest round-trips those).
        int[] codes = {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x9E};
        org.eclipse.paho.mqttv5.common.packet.MqttProperties pahoProperties = pahoProperties();
        pahoProperties.setReasonString("quota: 3 of 12 granted");
        MqttSubAck paho = new MqttSubAck(codes, pahoProperties);
        paho.setMessageId(300);
        MqttProperties properties = addUserProperties(new MqttProperties()
                .string(Property.REASON_STRING, "quota: 3 of 12 granted"));
        byte[] ours = SubackCodecTest.encode(PacketType.SUBACK, MQTT_5, 300, properties, codes);
        assertArrayEquals(paho.serialize(), ours);
        checkAck(paho.serialize(), PacketType.SUBACK, 300, codes);

        MqttSubAck parsed = assertInstanceOf(MqttSubAck.class, MqttWireMessage.createWireMessage(ours));
        assertArrayEquals(codes, parsed.getReturnCodes());
        assertEquals("quota: 3 of 12 granted", parsed.getProperties().getReasonString());
        assertEquals(USER_PROPERTIES, parsed.getProperties().getUserProperties());
    }

    @Test
    void shouldEncodeUnsubackAsPahoDoes() throws Exception {
        int[] codes = {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91};
        org.eclipse.paho.mqttv5.common.packet.MqttProperties pahoProperties = pahoProperties();
        pahoProperties.setReasonString("done");
        MqttUnsubAck paho = new MqttUnsubAck(codes, pahoProperties);
        paho.setMessageId(2);
        MqttProperties properties = addUserProperties(new MqttProperties().string(Property.REASON_STRING, "done"));
        byte[] ours = SubackCodecTest.encode(PacketType.UNSUBACK, MQTT_5, 2, properties, codes);
        assertArrayEquals(paho.serialize(), ours);
        checkAck(paho.serialize(), PacketType.UNSUBACK, 2, codes);

        MqttUnsubAck parsed = assertInstanceOf(MqttUnsubAck.class, MqttWireMessage.createWireMessage(ours));
        assertArrayEquals(codes, parsed.getReturnCodes());
        assertEquals("done", parsed.getProperties().getReasonString());
    }

    @Test
    void shouldEncodeAcksWithoutPropertiesAsPahoDo() throws Exception {
        MqttSubAck suback = new MqttSubAck(new int[] {0x02},
                new org.eclipse.paho.mqttv5.common.packet.MqttProperties());
        suback.setMessageId(9);
        assertArrayEquals(suback.serialize(), SubackCodecTest.encode(PacketType.SUBACK, MQTT_5, 9, null, 0x02));
        MqttUnsubAck unsuback = new MqttUnsubAck(new int[] {0x11},
                new org.eclipse.paho.mqttv5.common.packet.MqttProperties());
        unsuback.setMessageId(9);
        assertArrayEquals(unsuback.serialize(), SubackCodecTest.encode(PacketType.UNSUBACK, MQTT_5, 9, null, 0x11));
    }

    private void checkAck(byte[] wire, int type, int packetId, int[] codes) {
        decode(ackView::wrap, MQTT_5, wire);
        assertEquals(type, ackView.type());
        assertEquals(packetId, ackView.packetId());
        assertEquals(codes.length, ackView.reasonCodeCount());
        for (int i = 0; i < codes.length; i++) {
            assertEquals(codes[i], ackView.reasonCode(i));
        }
        assertEquals(USER_PROPERTIES.size(), ackView.properties().userPropertyCount());
        assertEquals("région", ackView.properties().userPropertyKey(1).toString());
    }

    private static MqttSubscription subscription(String filter, int qos, boolean noLocal, boolean retainAsPublished,
            int retainHandling) {
        MqttSubscription s = new MqttSubscription(filter, qos);
        s.setNoLocal(noLocal);
        s.setRetainAsPublished(retainAsPublished);
        s.setRetainHandling(retainHandling);
        return s;
    }

    private static org.eclipse.paho.mqttv5.common.packet.MqttProperties pahoProperties() {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties p = new org.eclipse.paho.mqttv5.common.packet
                .MqttProperties();
        p.setUserProperties(USER_PROPERTIES);
        return p;
    }

    private static MqttProperties addUserProperties(MqttProperties properties) {
        for (UserProperty u : USER_PROPERTIES) {
            properties.addUserProperty(u.getKey(), u.getValue());
        }
        return properties;
    }
}
