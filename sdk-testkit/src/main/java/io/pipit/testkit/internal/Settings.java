package io.pipit.testkit.internal;

import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.testkit.Authenticator;
import java.time.Duration;

/**
 * The mock broker's limits and options, filled by {@code MockBroker.Builder} and copied once when the broker
 * starts. Not thread-safe while being filled; the broker's copy is only read afterwards, on its loop thread.
 * Fluent pairs: {@code receiveMaximum()} reads, {@code receiveMaximum(int)} writes.
 */
public final class Settings {
    /** A Session Expiry Interval that never expires (spec 3.1.2.11.2). */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private int port;
    private int receiveMaximum = 65_535;
    private int topicAliasMaximum = 10;
    private int maximumQos = 2;
    private boolean retainAvailable = true;
    private int maximumPacketSize = FixedHeader.MAX_PACKET_SIZE;
    private int serverKeepAliveSeconds = -1;
    private String assignedClientIdentifier;
    private long maximumSessionExpirySeconds = NEVER_EXPIRES;
    private Authenticator authenticator;
    private Duration awaitTimeout = Duration.ofSeconds(5);
    private int recordLimit = 1_000_000;
    private boolean assignTopicAliases;
    private boolean mqtt311Only;

    /** @return a copy, so a builder reused after {@code start()} does not change a running broker */
    public Settings copy() {
        Settings c = new Settings();
        c.port = port;
        c.receiveMaximum = receiveMaximum;
        c.topicAliasMaximum = topicAliasMaximum;
        c.assignTopicAliases = assignTopicAliases;
        c.maximumQos = maximumQos;
        c.retainAvailable = retainAvailable;
        c.maximumPacketSize = maximumPacketSize;
        c.serverKeepAliveSeconds = serverKeepAliveSeconds;
        c.assignedClientIdentifier = assignedClientIdentifier;
        c.maximumSessionExpirySeconds = maximumSessionExpirySeconds;
        c.authenticator = authenticator;
        c.awaitTimeout = awaitTimeout;
        c.recordLimit = recordLimit;
        c.mqtt311Only = mqtt311Only;
        return c;
    }

    public int port() {
        return port;
    }

    public Settings port(int value) {
        port = value;
        return this;
    }

    public int receiveMaximum() {
        return receiveMaximum;
    }

    public Settings receiveMaximum(int value) {
        receiveMaximum = value;
        return this;
    }

    public boolean assignTopicAliases() {
        return assignTopicAliases;
    }

    public Settings assignTopicAliases(boolean value) {
        assignTopicAliases = value;
        return this;
    }

    /** @return true when the broker refuses MQTT 5.0 CONNECTs as a 3.1.1-only broker does */
    public boolean mqtt311Only() {
        return mqtt311Only;
    }

    public Settings mqtt311Only(boolean value) {
        mqtt311Only = value;
        return this;
    }

    public int topicAliasMaximum() {
        return topicAliasMaximum;
    }

    public Settings topicAliasMaximum(int value) {
        topicAliasMaximum = value;
        return this;
    }

    public int maximumQos() {
        return maximumQos;
    }

    public Settings maximumQos(int value) {
        maximumQos = value;
        return this;
    }

    public boolean retainAvailable() {
        return retainAvailable;
    }

    public Settings retainAvailable(boolean value) {
        retainAvailable = value;
        return this;
    }

    public int maximumPacketSize() {
        return maximumPacketSize;
    }

    public Settings maximumPacketSize(int value) {
        maximumPacketSize = value;
        return this;
    }

    /** @return the Server Keep Alive to impose in seconds, or -1 to accept the client's */
    public int serverKeepAliveSeconds() {
        return serverKeepAliveSeconds;
    }

    public Settings serverKeepAliveSeconds(int value) {
        serverKeepAliveSeconds = value;
        return this;
    }

    /** @return the identifier given to a client that sends an empty one, or null to generate one */
    public String assignedClientIdentifier() {
        return assignedClientIdentifier;
    }

    public Settings assignedClientIdentifier(String value) {
        assignedClientIdentifier = value;
        return this;
    }

    public long maximumSessionExpirySeconds() {
        return maximumSessionExpirySeconds;
    }

    public Settings maximumSessionExpirySeconds(long value) {
        maximumSessionExpirySeconds = value;
        return this;
    }

    /** @return the authenticator, or null to accept every client */
    public Authenticator authenticator() {
        return authenticator;
    }

    public Settings authenticator(Authenticator value) {
        authenticator = value;
        return this;
    }

    public Duration awaitTimeout() {
        return awaitTimeout;
    }

    public Settings awaitTimeout(Duration value) {
        awaitTimeout = value;
        return this;
    }

    /** @return how many packets the log keeps before it drops the oldest */
    public int recordLimit() {
        return recordLimit;
    }

    public Settings recordLimit(int value) {
        recordLimit = value;
        return this;
    }
}
