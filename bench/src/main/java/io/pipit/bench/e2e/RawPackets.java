package io.pipit.bench.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 5.0 packets spelled out by hand for the raw-limit reference, which must not lean on any client library
 * (not even pipit's codec), and a frame scanner for the raw subscriber. Building packets allocates (set-up
 * only); {@link #scan} does not. Stateless, so thread-safe.
 */
final class RawPackets {
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBACK = 9;
    /** The Receive Maximum a CONNACK without that property grants (MQTT 5.0, 3.2.2.3.3). */
    static final int DEFAULT_RECEIVE_MAXIMUM = 65_535;

    /** Receives complete packets from {@link #scan}; the bytes are valid during the call only. */
    interface FrameHandler {
        /**
         * @param bodyOffset absolute index of the variable header in {@code buffer}
         * @param remainingLength bytes from {@code bodyOffset} to the end of the packet
         */
        void onPacket(int type, int flags, ByteBuffer buffer, int bodyOffset, int remainingLength);
    }

    private RawPackets() {
    }

    /**
     * @return CONNECT, MQTT 5.0: Clean Start, keepalive 0 (the broker never expects a PINGREQ), Receive Maximum
     *     65,535 as pipit's clients send it (mosquitto keeps a client that names none to its
     *     {@code max_inflight_messages}, 20, and queues the rest)
     */
    static byte[] connect(String clientId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(5); // protocol level: 5.0
        body.write(0b0000_0010); // connect flags: Clean Start
        body.write(0); // keepalive MSB
        body.write(0); // keepalive LSB: 0 = off
        body.write(3); // property length 3
        body.write(0x21); // Receive Maximum
        body.write(0xFF);
        body.write(0xFF); // 65,535
        writeString(body, clientId);
        return packet(0x10, body.toByteArray());
    }

    /** @return SUBSCRIBE, MQTT 5.0, Packet Identifier 1, one filter with maximum QoS {@code qos} */
    static byte[] subscribe(String filter, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1); // Packet Identifier 1
        body.write(0); // property length 0
        writeString(body, filter);
        body.write(qos); // subscription options: maximum QoS, nothing else
        return packet(0x82, body.toByteArray());
    }

    /**
     * @return PUBLISH, MQTT 5.0, no properties, a zero-filled payload of {@code payloadLength} bytes; at QoS 1 and 2
     *     with Packet Identifier 0, a placeholder to patch at {@link #publishPacketIdOffset} before sending
     */
    static byte[] publish(String topic, int qos, int payloadLength) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        if (qos > 0) {
            body.write(0);
            body.write(0); // Packet Identifier placeholder
        }
        body.write(0); // property length 0
        body.writeBytes(new byte[payloadLength]);
        return packet(0x30 | qos << 1, body.toByteArray());
    }

    /** @return the index of the Packet Identifier in a QoS 1/2 packet made by {@link #publish} */
    static int publishPacketIdOffset(int packetLength, int payloadLength) {
        return packetLength - payloadLength - 3; // before the 1-byte empty property length
    }

    /**
     * Writes PUBACK, PUBREC, PUBREL or PUBCOMP with reason code Success (omitted, as MQTT 5.0 allows) at
     * {@code dst}'s position; allocation-free.
     *
     * @throws IllegalArgumentException when {@code type} is none of the four
     */
    static void putAck(ByteBuffer dst, int type, int packetId) {
        if (type < PUBACK || type > PUBCOMP) {
            throw new IllegalArgumentException("not an acknowledgement packet type: " + type);
        }
        dst.put((byte) (type << 4 | (type == PUBREL ? 0b0010 : 0))); // PUBREL's reserved flags are 0010
        dst.put((byte) 2); // remaining length: the Packet Identifier only
        dst.putShort((short) packetId);
    }

    /** @return DISCONNECT, MQTT 5.0, Normal disconnection (reason code and properties omitted) */
    static byte[] disconnect() {
        return new byte[] {(byte) 0xE0, 0x00};
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.write(utf8.length >>> 8);
        out.write(utf8.length & 0xFF);
        out.writeBytes(utf8);
    }

    private static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int remaining = body.length;
        do { // Variable Byte Integer: 7 bits a byte, high bit = more
            int digit = remaining & 0x7F;
            remaining >>>= 7;
            out.write(remaining > 0 ? digit | 0x80 : digit);
        } while (remaining > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * Hands every complete packet between {@code buffer}'s position and limit to {@code handler}, then leaves
     * the position at the first byte not yet handed over (the start of a partial packet, or the limit).
     * Allocation-free.
     *
     * @return packets handed over
     * @throws IllegalStateException when a Remaining Length is longer than four bytes (not MQTT)
     */
    static int scan(ByteBuffer buffer, FrameHandler handler) {
        int count = 0;
        int index = buffer.position();
        int limit = buffer.limit();
        while (limit - index >= 2) {
            int value = 0;
            int at = index + 1;
            int shift = 0;
            int digit;
            do {
                if (at >= limit) {
                    buffer.position(index);
                    return count; // the length itself is not complete yet
                }
                if (shift > 21) {
                    throw new IllegalStateException("malformed Remaining Length at index " + index);
                }
                digit = buffer.get(at++);
                value |= (digit & 0x7F) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            if (limit - at < value) {
                break;
            }
            int first = buffer.get(index) & 0xFF;
            handler.onPacket(first >>> 4, first & 0x0F, buffer, at, value);
            index = at + value;
            count++;
        }
        buffer.position(index);
        return count;
    }

    /**
     * @return absolute index of an MQTT 5.0 PUBLISH's payload, given its body (topic, Packet Identifier when
     *     QoS > 0, properties); allocation-free
     */
    static int publishPayloadOffset(ByteBuffer buffer, int flags, int bodyOffset) {
        int index = bodyOffset + 2 + uint16(buffer, bodyOffset);
        if (((flags >>> 1) & 0b11) > 0) {
            index += 2; // Packet Identifier
        }
        return skipProperties(buffer, index);
    }

    /** @return the Two Byte Integer (Packet Identifier, string length, ...) at {@code index}; allocation-free */
    static int uint16(ByteBuffer buffer, int index) {
        return ((buffer.get(index) & 0xFF) << 8) | (buffer.get(index + 1) & 0xFF);
    }

    /** @return a QoS 1/2 PUBLISH's Packet Identifier, given its body; allocation-free */
    static int publishPacketId(ByteBuffer buffer, int bodyOffset) {
        return uint16(buffer, bodyOffset + 2 + uint16(buffer, bodyOffset)); // after the topic's length and bytes
    }

    /**
     * @return an acknowledgement's reason code, given its body: Success when the packet omits it (remaining length
     *     2); allocation-free
     */
    static int ackReasonCode(ByteBuffer buffer, int bodyOffset, int remainingLength) {
        return remainingLength > 2 ? buffer.get(bodyOffset + 2) & 0xFF : 0;
    }

    /** @return the first reason code of an MQTT 5.0 SUBACK, given its body; allocation-free */
    static int subackReasonCode(ByteBuffer buffer, int bodyOffset) {
        return buffer.get(skipProperties(buffer, bodyOffset + 2)) & 0xFF; // after the Packet Identifier
    }

    /**
     * @return the Receive Maximum an MQTT 5.0 CONNACK grants, given its body: the property's value, or
     *     {@value #DEFAULT_RECEIVE_MAXIMUM} when absent
     * @throws IllegalStateException on a property identifier CONNACK may not carry
     */
    static int connackReceiveMaximum(ByteBuffer buffer, int bodyOffset) {
        int end = skipProperties(buffer, bodyOffset + 2); // after the acknowledge flags and the reason code
        int index = bodyOffset + 2;
        while ((buffer.get(index++) & 0x80) != 0) { // past the property length
            continue;
        }
        while (index < end) {
            int id = buffer.get(index++) & 0xFF;
            if (id == 0x21) {
                return uint16(buffer, index); // Receive Maximum
            }
            index += connackPropertyLength(id, buffer, index);
        }
        return DEFAULT_RECEIVE_MAXIMUM;
    }

    /** @return the bytes of the value of CONNACK property {@code id} starting at {@code index} */
    private static int connackPropertyLength(int id, ByteBuffer buffer, int index) {
        switch (id) {
            case 0x24: case 0x25: case 0x28: case 0x29: case 0x2A: // QoS, retain, wildcard, sub id, shared: byte
                return 1;
            case 0x13: case 0x22: // Server Keep Alive, Topic Alias Maximum: two-byte integer
                return 2;
            case 0x11: case 0x27: // Session Expiry Interval, Maximum Packet Size: four-byte integer
                return 4;
            case 0x12: case 0x15: case 0x16: case 0x1A: case 0x1C: case 0x1F: // strings and binary data
                return 2 + uint16(buffer, index);
            case 0x26: // User Property: two strings
                int nameLength = 2 + uint16(buffer, index);
                return nameLength + 2 + uint16(buffer, index + nameLength);
            default:
                throw new IllegalStateException("CONNACK carries unknown property identifier 0x"
                        + Integer.toHexString(id));
        }
    }

    /** @return the index after the property section (a Variable Byte Integer length, then that many bytes) */
    private static int skipProperties(ByteBuffer buffer, int index) {
        int propertiesLength = 0;
        int shift = 0;
        int digit;
        do {
            digit = buffer.get(index++);
            propertiesLength |= (digit & 0x7F) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        return index + propertiesLength;
    }
}
