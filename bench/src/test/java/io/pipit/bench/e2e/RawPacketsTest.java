package io.pipit.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The raw-limit reference speaks correct MQTT 5.0 without a client library: its hand-spelled packets decode with
 * pipit's own (independent) decoder to what was meant, and its frame scanner finds every packet and payload
 * however the bytes are split, including packets with properties as a broker may send them.
 */
final class RawPacketsTest {
    /** mosquitto 2.0.11's CONNACK to a keepalive-0 CONNECT, as captured on loopback. */
    private static final byte[] CONNACK = {
        0x20, 0x0C,                    // CONNACK, remaining length 12
        0x00, 0x00,                    // no session present, Success
        0x09,                          // properties: 9 bytes
        0x22, 0x00, 0x0A,              // Topic Alias Maximum 10
        0x13, (byte) 0xFF, (byte) 0xFF, // Server Keep Alive 65535
        0x21, 0x00, 0x14,              // Receive Maximum 20
    };
    private static final byte[] SUBACK_WITH_REASON_STRING = {
        (byte) 0x90, 0x07,             // SUBACK, remaining length 7
        0x00, 0x01,                    // Packet Identifier 1
        0x03, 0x1F, 0x00, 0x00,        // properties: Reason String ""
        0x01,                          // granted QoS 1
    };
    private static final byte[] PUBLISH_QOS1_WITH_EXPIRY = {
        0x32, 0x14,                    // PUBLISH QoS 1, remaining length 20
        0x00, 0x01, 'a',               // topic "a"
        0x12, 0x34,                    // Packet Identifier 0x1234
        0x05, 0x02, 0x00, 0x00, 0x0E, 0x10, // properties: Message Expiry Interval 3600
        0, 0, 0, 0, 0, 0, 0, 7, 1,     // payload: sequence 7, phase MEASURE
    };

    private final PacketDecoder decoder = new PacketDecoder(ProtocolVersion.MQTT_5, 1024);

    @Test
    void shouldSpellConnectAsMqtt5CleanStartWithKeepaliveOffAndTheLargestReceiveMaximum() {
        byte[] connect = RawPackets.connect("raw-sub");

        assertEquals(connect.length, decoder.decode(ByteBuffer.wrap(connect), 0, connect.length));
        assertEquals(PacketType.CONNECT, decoder.type());
        assertEquals(ProtocolVersion.MQTT_5, decoder.connect().version());
        assertTrue(decoder.connect().cleanStart());
        assertEquals(0, decoder.connect().keepAliveSeconds());
        assertEquals("raw-sub", decoder.connect().clientId().toString());
        assertFalse(decoder.connect().hasWill());
        assertEquals(65_535, decoder.connect().properties().number(Property.RECEIVE_MAXIMUM, 0));
    }

    @Test
    void shouldSpellSubscribeWithOneFilterAtTheRequestedQos() {
        byte[] subscribe = RawPackets.subscribe("bench/e2e", 0);

        assertEquals(subscribe.length, decoder.decode(ByteBuffer.wrap(subscribe), 0, subscribe.length));
        assertEquals(PacketType.SUBSCRIBE, decoder.type());
        assertEquals(1, decoder.subscribe().packetId());
        assertEquals(1, decoder.subscribe().filterCount());
        assertEquals("bench/e2e", decoder.subscribe().filter(0).toString());
        assertEquals(0, decoder.subscribe().maxQos(0));
    }

    @Test
    void shouldSpellQos0PublishWithTheZeroPayloadLast() {
        byte[] publish = RawPackets.publish("bench/e2e", 0, 64);

        assertEquals(publish.length, decoder.decode(ByteBuffer.wrap(publish), 0, publish.length));
        PublishView view = decoder.publish();
        assertEquals(0, view.qos());
        assertEquals("bench/e2e", view.topic().toString());
        assertEquals(64, view.payloadLength());
        assertEquals(publish.length - 64, view.payloadOffset()); // where RawRun stamps the sequence
        assertEquals(publish.length - 64, RawPackets.publishPayloadOffset(ByteBuffer.wrap(publish), 0, 2));
    }

