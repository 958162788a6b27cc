package io.pipit.testkit;

import java.util.List;
import java.util.Map;

/**
 * One packet the mock broker received from or sent to a client, decoded into plain values (copies: valid
 * forever). Immutable and safe to read from any thread; made by the broker, never implemented by users.
 *
 * <p>Accessors that do not apply to the packet's type return 0, false, null or an empty list. {@link #toString()}
 * is a one-line summary such as {@code dev-1 -> broker PUBLISH qos=1 id=3 topic='tele/a/temp' payload='21.5'},
 * which is what the await helpers print when they time out.
 */
public interface RecordedPacket {
    /** Which way the packet went. */
    enum Direction {
        /** From the client to the broker. */
        RECEIVED,
        /** From the broker to the client. */
        SENT
    }

    /** @return which way the packet went */
    Direction direction();

    /**
     * @return the connection's Client Identifier (the assigned one when the client sent none), or
     *     {@code "?"} for bytes that arrived before a CONNECT was understood
     */
    String clientId();

    /** @return the packet type, as in {@link io.pipit.mqtt.codec.PacketType} (3 = PUBLISH) */
    int type();

    /** @return the packet's name, e.g. "PUBLISH", or "MALFORMED" when the bytes did not decode */
    String typeName();

    /** @return {@link System#nanoTime()} when the packet was recorded */
    long timestampNs();

    /** @return true when the connection speaks MQTT 5.0 (false for 3.1.1) */
    boolean mqtt5();

    /** @return the exact bytes on the wire (a copy) */
    byte[] bytes();

    /** @return why the bytes did not decode (e.g. a fault-injected malformed packet), or null */
    String malformed();

    /** @return the QoS of a PUBLISH, or the Will QoS of a CONNECT */
    int qos();

    /** @return the DUP flag of a PUBLISH */
    boolean dup();

    /** @return the RETAIN flag of a PUBLISH, or Will Retain of a CONNECT */
    boolean retain();

    /** @return the Packet Identifier, or 0 when the packet has none */
    int packetId();

    /**
     * @return a PUBLISH's topic, resolved through the connection's Topic Alias table when the client sent only
     *     an alias; a CONNECT's Will Topic; else null
     */
    String topic();

    /** @return the Topic Alias a PUBLISH carried, or 0 */
    int topicAlias();

    /** @return a PUBLISH's payload or a CONNECT's Will Payload (a copy), or an empty array */
    byte[] payload();

    /** @return {@link #payload()} decoded as UTF-8 */
    String payloadAsString();

    /**
     * @return the reason code of CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT or AUTH (the 3.1.1 return
     *     code for CONNACK), the first code of SUBACK / UNSUBACK, else 0
     */
    int reasonCode();

    /** @return every reason code of a SUBACK or UNSUBACK */
    List<Integer> reasonCodes();

    /** @return the Topic Filters of a SUBSCRIBE or UNSUBSCRIBE */
    List<String> topicFilters();

    /** @return the Subscription Options byte of each SUBSCRIBE Topic Filter */
    List<Integer> subscriptionOptions();

    /** @return Session Present of a CONNACK */
    boolean sessionPresent();

    /** @return Clean Start (Clean Session in 3.1.1) of a CONNECT */
    boolean cleanStart();

    /** @return Keep Alive of a CONNECT, in seconds */
    int keepAliveSeconds();

    /** @return the User Name of a CONNECT, or null */
    String userName();

    /**
     * @param propertyId an integer property, e.g. {@link io.pipit.mqtt.codec.Property#SESSION_EXPIRY_INTERVAL}
     * @return its value, or {@code absent} when the packet did not carry it
     */
    long property(int propertyId, long absent);

    /** @return the value of a UTF-8 string property such as Reason String, or null */
    String stringProperty(int propertyId);

    /** @return the value of a binary property such as Correlation Data (a copy), or null */
    byte[] binaryProperty(int propertyId);

    /** @return the Subscription Identifiers, in wire order */
    List<Integer> subscriptionIdentifiers();

    /** @return the User Properties in wire order (a name may repeat: later ones are kept) */
    Map<String, String> userProperties();
}
