package io.pipit.mqtt.client;

import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.Utf8;
import io.pipit.mqtt.driver.ClientConnection;
import io.pipit.mqtt.driver.Driver;
import io.pipit.mqtt.driver.IoThreadDriver;
import io.pipit.mqtt.driver.NanoClock;
import io.pipit.mqtt.driver.PollDriver;
import io.pipit.mqtt.driver.ServerAddress;
import io.pipit.mqtt.queue.MemoryQueue;
import io.pipit.mqtt.queue.OutboundQueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Configures an {@link MqttClient}. Not thread-safe; build on one thread. Every setting is checked when set,
 * so a bad value fails here, not at connect time. Defaults: MQTT 5, Clean Start, keepalive 60 s, session
 * expiry 0, automatic reconnect off, connect timeout 10 s, 32 publishes in flight, packets up to 256 KB, a
 * 4 MB memory queue.
 */
public final class MqttClientBuilder {
    final ConnectEncoder connect = new ConnectEncoder().version(ProtocolVersion.MQTT_5).keepAliveSeconds(60);
    final List<ServerAddress> servers = new ArrayList<>();
    boolean automaticReconnect;
    boolean retryFirstConnect;
    boolean fallBackTo311 = true;
    boolean followServerReference;
    int outgoingTopicAliases = 16;
    io.pipit.mqtt.Authenticator authenticator;
    io.pipit.mqtt.driver.EventLoop eventLoop;
    boolean pollMode;
    long connectTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    long reconnectDelayMinNs = TimeUnit.MILLISECONDS.toNanos(250);
    long reconnectDelayMaxNs = TimeUnit.SECONDS.toNanos(60);
    long reconnectStableNs = TimeUnit.SECONDS.toNanos(10);
    io.pipit.mqtt.keepalive.KeepAlivePolicy keepAlivePolicy;
    io.pipit.mqtt.keepalive.KeepAliveScheduler keepAliveScheduler = io.pipit.mqtt.keepalive.KeepAliveScheduler.NONE;
    io.pipit.mqtt.driver.NanoClock clock = io.pipit.mqtt.driver.NanoClock.SYSTEM;
    int maxInflight = 32;
    int receiveMaximum = 65_535;
    int maximumPacketSize = 256 * 1024;
    OutboundQueue queue;
    io.pipit.mqtt.transport.TlsOptions tls;
    io.pipit.mqtt.transport.WebSocketOptions webSocket;
    ConnectionListener connectionListener = SILENT;
    PublishListener publishListener = (sequence, reasonCode) -> { };
    MessageListener unroutedListener;

    /** The default listener: one instance, so a client does not keep its builder alive through it. */
    private static final ConnectionListener SILENT = new ConnectionListener() {
    };

    MqttClientBuilder() {
    }

    /**
     * Adds a broker, e.g. {@code mqtt://127.0.0.1:1883}, or {@code mqtts://broker.example.com} (TLS, port 8883 by
     * default); several are tried in turn on reconnect.
     */
    public MqttClientBuilder server(String uri) {
        servers.add(ServerAddress.parse(uri));
        return this;
    }

    /** The Client Identifier; empty (the default) asks the server to assign one (MQTT 5). */
    public MqttClientBuilder clientId(String clientId) {
        connect.clientId(clientId);
        return this;
    }

    public MqttClientBuilder protocolVersion(ProtocolVersion version) {
        connect.version(version);
        return this;
    }

    /** Clean Start (5.0) / Clean Session (3.1.1): true discards any session the server kept. */
    public MqttClientBuilder cleanStart(boolean cleanStart) {
        connect.cleanStart(cleanStart);
        return this;
    }

    /** How long the server keeps the session after a disconnect (MQTT 5; 0 = ends with the connection). */
    public MqttClientBuilder sessionExpiry(long duration, TimeUnit unit) {
        connect.properties().put(Property.SESSION_EXPIRY_INTERVAL, Math.min(unit.toSeconds(duration), 0xFFFF_FFFFL));
        return this;
    }

    /** The keepalive interval (0 turns keepalive off; at most 65,535 s). The server may override it. */
    public MqttClientBuilder keepAlive(long duration, TimeUnit unit) {
        connect.keepAliveSeconds((int) Math.min(unit.toSeconds(duration), Integer.MAX_VALUE));
        keepAlivePolicy = null;
        return this;
    }

