package io.pipit.mqtt.codec;

/**
 * MQTT 5.0 property identifiers (spec 2.2.2.2), their data types, and which packets may carry each one.
 * The rules live here as tables, once, for both the decoder ({@link PropertiesView}) and the encoder
 * ({@link MqttProperties}). Stateless; safe from any thread.
 *
 * <p>Every identifier is below 64, so a set of properties is a {@code long} bit mask: "is this allowed
 * on PUBACK" and "have I seen this one already" are single AND operations, with no allocation.
 */
public final class Property {
    public static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
    public static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
    public static final int CONTENT_TYPE = 0x03;
    public static final int RESPONSE_TOPIC = 0x08;
    public static final int CORRELATION_DATA = 0x09;
    public static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    public static final int SESSION_EXPIRY_INTERVAL = 0x11;
    public static final int ASSIGNED_CLIENT_IDENTIFIER = 0x12;
    public static final int SERVER_KEEP_ALIVE = 0x13;
    public static final int AUTHENTICATION_METHOD = 0x15;
    public static final int AUTHENTICATION_DATA = 0x16;
    public static final int REQUEST_PROBLEM_INFORMATION = 0x17;
    public static final int WILL_DELAY_INTERVAL = 0x18;
    public static final int REQUEST_RESPONSE_INFORMATION = 0x19;
    public static final int RESPONSE_INFORMATION = 0x1A;
    public static final int SERVER_REFERENCE = 0x1C;
    public static final int REASON_STRING = 0x1F;
    public static final int RECEIVE_MAXIMUM = 0x21;
    public static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    public static final int TOPIC_ALIAS = 0x23;
    public static final int MAXIMUM_QOS = 0x24;
    public static final int RETAIN_AVAILABLE = 0x25;
    public static final int USER_PROPERTY = 0x26;
    public static final int MAXIMUM_PACKET_SIZE = 0x27;
    public static final int WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
    public static final int SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;
    public static final int SHARED_SUBSCRIPTION_AVAILABLE = 0x2A;

    /** The highest identifier MQTT 5.0 defines; arrays indexed by identifier have this + 1 slots. */
    public static final int MAX_ID = 0x2A;

    /** Scope of the Will Properties inside CONNECT's payload; packet types use their own number. */
    public static final int WILL_SCOPE = 0;

    /** Data types of spec 1.5. */
    public static final int TYPE_BYTE = 1;
    public static final int TYPE_TWO_BYTE = 2;
    public static final int TYPE_FOUR_BYTE = 3;
    public static final int TYPE_VAR_INT = 4;
    public static final int TYPE_UTF8 = 5;
    public static final int TYPE_BINARY = 6;
    public static final int TYPE_UTF8_PAIR = 7;

    private static final int[] TYPES = new int[MAX_ID + 1];
    private static final long[] ALLOWED = new long[16];
    private static final String[] NAMES = new String[MAX_ID + 1];
    /** Per identifier, its index among the properties stored the same way; see {@link #slot}. */
    private static final byte[] SLOTS = new byte[MAX_ID + 1];

    /** How many fixed-size integer properties there are: the slots {@link #slot} gives them. */
    static final int NUMBER_SLOTS;
    /** How many UTF-8 string and Binary Data properties there are: the slots {@link #slot} gives them. */
    static final int BYTES_SLOTS;

