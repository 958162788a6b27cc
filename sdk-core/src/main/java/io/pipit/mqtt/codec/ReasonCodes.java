package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;

/**
 * Which reason codes (MQTT 5.0, spec 2.4) or return codes (MQTT 3.1.1 CONNACK and SUBACK) each packet may
 * carry, as one table for both versions. Stateless; safe from any thread.
 *
 * <p>A code outside its packet's set is a Malformed Packet (0x81): the packet cannot mean anything the
 * receiver could act on. Sets are 256-bit masks, so a check is one shift and AND.
 */
public final class ReasonCodes {
    private static final long[][] MQTT5 = new long[16][4];
    private static final long[][] MQTT3 = new long[16][4];

    static {
        allow(MQTT5, PacketType.CONNACK, 0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A,
                0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
        allow(MQTT5, PacketType.PUBACK, 0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
        allow(MQTT5, PacketType.PUBREC, 0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
        allow(MQTT5, PacketType.PUBREL, 0x00, 0x92);
        allow(MQTT5, PacketType.PUBCOMP, 0x00, 0x92);
        allow(MQTT5, PacketType.SUBACK, 0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2);
        allow(MQTT5, PacketType.UNSUBACK, 0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91);
        allow(MQTT5, PacketType.DISCONNECT, 0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E,
                0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0,
                0xA1, 0xA2);
        allow(MQTT5, PacketType.AUTH, 0x00, 0x18, 0x19);
        // 3.1.1 CONNACK return codes: accepted, then refused for version, identifier, server, credentials, auth.
        allow(MQTT3, PacketType.CONNACK, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05);
        allow(MQTT3, PacketType.SUBACK, 0x00, 0x01, 0x02, 0x80);
    }

    private ReasonCodes() {
    }

    private static void allow(long[][] table, int type, int... codes) {
        for (int code : codes) {
            table[type][code >>> 6] |= 1L << (code & 63);
        }
    }

    /**
     * @param packetType a packet that carries a reason or return code
     * @param code the code as read from the wire, 0..255
     * @return true when the specification lets {@code packetType} carry {@code code} in {@code version}
     */
    public static boolean isValid(ProtocolVersion version, int packetType, int code) {
        long[] set = (version.isMqtt5() ? MQTT5 : MQTT3)[packetType];
        return code >= 0 && code <= 0xFF && (set[code >>> 6] & (1L << (code & 63))) != 0;
    }

    /**
     * Checks a received code.
     *
     * @param index where the code sits in the buffer, for the message
     * @throws MqttCodecException (0x81) when the code is not valid for the packet
     */
    static void check(ProtocolVersion version, int packetType, int code, int index) {
        if (!isValid(version, packetType, code)) {
            throw MqttCodecException.malformed(index, String.format("0x%02X is not a valid %s code for %s", code,
                    version.isMqtt5() ? "reason" : "return", PacketType.name(packetType)));
        }
    }

    /**
     * Checks a code the caller wants to send.
     *
     * @throws IllegalArgumentException when the code is not valid for the packet
     */
    static void require(ProtocolVersion version, int packetType, int code) {
        if (!isValid(version, packetType, code)) {
            throw new IllegalArgumentException(String.format("0x%02X is not a valid %s code for %s", code,
                    version.isMqtt5() ? "reason" : "return", PacketType.name(packetType)));
        }
    }
}