    @Test
    void shouldSpellQos1And2PublishWithAPatchablePacketIdentifier() {
        for (int qos = 1; qos <= 2; qos++) {
            byte[] publish = RawPackets.publish("bench/e2e", qos, 64);
            ByteBuffer buffer = ByteBuffer.wrap(publish);
            buffer.putShort(RawPackets.publishPacketIdOffset(publish.length, 64), (short) 0x1234);

            assertEquals(publish.length, decoder.decode(buffer, 0, publish.length));
            PublishView view = decoder.publish();
            assertEquals(qos, view.qos());
            assertEquals(0x1234, view.packetId());
            assertEquals("bench/e2e", view.topic().toString());
            assertEquals(publish.length - 64, view.payloadOffset());
            assertEquals(0x1234, RawPackets.publishPacketId(buffer, 2)); // body after a 1-byte Remaining Length
            assertEquals(publish.length - 64, RawPackets.publishPayloadOffset(buffer, qos << 1, 2));
        }
    }

    @Test
    void shouldRefuseAPublishQosOutsideZeroToTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RawPackets.publish("bench/e2e", 3, 64));
        assertEquals("QoS must be 0, 1 or 2: 3", e.getMessage());
    }

    @Test
    void shouldSpellEachAcknowledgementWithItsPacketIdentifierAndSuccess() {
        int[] types = {PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP};
        for (int type : types) {
            ByteBuffer buffer = ByteBuffer.allocate(8);
            RawPackets.putAck(buffer, type, 0xBEEF);
            buffer.flip();

            assertEquals(4, decoder.decode(buffer, 0, buffer.limit()), "PUBREL needs flags 0010 to decode");
            assertEquals(type, decoder.type());
            assertEquals(0xBEEF, decoder.ack().packetId());
            assertEquals(0, decoder.ack().reasonCode());
            assertEquals(0xBEEF, RawPackets.uint16(buffer, 2));
            assertEquals(0, RawPackets.ackReasonCode(buffer, 2, 2));
        }
    }

    @Test
    void shouldRefuseToSpellAnAcknowledgementOfAnotherType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RawPackets.putAck(ByteBuffer.allocate(8), PacketType.PUBLISH, 1));
        assertEquals("not an acknowledgement packet type: 3", e.getMessage());
    }

    @Test
    void shouldReadAnAcknowledgementsReasonCodeWhenPresent() {
        ByteBuffer puback = ByteBuffer.wrap(new byte[] {
            0x40, 0x03,                // PUBACK, remaining length 3
            0x00, 0x07,                // Packet Identifier 7
            (byte) 0x87,               // Not authorized
        });

        assertEquals(7, RawPackets.uint16(puback, 2));
        assertEquals(0x87, RawPackets.ackReasonCode(puback, 2, 3));
    }

    @Test
    void shouldReadTheReceiveMaximumBehindOtherConnackProperties() {
        byte[] connack = {
            0x20, 0x1B,                // CONNACK, remaining length 27
            0x00, 0x00,                // no session present, Success
            0x18,                      // properties: 24 bytes
            0x12, 0x00, 0x01, 'c',     // Assigned Client Identifier "c"
            0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property k=v
            0x11, 0x00, 0x00, 0x00, 0x3C, // Session Expiry Interval 60
            0x24, 0x01,                // Maximum QoS 1
            0x13, 0x00, 0x3C,          // Server Keep Alive 60
            0x21, 0x01, 0x00,          // Receive Maximum 256
        };

        assertEquals(connack.length, decoder.decode(ByteBuffer.wrap(connack), 0, connack.length));
        assertEquals(256, decoder.connack().properties().number(Property.RECEIVE_MAXIMUM, 0));
        assertEquals(256, RawPackets.connackReceiveMaximum(ByteBuffer.wrap(connack), 2));
        assertEquals(20, RawPackets.connackReceiveMaximum(ByteBuffer.wrap(CONNACK), 2));
    }

    @Test
    void shouldTakeTheDefaultReceiveMaximumWhenConnackOmitsIt() {
        byte[] connack = {0x20, 0x03, 0x00, 0x00, 0x00}; // CONNACK, Success, no properties

        assertEquals(65_535, RawPackets.connackReceiveMaximum(ByteBuffer.wrap(connack), 2));
    }

    @Test
    void shouldRefuseAConnackPropertyItDoesNotKnow() {
        byte[] connack = {0x20, 0x05, 0x00, 0x00, 0x02, 0x01, 0x01}; // Payload Format Indicator: not for CONNACK

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RawPackets.connackReceiveMaximum(ByteBuffer.wrap(connack), 2));
        assertEquals("CONNACK carries unknown property identifier 0x1", e.getMessage());
    }

    @Test
    void shouldSpellDisconnectAsNormalDisconnection() {
        byte[] disconnect = RawPackets.disconnect();

        assertEquals(2, decoder.decode(ByteBuffer.wrap(disconnect), 0, disconnect.length));
        assertEquals(PacketType.DISCONNECT, decoder.type());
        assertEquals(0, decoder.reason().reasonCode());
    }

    @Test
    void shouldFindEveryPacketAndPayloadHoweverTheBytesAreSplit() {
        byte[] publish = RawPackets.publish("bench/e2e", 0, 64);
        Receipts.stamp(publish, publish.length - 64, 3, Receipts.MEASURE);
        byte[] stream = concat(CONNACK, SUBACK_WITH_REASON_STRING, publish, PUBLISH_QOS1_WITH_EXPIRY);

        for (int split = 0; split <= stream.length; split++) {
            List<String> seen = new ArrayList<>();
            ByteBuffer buffer = ByteBuffer.allocate(stream.length);
            buffer.put(stream, 0, split).flip();
            int first = RawPackets.scan(buffer, (type, flags, bytes, offset, length) -> seen.add(describe(type,
                    flags, bytes, offset, length)));
            buffer.compact().put(stream, split, stream.length - split).flip();
            int second = RawPackets.scan(buffer, (type, flags, bytes, offset, length) -> seen.add(describe(type,
                    flags, bytes, offset, length)));

            assertEquals(4, first + second, "packets found with the split at " + split);
            assertEquals(List.of("CONNACK 0", "SUBACK 1", "PUBLISH seq 3 len 64", "PUBLISH seq 7 len 9"), seen,
                    "split at " + split);
            assertFalse(buffer.hasRemaining(), "bytes left over with the split at " + split);
        }
    }

    @Test
    void shouldAgreeWithPipitsDecoderOnWhereAPayloadBehindPropertiesStarts() {
        ByteBuffer packet = ByteBuffer.wrap(PUBLISH_QOS1_WITH_EXPIRY);

        assertEquals(PUBLISH_QOS1_WITH_EXPIRY.length, decoder.decode(packet, 0, packet.limit()));
        assertEquals(decoder.publish().payloadOffset(), RawPackets.publishPayloadOffset(packet, 0x2, 2));
        assertEquals(13, decoder.publish().payloadOffset());
    }

    @Test
    void shouldLeaveAPartialPacketUnconsumed() {
        ByteBuffer buffer = ByteBuffer.wrap(CONNACK, 0, CONNACK.length - 1);
        List<Integer> types = new ArrayList<>();

        assertEquals(0, RawPackets.scan(buffer, (type, flags, bytes, offset, length) -> types.add(type)));
        assertEquals(0, buffer.position());
        assertTrue(types.isEmpty());
    }

    @Test
    void shouldRejectARemainingLengthOfMoreThanFourBytes() {
        byte[] malformed = {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> RawPackets.scan(ByteBuffer.wrap(malformed), (type, flags, bytes, offset, length) -> { }));
        assertTrue(thrown.getMessage().contains("Remaining Length"), thrown.getMessage());
    }

    @Test
    void shouldStampSequenceAndPhaseBigEndianAtTheStartOfThePayload() {
        byte[] payload = new byte[12];

        Receipts.stamp(payload, 0x0102030405060708L, Receipts.MEASURE);

        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, Receipts.MEASURE, 0, 0, 0}, payload);
    }

    private static String describe(int type, int flags, ByteBuffer bytes, int offset, int length) {
        switch (type) {
            case RawPackets.CONNACK: return "CONNACK " + (bytes.get(offset + 1) & 0xFF);
            case RawPackets.SUBACK: return "SUBACK " + RawPackets.subackReasonCode(bytes, offset);
            case RawPackets.PUBLISH:
                int payload = RawPackets.publishPayloadOffset(bytes, flags, offset);
                return "PUBLISH seq " + bytes.getLong(payload) + " len " + (offset + length - payload);
            default: return "type " + type;
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(parts[0].length + parts[1].length + parts[2].length + parts[3].length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }
}
