package io.pipit.mqtt.codec;

/**
 * MQTT Control Packet types (the high nibble of the first byte) and the fixed-header flag rules that go
 * with them. Stateless; safe from any thread.
 */
public final class PacketType {
    public static final int CONNECT = 1;
    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBREL = 6;
    public static final int PUBCOMP = 7;
    public static final int SUBSCRIBE = 8;
    public static final int SUBACK = 9;
    public static final int UNSUBSCRIBE = 10;
    public static final int UNSUBACK = 11;
    public static final int PINGREQ = 12;
    public static final int PINGRESP = 13;
    public static final int DISCONNECT = 14;
    public static final int AUTH = 15;

    private PacketType() {
    }

    /** @return the packet's name as the specification spells it, or "RESERVED" for 0 */
    public static String name(int type) {
        switch (type) {
            case CONNECT: return "CONNECT";
            case CONNACK: return "CONNACK";
            case PUBLISH: return "PUBLISH";
            case PUBACK: return "PUBACK";
            case PUBREC: return "PUBREC";
            case PUBREL: return "PUBREL";
            case PUBCOMP: return "PUBCOMP";
            case SUBSCRIBE: return "SUBSCRIBE";
            case SUBACK: return "SUBACK";
            case UNSUBSCRIBE: return "UNSUBSCRIBE";
            case UNSUBACK: return "UNSUBACK";
            case PINGREQ: return "PINGREQ";
            case PINGRESP: return "PINGRESP";
            case DISCONNECT: return "DISCONNECT";
            case AUTH: return "AUTH";
            default: return "RESERVED";
        }
    }

    /**
     * The fixed flag nibble every packet but PUBLISH must carry (spec 2.1.3): 0b0010 for PUBREL, SUBSCRIBE
     * and UNSUBSCRIBE, 0 for the rest. PUBLISH flags carry DUP/QoS/RETAIN and are checked by its view.
     */
    public static int requiredFlags(int type) {
        return type == PUBREL || type == SUBSCRIBE || type == UNSUBSCRIBE ? 0b0010 : 0;
    }
}
