package io.pipit.testkit;

import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.RecordedPacket.Direction;
import io.pipit.testkit.internal.Broker;
import io.pipit.testkit.internal.EventLoop;
import io.pipit.testkit.internal.FaultRules;
import io.pipit.testkit.internal.PacketLog;
import io.pipit.testkit.internal.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 5.0 and 3.1.1 broker for tests, running in-process on a loopback port: real routing (wildcards, the
 * {@code $}-topic rule, retained messages, shared subscriptions, QoS 0/1/2, persistent sessions, Wills, Topic
 * Aliases, Subscription Identifiers), configurable limits, a record of every packet, and scripted faults.
 *
 * <pre>{@code
 * try (MockBroker broker = MockBroker.builder().receiveMaximum(2).start()) {
 *     connectYourClientTo(broker.uri());
 *     RecordedPacket p = broker.awaitPublish("tele/+/temp");
 *     assertEquals("21.5", p.payloadAsString());
 * }
 * }</pre>
 *
 * <p>Thread-safety: every method is safe from any thread. The broker runs on one daemon thread of its own,
 * {@code pipit-mock-broker-<port>}, which also runs the {@link Authenticator} and the predicates of
 * {@link Faults}; {@link #close()} stops it. Methods that act on the broker's state (the fault actions,
 * {@link #publish}, {@link #restart}) wait until the broker thread has done it. Await methods wait on the
 * calling thread and throw {@link AssertionError} listing the recorded packets when they time out.
 */
public final class MockBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MockBroker.class);
    /** A PUBLISH with QoS 3: malformed in both versions, so a client must answer 0x81 Malformed Packet. */
    private static final byte[] MALFORMED_PUBLISH = {0x36, 0x05, 0x00, 0x01, 'x', 0x00, 0x01};

    private final Settings settings;
    private final EventLoop loop;
    private final PacketLog log;
    private final FaultRules rules = new FaultRules();
    private final Broker broker;
    private final int port;
    private final long startupNs;

    private MockBroker(Settings settings) {
        long begin = System.nanoTime();
        this.settings = settings;
        this.log = new PacketLog(settings.recordLimit());
        try {
            this.loop = new EventLoop("pipit-mock-broker");
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a selector for the mock broker", e);
        }
        this.broker = new Broker(settings, loop, log, rules);
        try {
            this.port = loop.call(() -> broker.listen(settings.port()));
        } catch (RuntimeException e) {
            loop.close();
            throw e;
        }
        loop.rename("pipit-mock-broker-" + port);
        this.startupNs = System.nanoTime() - begin;
        LOG.info("mock MQTT broker ready on {} in {} us", uri(), TimeUnit.NANOSECONDS.toMicros(startupNs));
    }

    /** @return a builder for a broker with non-default limits */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a broker with default limits, started on an ephemeral port */
    public static MockBroker start() {
        return builder().start();
    }

    /** @return the loopback port the broker listens on */
    public int port() {
        return port;
    }

    /** @return {@code tcp://127.0.0.1:<port>}, for clients that take a server URI */
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** @return how long {@link Builder#start()} took until the broker accepted connections, in nanoseconds */
    public long startupNs() {
        return startupNs;
    }

    /** @return the fault rules that apply to every client */
    public Faults faults() {
        return new Faults(rules, null);
    }

    /** @return the fault rules that apply to the client with this Client Identifier */
    public Faults faults(String clientId) {
        return new Faults(rules, clientId);
    }

    /**
     * Sends a connected client DISCONNECT with any reason code (MQTT 5; a 3.1.1 client is just disconnected) and
     * closes the connection. The client's Will is published.
     */
    public void disconnect(String clientId, int reasonCode) {
        disconnect(clientId, reasonCode, null);
    }

    /** Like {@link #disconnect(String, int)}, adding a Server Reference, e.g. for 0x9C Use another server. */
    public void disconnect(String clientId, int reasonCode, String serverReference) {
        loop.call(() -> {
            broker.disconnectClient(clientId, reasonCode, serverReference);
            return null;
        });
    }

    /** Closes a connected client's socket without DISCONNECT, like a network failure. The Will is published. */
    public void drop(String clientId) {
        loop.call(() -> {
            broker.dropClient(clientId);
            return null;
        });
    }

    /** Stops reading from and writing to a connected client, keeping its socket open (a half-open link). */
    public void blackHole(String clientId) {
        loop.call(() -> {
            broker.blackHoleClient(clientId);
            return null;
        });
    }

    /** Writes {@code bytes} to a connected client as they are, e.g. a hand-made malformed packet. */
    public void sendRaw(String clientId, byte[] bytes) {
        byte[] copy = bytes.clone();
        loop.call(() -> {
            broker.sendRaw(clientId, copy);
            return null;
        });
    }

    /** Sends a connected client a PUBLISH with QoS 3, which it must answer with DISCONNECT 0x81. */
    public void sendMalformed(String clientId) {
        sendRaw(clientId, MALFORMED_PUBLISH);
    }

    /**
     * Sends a connected MQTT 5 client a QoS 0 PUBLISH with an empty topic and a Topic Alias it was never told
     * ({@code alias} 1 and up), which it must answer with DISCONNECT 0x82 Protocol Error (or 0x94 when the alias
     * exceeds its Topic Alias Maximum).
     */
    public void sendPublishWithUnknownTopicAlias(String clientId, int alias) {
        loop.call(() -> {
            broker.sendUnknownTopicAlias(clientId, alias);
            return null;
        });
    }

    /** Publishes a message from the broker itself, as if a client named {@code $broker} had sent it. */
    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        loop.call(() -> {
            broker.publishFromBroker(topic, payload, qos, retain);
            return null;
        });
    }

    /** Publishes a UTF-8 text message from the broker itself. */
    public void publish(String topic, String payload, int qos, boolean retain) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    /**
     * Restarts at once: drops every connection without DISCONNECT or Will, as a crashed broker would, and keeps
     * (true) or forgets (false) sessions and retained messages.
     */
    public void restart(boolean keepSessions) {
        restart(keepSessions, Duration.ZERO);
    }

    /** Like {@link #restart(boolean)}, refusing connections for {@code downtime} before listening again. */
    public void restart(boolean keepSessions, Duration downtime) {
        loop.call(() -> {
            broker.restart(keepSessions, downtime.toNanos());
            return null;
        });
    }

    /** @return the Client Identifiers connected now */
    public Set<String> connectedClients() {
        return log.connectedClients();
    }

    /** @return the Topic Filters the session of {@code clientId} holds (empty without a session) */
    public List<String> subscriptions(String clientId) {
        return loop.call(() -> broker.subscriptions(clientId));
    }

    /** @return true when the broker keeps a session for {@code clientId} */
    public boolean hasSession(String clientId) {
        return loop.call(() -> broker.hasSession(clientId));
    }

    /** @return every packet recorded so far, both directions, oldest first */
    public List<RecordedPacket> packets() {
        return log.select(p -> true);
    }

    /** @return the packets received from {@code clientId}, oldest first */
    public List<RecordedPacket> received(String clientId) {
        return log.select(p -> p.direction() == Direction.RECEIVED && p.clientId().equals(clientId));
    }

    /** @return the packets sent to {@code clientId}, oldest first */
    public List<RecordedPacket> sent(String clientId) {
        return log.select(p -> p.direction() == Direction.SENT && p.clientId().equals(clientId));
    }

    /** Forgets the packets recorded so far, e.g. after a test's set-up. */
    public void clearRecording() {
        log.clear();
    }

    /** @return the first PUBLISH received from any client whose topic matches {@code topicFilter} */
    public RecordedPacket awaitPublish(String topicFilter) {
        return awaitPublishes(topicFilter, 1, settings.awaitTimeout()).get(0);
    }

    /** @return the first {@code count} PUBLISHes received from clients whose topics match {@code topicFilter} */
    public List<RecordedPacket> awaitPublishes(String topicFilter, int count) {
        return awaitPublishes(topicFilter, count, settings.awaitTimeout());
    }

    /** Like {@link #awaitPublishes(String, int)} with its own timeout. */
    public List<RecordedPacket> awaitPublishes(String topicFilter, int count, Duration timeout) {
        return log.awaitPublishes(topicFilter, count, timeout);
    }

    /** @return the first packet of {@code packetType} received from {@code clientId} */
    public RecordedPacket awaitReceived(String clientId, int packetType) {
        return await(p -> p.direction() == Direction.RECEIVED && p.clientId().equals(clientId)
                && p.type() == packetType, 1, settings.awaitTimeout(),
                PacketType.name(packetType) + " from " + clientId).get(0);
    }

    /** @return the first packet of {@code packetType} sent to {@code clientId} */
    public RecordedPacket awaitSent(String clientId, int packetType) {
        return await(p -> p.direction() == Direction.SENT && p.clientId().equals(clientId)
                && p.type() == packetType, 1, settings.awaitTimeout(),
                PacketType.name(packetType) + " to " + clientId).get(0);
    }

    /**
     * Waits until {@code count} recorded packets (those already recorded included) match {@code filter}.
     *
     * @param description what is awaited, for the failure message
     * @throws AssertionError on timeout, listing the packets recorded
     */
    public List<RecordedPacket> await(Predicate<RecordedPacket> filter, int count, Duration timeout,
            String description) {
        return log.await(filter, count, timeout, description);
    }

    /** Waits until {@code clientId} is connected (CONNACK 0x00 sent). */
    public void awaitConnected(String clientId) {
        log.awaitConnected(clientId, true, settings.awaitTimeout());
    }

    /** Waits until {@code clientId} is no longer connected. */
    public void awaitDisconnected(String clientId) {
        log.awaitConnected(clientId, false, settings.awaitTimeout());
    }

    /** @return every packet recorded, one a line, as the await helpers print them */
    public String describeRecording() {
        return log.describeAll();
    }

    /** Closes every connection (no Will is published) and the listener, and stops the broker's thread. */
    @Override
    public void close() {
        loop.close(broker::shutdown);
    }

    @Override
    public String toString() {
        return "MockBroker[" + uri() + "]";
    }

    /**
     * Server limits for a {@link MockBroker}; the defaults are the most permissive MQTT allows, except a Topic
     * Alias Maximum of 10. Not thread-safe; {@link #start()} copies the settings, so a builder may be reused.
     */
    public static final class Builder {
        private final Settings settings = new Settings();

        private Builder() {
        }

        /** Listens on this port (default 0: an ephemeral port, see {@link MockBroker#port()}). */
        public Builder port(int port) {
            settings.port(range(port, 0, 65_535, "port"));
            return this;
        }

        /** QoS 1 and 2 PUBLISHes a client may have unacknowledged; more is DISCONNECT 0x93 (default 65,535). */
        public Builder receiveMaximum(int receiveMaximum) {
            settings.receiveMaximum(range(receiveMaximum, 1, 65_535, "Receive Maximum"));
            return this;
        }

        /**
         * Give the messages the broker sends topic aliases, up to each client's Topic Alias Maximum (default
         * off): the first message on a topic carries topic and alias, later ones the alias alone.
         */
        public Builder assignTopicAliases(boolean enabled) {
            settings.assignTopicAliases(enabled);
            return this;
        }

        /**
         * Speak only MQTT 3.1.1 (default off), like RabbitMQ 3.x or Moquette 0.17: an MQTT 5.0 CONNECT is answered
         * with a 3.1.1 CONNACK 0x01, unacceptable protocol version, and the connection closed; a client that falls
         * back connects in 3.1.1.
         */
        public Builder mqtt311Only(boolean enabled) {
            settings.mqtt311Only(enabled);
            return this;
        }

        /** Highest Topic Alias a client may use (default 10; 0 refuses aliases). */
        public Builder topicAliasMaximum(int topicAliasMaximum) {
            settings.topicAliasMaximum(range(topicAliasMaximum, 0, 65_535, "Topic Alias Maximum"));
            return this;
        }

        /** Highest QoS clients may publish with (default 2); higher is DISCONNECT 0x9B, subscriptions are capped. */
        public Builder maximumQos(int maximumQos) {
            settings.maximumQos(range(maximumQos, 0, 2, "Maximum QoS"));
            return this;
        }

        /** Whether retained messages are supported (default true); a retained PUBLISH then is DISCONNECT 0x9A. */
        public Builder retainAvailable(boolean retainAvailable) {
            settings.retainAvailable(retainAvailable);
            return this;
        }

        /** Largest packet the broker accepts, header included; larger is DISCONNECT 0x95 (default: no limit). */
        public Builder maximumPacketSize(int maximumPacketSize) {
            settings.maximumPacketSize(range(maximumPacketSize, 16, Integer.MAX_VALUE, "Maximum Packet Size"));
            return this;
        }

        /** Keep Alive the broker imposes on every client, in seconds (default: the client's own). */
        public Builder serverKeepAlive(int seconds) {
            settings.serverKeepAliveSeconds(range(seconds, 0, 65_535, "Server Keep Alive"));
            return this;
        }

        /** Client Identifier given to a client that connects without one (default: generated). */
        public Builder assignedClientIdentifier(String clientId) {
            settings.assignedClientIdentifier(clientId);
            return this;
        }

        /** Longest Session Expiry Interval granted, in seconds (default: as long as the client asks). */
        public Builder maximumSessionExpiry(long seconds) {
            if (seconds < 0 || seconds > Settings.NEVER_EXPIRES) {
                throw new IllegalArgumentException("Session Expiry must be 0..4294967295: " + seconds);
            }
            settings.maximumSessionExpirySeconds(seconds);
            return this;
        }

        /** Decides who may connect (default: everyone). */
        public Builder authenticator(Authenticator authenticator) {
            settings.authenticator(authenticator);
            return this;
        }

        /** Timeout of the await methods that take none (default 5 s). */
        public Builder awaitTimeout(Duration timeout) {
            settings.awaitTimeout(timeout);
            return this;
        }

        /** Packets the recording keeps before it drops the oldest (default 1,000,000). */
        public Builder recordLimit(int packets) {
            settings.recordLimit(range(packets, 1, Integer.MAX_VALUE, "record limit"));
            return this;
        }

        /** @return a running broker; close it after use */
        public MockBroker start() {
            return new MockBroker(settings.copy());
        }

        private static int range(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
            }
            return value;
        }
    }
}
