package io.pipit.mqtt;

/**
 * MQTT 5.0 Reason Codes (specification section 2.4), as plain {@code int} constants so hot paths never box.
 * Stateless; safe from any thread.
 *
 * <p>Values below 0x80 report success; 0x80 and above report failure. Several codes share a value
 * (0x00 is Success, Normal Disconnection and Granted QoS 0), which is why these are constants and not
 * an enum. Which codes each packet may carry is checked by the codec.
 */
public final class ReasonCode {
    public static final int SUCCESS = 0x00;
    public static final int NORMAL_DISCONNECTION = 0x00;
    public static final int GRANTED_QOS_0 = 0x00;
    public static final int GRANTED_QOS_1 = 0x01;
    public static final int GRANTED_QOS_2 = 0x02;
    public static final int DISCONNECT_WITH_WILL_MESSAGE = 0x04;
    public static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    public static final int NO_SUBSCRIPTION_EXISTED = 0x11;
    public static final int CONTINUE_AUTHENTICATION = 0x18;
    public static final int RE_AUTHENTICATE = 0x19;
    public static final int UNSPECIFIED_ERROR = 0x80;
    public static final int MALFORMED_PACKET = 0x81;
    public static final int PROTOCOL_ERROR = 0x82;
    public static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
    public static final int UNSUPPORTED_PROTOCOL_VERSION = 0x84;
    public static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    public static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    public static final int NOT_AUTHORIZED = 0x87;
    public static final int SERVER_UNAVAILABLE = 0x88;
    public static final int SERVER_BUSY = 0x89;
    public static final int BANNED = 0x8A;
    public static final int SERVER_SHUTTING_DOWN = 0x8B;
    public static final int BAD_AUTHENTICATION_METHOD = 0x8C;
    public static final int KEEP_ALIVE_TIMEOUT = 0x8D;
    public static final int SESSION_TAKEN_OVER = 0x8E;
    public static final int TOPIC_FILTER_INVALID = 0x8F;
    public static final int TOPIC_NAME_INVALID = 0x90;
    public static final int PACKET_IDENTIFIER_IN_USE = 0x91;
    public static final int PACKET_IDENTIFIER_NOT_FOUND = 0x92;
    public static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
    public static final int TOPIC_ALIAS_INVALID = 0x94;
    public static final int PACKET_TOO_LARGE = 0x95;
    public static final int MESSAGE_RATE_TOO_HIGH = 0x96;
    public static final int QUOTA_EXCEEDED = 0x97;
    public static final int ADMINISTRATIVE_ACTION = 0x98;
    public static final int PAYLOAD_FORMAT_INVALID = 0x99;
    public static final int RETAIN_NOT_SUPPORTED = 0x9A;
    public static final int QOS_NOT_SUPPORTED = 0x9B;
    public static final int USE_ANOTHER_SERVER = 0x9C;
    public static final int SERVER_MOVED = 0x9D;
    public static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;
    public static final int CONNECTION_RATE_EXCEEDED = 0x9F;
    public static final int MAXIMUM_CONNECT_TIME = 0xA0;
    public static final int SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED = 0xA1;
    public static final int WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED = 0xA2;

    private ReasonCode() {
    }

    /** @return true when {@code code} reports a failure (0x80 and above) */
    public static boolean isError(int code) {
        return code >= 0x80;
    }

    /**
     * The specification's name for a code, for logs and exception messages. Where a value has several
     * names, the generic one is returned (0x00 is "Success").
     *
     * @param code a reason code
     * @return its name, or "Unknown reason code" for a value the specification does not define
     */
    public static String name(int code) {
        switch (code) {
            case 0x00: return "Success";
            case 0x01: return "Granted QoS 1";
            case 0x02: return "Granted QoS 2";
            case 0x04: return "Disconnect with Will Message";
            case 0x10: return "No matching subscribers";
            case 0x11: return "No subscription existed";
            case 0x18: return "Continue authentication";
            case 0x19: return "Re-authenticate";
            case 0x80: return "Unspecified error";
            case 0x81: return "Malformed Packet";
            case 0x82: return "Protocol Error";
            case 0x83: return "Implementation specific error";
            case 0x84: return "Unsupported Protocol Version";
            case 0x85: return "Client Identifier not valid";
            case 0x86: return "Bad User Name or Password";
            case 0x87: return "Not authorized";
            case 0x88: return "Server unavailable";
            case 0x89: return "Server busy";
            case 0x8A: return "Banned";
            case 0x8B: return "Server shutting down";
            case 0x8C: return "Bad authentication method";
            case 0x8D: return "Keep Alive timeout";
            case 0x8E: return "Session taken over";
            case 0x8F: return "Topic Filter invalid";
            case 0x90: return "Topic Name invalid";
            case 0x91: return "Packet Identifier in use";
            case 0x92: return "Packet Identifier not found";
            case 0x93: return "Receive Maximum exceeded";
            case 0x94: return "Topic Alias invalid";
            case 0x95: return "Packet too large";
            case 0x96: return "Message rate too high";
            case 0x97: return "Quota exceeded";
            case 0x98: return "Administrative action";
            case 0x99: return "Payload format invalid";
            case 0x9A: return "Retain not supported";
            case 0x9B: return "QoS not supported";
            case 0x9C: return "Use another server";
            case 0x9D: return "Server moved";
            case 0x9E: return "Shared Subscriptions not supported";
            case 0x9F: return "Connection rate exceeded";
            case 0xA0: return "Maximum connect time";
            case 0xA1: return "Subscription Identifiers not supported";
            case 0xA2: return "Wildcard Subscriptions not supported";
            default: return "Unknown reason code";
        }
    }

    /** @return e.g. {@code "0x81 Malformed Packet"} */
    public static String describe(int code) {
        return String.format("0x%02X %s", code, name(code));
    }
}