    /**
     * A keepalive policy, e.g. {@code KeepAlivePolicy.adaptive(30, 1800, SECONDS)} to learn the longest
     * interval the network tolerates (CONNECT then announces the maximum), or a fixed one with its own PINGRESP
     * timeout. Replaces {@link #keepAlive(long, TimeUnit)}.
     */
    public MqttClientBuilder keepAlive(io.pipit.mqtt.keepalive.KeepAlivePolicy policy) {
        connect.keepAliveSeconds(policy.connectSeconds());
        keepAlivePolicy = policy;
        return this;
    }

    /** Tells {@code scheduler} when timer work is next due (Android alarms, poll loops); default: no one. */
    public MqttClientBuilder keepAliveScheduler(io.pipit.mqtt.keepalive.KeepAliveScheduler scheduler) {
        if (scheduler == null) {
            throw new IllegalArgumentException("scheduler must not be null (use KeepAliveScheduler.NONE)");
        }
        keepAliveScheduler = scheduler;
        return this;
    }

    /**
     * The clock the client's timers run on (default {@link System#nanoTime()}); Android adapters give one that
     * keeps counting while the device sleeps. Not for a client on a shared event loop, which has one clock.
     */
    public MqttClientBuilder clock(io.pipit.mqtt.driver.NanoClock timeSource) {
        if (timeSource == null) {
            throw new IllegalArgumentException("clock must not be null (use NanoClock.SYSTEM)");
        }
        clock = timeSource;
        return this;
    }

    public MqttClientBuilder credentials(String userName, byte[] password) {
        connect.userName(userName == null ? null : io.pipit.mqtt.codec.Utf8.encode(userName, "user name"));
        connect.password(password);
        return this;
    }

    /**
     * MQTT 5 enhanced authentication on every connection, e.g.
     * {@code new io.pipit.mqtt.auth.ScramSha256("device-7", password)}.
     */
    public MqttClientBuilder authenticator(io.pipit.mqtt.Authenticator mechanism) {
        this.authenticator = mechanism;
        return this;
    }

    /** The Will Message the server publishes if this client disappears without DISCONNECT. */
    public MqttClientBuilder will(String topic, byte[] payload, int qos, boolean retain) {
        connect.will(io.pipit.mqtt.codec.Utf8.encode(topic, "will topic"), payload, qos, retain);
        return this;
    }

    /**
     * A Will Message with MQTT 5 Will Properties: Will Delay Interval (publish only if the client has not
     * come back within that many seconds), Message Expiry, Content Type, Response Topic, Correlation Data,
     * Payload Format Indicator, User Properties. The properties are copied.
     */
    public MqttClientBuilder will(String topic, byte[] payload, int qos, boolean retain,
            io.pipit.mqtt.codec.MqttProperties willProperties) {
        will(topic, payload, qos, retain);
        connect.willProperties().copyFrom(willProperties);
        return this;
    }

    /**
     * When an MQTT 5 CONNECT is refused as an unsupported version, retry at once in MQTT 3.1.1 and stay
     * with it (default on), so the client publishes to brokers that never learned 5.0.
     */
    public MqttClientBuilder fallBackTo311(boolean enabled) {
        this.fallBackTo311 = enabled;
        return this;
    }

    /**
     * Follow a server's redirect: when CONNACK or DISCONNECT says "Use another server" (0x9C) or "Server
     * moved" (0x9D) with a Server Reference, connect there at once (default off: a redirect is only taken
     * from a broker you trust).
     */
    public MqttClientBuilder followServerReference(boolean enabled) {
        this.followServerReference = enabled;
        return this;
    }

    /** Reconnect by itself after a connection that once succeeded drops (exponential backoff, full jitter). */
    public MqttClientBuilder automaticReconnect(boolean enabled) {
        this.automaticReconnect = enabled;
        return this;
    }

    /**
     * Retry a first {@code connect()} that fails, as automatic reconnect (which this needs) retries a dropped
     * connection: with the reconnect backoff, through the servers in turn, whatever the failure. {@code connect()}
     * then returns at the first CONNACK, or throws at the connect timeout with the last attempt's reason while the
     * client goes on trying until {@code close()}; see {@link MqttClient#connect()}. Default off: a first connect that
     * fails is the caller's to handle, as with Paho's automatic reconnect.
     */
    public MqttClientBuilder retryFirstConnect(boolean enabled) {
        this.retryFirstConnect = enabled;
        return this;
    }

    /** Bounds of the reconnect delay: the first ceiling and the cap. */
    public MqttClientBuilder reconnectDelay(long min, long max, TimeUnit unit) {
        if (min <= 0 || max < min) {
            throw new IllegalArgumentException("reconnect delay needs 0 < min <= max: " + min + ", " + max);
        }
        this.reconnectDelayMinNs = unit.toNanos(min);
        this.reconnectDelayMaxNs = unit.toNanos(max);
        return this;
    }