    static {
        final int will = WILL_SCOPE;
        final int connect = PacketType.CONNECT;
        final int connack = PacketType.CONNACK;
        final int publish = PacketType.PUBLISH;
        final int disconnect = PacketType.DISCONNECT;
        final int auth = PacketType.AUTH;
        define(PAYLOAD_FORMAT_INDICATOR, "Payload Format Indicator", TYPE_BYTE, publish, will);
        define(MESSAGE_EXPIRY_INTERVAL, "Message Expiry Interval", TYPE_FOUR_BYTE, publish, will);
        define(CONTENT_TYPE, "Content Type", TYPE_UTF8, publish, will);
        define(RESPONSE_TOPIC, "Response Topic", TYPE_UTF8, publish, will);
        define(CORRELATION_DATA, "Correlation Data", TYPE_BINARY, publish, will);
        define(SUBSCRIPTION_IDENTIFIER, "Subscription Identifier", TYPE_VAR_INT, publish, PacketType.SUBSCRIBE);
        define(SESSION_EXPIRY_INTERVAL, "Session Expiry Interval", TYPE_FOUR_BYTE, connect, connack, disconnect);
        define(ASSIGNED_CLIENT_IDENTIFIER, "Assigned Client Identifier", TYPE_UTF8, connack);
        define(SERVER_KEEP_ALIVE, "Server Keep Alive", TYPE_TWO_BYTE, connack);
        define(AUTHENTICATION_METHOD, "Authentication Method", TYPE_UTF8, connect, connack, auth);
        define(AUTHENTICATION_DATA, "Authentication Data", TYPE_BINARY, connect, connack, auth);
        define(REQUEST_PROBLEM_INFORMATION, "Request Problem Information", TYPE_BYTE, connect);
        define(WILL_DELAY_INTERVAL, "Will Delay Interval", TYPE_FOUR_BYTE, will);
        define(REQUEST_RESPONSE_INFORMATION, "Request Response Information", TYPE_BYTE, connect);
        define(RESPONSE_INFORMATION, "Response Information", TYPE_UTF8, connack);
        define(SERVER_REFERENCE, "Server Reference", TYPE_UTF8, connack, disconnect);
        define(REASON_STRING, "Reason String", TYPE_UTF8, connack, PacketType.PUBACK, PacketType.PUBREC,
                PacketType.PUBREL, PacketType.PUBCOMP, PacketType.SUBACK, PacketType.UNSUBACK, disconnect, auth);
        define(RECEIVE_MAXIMUM, "Receive Maximum", TYPE_TWO_BYTE, connect, connack);
        define(TOPIC_ALIAS_MAXIMUM, "Topic Alias Maximum", TYPE_TWO_BYTE, connect, connack);
        define(TOPIC_ALIAS, "Topic Alias", TYPE_TWO_BYTE, publish);
        define(MAXIMUM_QOS, "Maximum QoS", TYPE_BYTE, connack);
        define(RETAIN_AVAILABLE, "Retain Available", TYPE_BYTE, connack);
        define(USER_PROPERTY, "User Property", TYPE_UTF8_PAIR, connect, connack, publish, will,
                PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP,
                PacketType.SUBSCRIBE, PacketType.SUBACK, PacketType.UNSUBSCRIBE, PacketType.UNSUBACK,
                disconnect, auth);
        define(MAXIMUM_PACKET_SIZE, "Maximum Packet Size", TYPE_FOUR_BYTE, connect, connack);
        define(WILDCARD_SUBSCRIPTION_AVAILABLE, "Wildcard Subscription Available", TYPE_BYTE, connack);
        define(SUBSCRIPTION_IDENTIFIER_AVAILABLE, "Subscription Identifier Available", TYPE_BYTE, connack);
        define(SHARED_SUBSCRIPTION_AVAILABLE, "Shared Subscription Available", TYPE_BYTE, connack);
        int numbers = 0;
        int bytes = 0;
        for (int id = 1; id <= MAX_ID; id++) {
            if (isNumber(id)) {
                SLOTS[id] = (byte) numbers++;
            } else if (isBytes(id)) {
                SLOTS[id] = (byte) bytes++;
            }
        }
        NUMBER_SLOTS = numbers;
        BYTES_SLOTS = bytes;
    }

    private Property() {
    }

    private static void define(int id, String name, int type, int... scopes) {
        NAMES[id] = name;
        TYPES[id] = type;
        for (int scope : scopes) {
            ALLOWED[scope] |= 1L << id;
        }
    }