    /**
     * How long a connection must stay up before the reconnect backoff starts again from its minimum (default
     * 10 s), so a broker that accepts and at once drops us is not hammered.
     */
    public MqttClientBuilder reconnectStableAfter(long duration, TimeUnit unit) {
        if (duration < 0) {
            throw new IllegalArgumentException("reconnectStableAfter must not be negative: " + duration);
        }
        this.reconnectStableNs = unit.toNanos(duration);
        return this;
    }

    /** How long one connection attempt (TCP and CONNACK) may take. */
    public MqttClientBuilder connectTimeout(long timeout, TimeUnit unit) {
        if (timeout <= 0) {
            throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
        }
        this.connectTimeoutNs = unit.toNanos(timeout);
        return this;
    }

    /** Most QoS 1/2 publishes unacknowledged at once (the server's Receive Maximum may lower it). */
    public MqttClientBuilder maxInflight(int count) {
        if (count < 1 || count > 65_535) {
            throw new IllegalArgumentException("maxInflight must be 1..65535: " + count);
        }
        this.maxInflight = count;
        return this;
    }

    /**
     * Receive Maximum (MQTT 5, sent in CONNECT; default 65,535): the most QoS 1 and QoS 2 messages the server may
     * have sent this client and not yet seen acknowledged (PUBACK, or PUBCOMP for QoS 2). A small device lowers it
     * so a burst, such as a persistent session's backlog after a reconnect, arrives at the pace its listeners take
     * messages instead of all at once into its buffers, and so few QoS 2 identifiers wait for PUBREL. A server that
     * sends more is in breach: the client ends the connection with DISCONNECT 0x93. MQTT 3.1.1 has no such limit.
     *
     * @throws IllegalArgumentException unless 1..65,535
     */
    public MqttClientBuilder receiveMaximum(int count) {
        if (count < 1 || count > 65_535) {
            throw new IllegalArgumentException("receiveMaximum must be 1..65535: " + count);
        }
        this.receiveMaximum = count;
        return this;
    }

    /** The largest packet sent or received, header included; also sizes the two network buffers. */
    public MqttClientBuilder maximumPacketSize(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maximumPacketSize must be at least 1024: " + bytes);
        }
        this.maximumPacketSize = bytes;
        return this;
    }

    /**
     * The most topic aliases the client assigns to its own publishes, so repeat topics travel as two bytes
     * (MQTT 5; the server's Topic Alias Maximum may lower it). Default 16; 0 turns it off.
     */
    public MqttClientBuilder outgoingTopicAliases(int maximum) {
        if (maximum < 0 || maximum > 65_535) {
            throw new IllegalArgumentException("outgoingTopicAliases must be 0..65535: " + maximum);
        }
        this.outgoingTopicAliases = maximum;
        return this;
    }

    /** Adds a User Property to CONNECT (MQTT 5), e.g. a firmware version the broker's plugins can read. */
    public MqttClientBuilder connectUserProperty(String name, String value) {
        connect.properties().addUserProperty(name, value);
        return this;
    }

    /**
     * Asks the server for Response Information (a topic prefix for responses) and whether it may send Reason
     * Strings and User Properties on errors (MQTT 5; both off and on respectively by default, per the spec).
     */
    public MqttClientBuilder requestInformation(boolean responseInformation, boolean problemInformation) {
        connect.properties().put(Property.REQUEST_RESPONSE_INFORMATION, responseInformation ? 1 : 0)
                .put(Property.REQUEST_PROBLEM_INFORMATION, problemInformation ? 1 : 0);
        return this;
    }

    /** How many topic aliases the server may use towards us (MQTT 5; 0 = none). */
    public MqttClientBuilder topicAliasMaximum(int maximum) {
        connect.properties().put(Property.TOPIC_ALIAS_MAXIMUM, maximum);
        return this;
    }

    /**
     * TLS settings for the {@code mqtts://} servers: trust, client certificate, PSK, pins, ALPN (default
     * {@link io.pipit.mqtt.transport.TlsOptions#defaults()}: system trust store, host name verified). Every server
     * must then be {@code mqtts://}, so TLS settings never sit unused beside a plaintext connection.
     */
    public MqttClientBuilder tls(io.pipit.mqtt.transport.TlsOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("TLS options must not be null");
        }
        this.tls = options;
        return this;
    }

    /**
     * WebSocket settings for the {@code ws://} and {@code wss://} servers: path when the URI has none,
     * subprotocol, extra upgrade headers such as {@code Authorization}, largest frame (default
     * {@link io.pipit.mqtt.transport.WebSocketOptions#defaults()}). Every server must then be {@code ws://} or
     * {@code wss://}.
     */
    public MqttClientBuilder webSocket(io.pipit.mqtt.transport.WebSocketOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("WebSocket options must not be null");
        }
        this.webSocket = options;
        return this;
    }

    /**
     * The outbound store (default: a 4 MB {@link MemoryQueue} that refuses when full). For publishes that
     * survive a process restart use a {@link io.pipit.mqtt.queue.FileQueue} with a persistent session
     * ({@code cleanStart(false)}, a session expiry) and a fixed client id; the application closes it after
     * the client.
     */
    public MqttClientBuilder queue(OutboundQueue outboundQueue) {
        this.queue = outboundQueue;
        return this;
    }

    /** Runs the client on a shared {@link io.pipit.mqtt.driver.EventLoop} instead of its own thread. */
    public MqttClientBuilder eventLoop(io.pipit.mqtt.driver.EventLoop loop) {
        this.eventLoop = loop;
        this.pollMode = false;
        return this;
    }

    /**
     * No SDK thread: the application calls {@link MqttClient#poll} in its own loop, and all network work and
     * listeners run inside those calls. {@code connect()} and {@code disconnect()} poll while they wait.
     */
    public MqttClientBuilder pollMode() {
        this.pollMode = true;
        this.eventLoop = null;
        return this;
    }

    public MqttClientBuilder connectionListener(ConnectionListener listener) {
        this.connectionListener = listener;
        return this;
    }

    public MqttClientBuilder publishListener(PublishListener listener) {
        this.publishListener = listener;
        return this;
    }

    /**
     * Receives messages that match no subscription's listener: above all the messages a resumed session
     * (clean start off) delivers right after CONNACK, before the application has called {@code subscribe}
     * again, and messages still in flight after an unsubscribe. Without one, such messages are acknowledged,
     * counted and logged (a warning on the first), since the server would otherwise resend them forever.
     * Runs on the thread that drives the client's connection like every {@link MessageListener}, under the same
     * rules (see {@link MqttClient}); the message is valid during the call.
     */
    public MqttClientBuilder unroutedMessageListener(MessageListener listener) {
        this.unroutedListener = listener;
        return this;
    }

    /**
     * @throws IllegalStateException when no server was given, or {@code retryFirstConnect} without automatic
     *     reconnect
     */
    public MqttClient build() {
        if (servers.isEmpty()) {
            throw new IllegalStateException("no server: call server(\"mqtt://host:port\") first");
        }
        if (retryFirstConnect && !automaticReconnect) {
            throw new IllegalStateException("retryFirstConnect(true) retries with automatic reconnect: add "
                    + "automaticReconnect(true)");
        }
        for (ServerAddress server : servers) {
            if (tls != null && !server.secure()) {
                throw new IllegalStateException("tls(...) was given but " + server + " is plaintext: use mqtts://");
            }
            if (webSocket != null && !server.webSocket()) {
                throw new IllegalStateException("webSocket(...) was given but " + server + " is not ws:// or wss://");
            }
        }
        if (connect.version().isMqtt5()) {
            connect.properties().put(Property.MAXIMUM_PACKET_SIZE, maximumPacketSize);
            connect.properties().put(Property.RECEIVE_MAXIMUM, receiveMaximum);
        } else {
            connect.properties().clear();
            connect.willProperties().clear();
        }
        if (queue == null) {
            queue = new MemoryQueue(4 * 1024 * 1024, 100_000);
        }
        return new MqttClient(this);
    }

    /** @return the driver this builder asks for, running {@code connection} */
    Driver driverFor(ClientConnection connection) {
        if (eventLoop != null && clock != NanoClock.SYSTEM) {
            throw new IllegalStateException("a client on a shared event loop runs on the loop's System.nanoTime "
                    + "clock: drop clock(...) or eventLoop(...)");
        }
        try {
            if (eventLoop != null) {
                return eventLoop.driverFor(connection);
            }
            if (pollMode) {
                return new PollDriver(connection, clock);
            }
            String id = Utf8.decode(ByteBuffer.wrap(connect.clientId()), 0, connect.clientId().length);
            return new IoThreadDriver(connection, "pipit-io-" + (id.isEmpty() ? "client" : id), clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector for the client", e);
        }
    }
}