    /** @return true when {@code id} is a property MQTT 5.0 defines */
    public static boolean isDefined(int id) {
        return id > 0 && id <= MAX_ID && TYPES[id] != 0;
    }

    /** @return the data type ({@code TYPE_*}) of a defined property */
    public static int type(int id) {
        return TYPES[id];
    }

    /** @return true for a defined Byte, Two Byte or Four Byte Integer property */
    static boolean isNumber(int id) {
        int type = isDefined(id) ? TYPES[id] : 0;
        return type == TYPE_BYTE || type == TYPE_TWO_BYTE || type == TYPE_FOUR_BYTE;
    }

    /** @return true for a defined UTF-8 string or Binary Data property */
    static boolean isBytes(int id) {
        int type = isDefined(id) ? TYPES[id] : 0;
        return type == TYPE_UTF8 || type == TYPE_BINARY;
    }

    /**
     * Dense storage index, so holders keep one array slot per property that exists instead of one per
     * identifier up to {@link #MAX_ID}: 0..{@link #NUMBER_SLOTS}-1 for an {@link #isNumber} property,
     * 0..{@link #BYTES_SLOTS}-1 for an {@link #isBytes} one, 0 for any other.
     */
    static int slot(int id) {
        return SLOTS[id];
    }

    /** @return the specification's name, e.g. "Topic Alias", or "property 0x.." when undefined */
    public static String name(int id) {
        return isDefined(id) ? NAMES[id] : "property 0x" + Integer.toHexString(id);
    }

    /**
     * @param scope a packet type, or {@link #WILL_SCOPE}
     * @return bit mask of the identifiers allowed there
     */
    public static long allowedIn(int scope) {
        return ALLOWED[scope];
    }

    /** @return true when {@code id} may appear in {@code scope} */
    public static boolean isAllowedIn(int id, int scope) {
        return isDefined(id) && (ALLOWED[scope] & (1L << id)) != 0;
    }

    /** @return true for the properties that may repeat: User Property, and Subscription Identifier in PUBLISH */
    static boolean mayRepeat(int id, int scope) {
        return id == USER_PROPERTY || (id == SUBSCRIPTION_IDENTIFIER && scope == PacketType.PUBLISH);
    }

    /**
     * The value rules of spec 3.x for integer properties: flags are 0 or 1, a Receive Maximum, Maximum
     * Packet Size, Topic Alias or Subscription Identifier is never 0, and each fits its data type.
     *
     * @return null when {@code value} is legal for {@code id}, else a sentence saying why not
     */
    static String valueProblem(int id, long value) {
        long max;
        switch (type(id)) {
            case TYPE_BYTE: max = 0xFF; break;
            case TYPE_TWO_BYTE: max = 0xFFFF; break;
            case TYPE_FOUR_BYTE: max = 0xFFFF_FFFFL; break;
            default: max = VarInt.MAX_VALUE; break;
        }
        if (value < 0 || value > max) {
            return name(id) + " must be 0.." + max + ", was " + value;
        }
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR:
            case REQUEST_PROBLEM_INFORMATION:
            case REQUEST_RESPONSE_INFORMATION:
            case MAXIMUM_QOS:
            case RETAIN_AVAILABLE:
            case WILDCARD_SUBSCRIPTION_AVAILABLE:
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE:
            case SHARED_SUBSCRIPTION_AVAILABLE:
                return value > 1 ? name(id) + " must be 0 or 1, was " + value : null;
            case RECEIVE_MAXIMUM:
            case MAXIMUM_PACKET_SIZE:
            case TOPIC_ALIAS:
            case SUBSCRIPTION_IDENTIFIER:
                return value == 0 ? name(id) + " must not be 0" : null;
            default:
                return null;
        }
    }

    /** @return a name for a scope, for messages */
    static String scopeName(int scope) {
        return scope == WILL_SCOPE ? "Will Properties" : PacketType.name(scope);
    }
}
