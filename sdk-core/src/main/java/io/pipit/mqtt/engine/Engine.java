package io.pipit.mqtt.engine;

import io.pipit.mqtt.Authenticator;
import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.AckEncoder;
import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.Utf8View;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PingEncoder;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.ReasonEncoder;
import io.pipit.mqtt.keepalive.KeepAliveTuner;
import io.pipit.mqtt.queue.OutboundQueue;
import java.nio.ByteBuffer;

/**
 * The client side of the MQTT protocol as a sans-I/O state machine: bytes in ({@link #onReceive}), bytes
 * out ({@link #drainTo}), time in ({@link #onTick}), events out ({@link EngineListener}). It never reads a
 * clock, opens a socket or starts a thread, so every path runs deterministically in tests on a virtual clock.
 *
 * <p>Not thread-safe: one thread (the driver's) calls everything. Other threads reach it only through the
 * {@link OutboundQueue} it polls. Steady-state publishing and receiving allocate nothing.
 *
 * <p>Lifecycle per connection: {@link #onConnectionOpened} → CONNECT is drained → CONNACK → {@link #CONNECTED}
 * → ... → {@link #onConnectionLost} or a DISCONNECT either way → {@link #CLOSED}. The same engine serves the
 * next connection of the session: unacknowledged QoS 1/2 packets are resent (DUP set) and PUBREL flows
 * resumed, in order.
 */
public final class Engine {
    public static final int CLOSED = 0;
    public static final int CONNECTING = 1;
    public static final int CONNECTED = 2;
    /** A DISCONNECT is queued or sent; the driver closes once it is flushed. */
    public static final int DISCONNECTING = 3;
    /** The reason code reported when the network, not MQTT, ended a connection. */
    public static final int NETWORK_FAILURE = -1;

    private final ConnectEncoder connect;
    private final OutboundQueue queue;
    private final EngineListener listener;
    private final PacketDecoder decoder;
    private final PacketIdSet packetIds = new PacketIdSet();
    private final AckQueue acks = new AckQueue();
    private final Outbound outbound;
    private final Inbound inbound;
    private final Requests requests = new Requests();
    private final KeepAlive keepAlive = new KeepAlive();

    private int state = CLOSED;
    private boolean connectSent;
    /** A CONNACK ever accepted a CONNECT of ours: the server speaks the version we use. */
    private boolean accepted;
    private boolean fallBackTo311;
    private boolean retryImmediately;
    private boolean quiescing;
    private boolean followServerReference;
    private final EnhancedAuth auth = new EnhancedAuth();
    private String serverReference;
    private int disconnectReason;
    private final MqttProperties disconnectProperties = new MqttProperties();
    private String disconnectDetail;

    /**
     * @param connect the CONNECT to send on every connection (its keepalive, Receive Maximum, Topic Alias
     *     Maximum and Maximum Packet Size are the limits this engine enforces on what it receives)
     * @param maxInflight most QoS 1/2 publishes we leave unacknowledged at once (the server's Receive Maximum
     *     may lower it)
     */
    public Engine(ConnectEncoder connect, int maxInflight, OutboundQueue queue, EngineListener listener) {
        this(connect, maxInflight, 0, queue, listener);
    }

    /**
     * @param outgoingAliasCap most topic aliases to assign to our publishes (the server's Topic Alias Maximum
     *     may lower it; 0 never aliases)
     */
    public Engine(ConnectEncoder connect, int maxInflight, int outgoingAliasCap, OutboundQueue queue,
            EngineListener listener) {
        if (maxInflight < 1 || maxInflight > 65_535) {
            throw new IllegalArgumentException("maxInflight must be 1..65535: " + maxInflight);
        }
        this.connect = connect;
        this.queue = queue;
        this.listener = listener;
        int maximumPacketSize = (int) Math.min(FixedHeader.MAX_PACKET_SIZE,
                connect.properties().number(Property.MAXIMUM_PACKET_SIZE, FixedHeader.MAX_PACKET_SIZE));
        this.decoder = new PacketDecoder(connect.version(), maximumPacketSize);
        this.outbound = new Outbound(queue, maxInflight, outgoingAliasCap, packetIds, acks, listener);
        this.inbound = new Inbound(acks, (int) connect.properties().number(Property.RECEIVE_MAXIMUM, 65_535),
                (int) connect.properties().number(Property.TOPIC_ALIAS_MAXIMUM, 0));
    }

    /** @return {@link #CLOSED}, {@link #CONNECTING}, {@link #CONNECTED} or {@link #DISCONNECTING} */
    public int state() {
        return state;
    }

    /** @return the protocol version in use (it changes if a 5.0 CONNECT falls back to 3.1.1) */
    public ProtocolVersion version() {
        return decoder.version();
    }

    /** @return the server's Maximum Packet Size for this connection (the protocol maximum until CONNACK) */
    public long serverMaximumPacketSize() {
        return outbound.serverMaximumPacketSize();
    }

    /**
     * Lets a 5.0 CONNECT that the server refuses as an unsupported version (a 3.1.1-only broker) switch this
     * engine to 3.1.1 for good; the refused connection then asks for an immediate retry.
     */
    public Engine fallBackTo311(boolean enabled) {
        this.fallBackTo311 = enabled;
        return this;
    }

    /** Uses MQTT 5 enhanced authentication with {@code mechanism} on every connection (null: none). */
    public Engine authenticator(Authenticator mechanism) {
        auth.authenticator(mechanism);
        return this;
    }

    /**
     * Starts re-authentication on the live connection (AUTH 0x19); success keeps the connection, failure
     * ends it.
     *
     * @return false when not connected or no authenticator is set
     */
    public boolean reauthenticate() {
        return state == CONNECTED && auth.reauthenticate();
    }

    /**
     * Lets a CONNACK or DISCONNECT with "Use another server" (0x9C) or "Server moved" (0x9D) and a Server
     * Reference send the next connection attempt there, at once.
     */
    public Engine followServerReference(boolean enabled) {
        this.followServerReference = enabled;
        return this;
    }

    /** Receives messages that match no subscription's listener (null: they are counted and logged only). */
    public Engine unroutedListener(MessageListener listener) {
        inbound.unroutedListener(listener);
        return this;
    }

    /**
     * Takes keepalive intervals from {@code tuner} (kept across connections, so what it learned survives a
     * reconnect) instead of CONNECT's fixed Keep Alive; null goes back to CONNECT's.
     */
    public Engine keepAliveTuner(KeepAliveTuner tuner) {
        keepAlive.tuner(tuner);
        return this;
    }

    /** @return the keepalive interval in use, in nanos (0: off); readable from any thread */
    public long keepAliveIntervalNs() {
        return keepAlive.intervalNs();
    }

    /** @return PINGREQs sent over all connections; readable from any thread */
    public long pingCount() {
        return keepAlive.pingCount();
    }

    /** @return PINGREQs answered (by a PINGRESP or any other packet) over all connections; any thread */
    public long pingsAnsweredCount() {
        return keepAlive.answeredCount();
    }

    /** @return the round trip of the last answered PINGREQ in nanos, or -1; readable from any thread */
    public long lastPingRttNs() {
        return keepAlive.lastRttNs();
    }

    /** @return the Server Reference the server last redirected us to, or null; cleared on the next connection */
    public String serverReference() {
        return serverReference;
    }

    /**
     * @return true when the connection that just closed should be retried at once (after a fallback to
     *     3.1.1), not after a backoff; cleared when the next connection opens
     */
    public boolean wantsImmediateRetry() {
        return retryImmediately;
    }

    /** A transport connected: the next {@link #drainTo} writes CONNECT. */
    public void onConnectionOpened(long nowNs) {
        state = CONNECTING;
        connectSent = false;
        disconnectProperties.clear();
        retryImmediately = false;
        quiescing = false;
        serverReference = null;
        auth.begin(connect.properties(), connect.version());
        acks.clear();
        requests.onNewConnection(packetIds);
        inbound.onNewConnection();
        keepAlive.start(connect.keepAliveSeconds(), nowNs);
    }

    /**
     * The server closed the connection (end of stream). Some 3.1.1-only brokers (RabbitMQ 3.x) cannot parse a
     * 5.0 CONNECT and close without any CONNACK: with the fallback on, that close before CONNACK is taken as the
     * version refusal it is, as a CONNACK 0x01 would be. Not once a 5.0 CONNECT was accepted (the server speaks
     * 5.0; a reconnect cut short is a network matter) nor with enhanced authentication, which only MQTT 5 servers
     * speak; anything else is {@link #onConnectionLost}.
     */
    public void onServerClosed(String detail) {
        if (state == CONNECTING && connectSent && fallBackTo311 && decoder.version().isMqtt5() && !auth.isEnabled()
                && !accepted) {
            fallBack(null);
        } else {
            onConnectionLost(detail);
        }
    }

    /**
     * The transport failed or reached end of stream. Reports it unless the engine was already closed.
     *
     * @param detail what happened, for the listener
     */
    public void onConnectionLost(String detail) {
        if (state != CLOSED) {
            state = CLOSED;
            listener.onConnectionClosed(NETWORK_FAILURE, false, detail);
        }
    }

    /**
     * Consumes the complete packets in {@code src} (position to limit), advancing its position past them; a
     * partial packet stays for the next call. Stops early, leaving packets in {@code src}, once
     * {@link AckQueue#BACKLOG_LIMIT} acks are owed: the caller drains, then calls again (backpressure instead
     * of an ever-growing ack queue).
     *
     * @return the number of packets handled
     */
    public int onReceive(ByteBuffer src, long nowNs) {
        int handled = 0;
        int length;
        while ((state == CONNECTING || state == CONNECTED) && acks.size() < AckQueue.BACKLOG_LIMIT) {
            try {
                if (state == CONNECTING && decoder.version().isMqtt5() && Mqtt311.isVersionRefusal(src)) {
                    fallBack(src);
                    break;
                }
                length = decoder.decode(src, src.position(), src.limit());
                if (length == 0) {
                    break;
                }
                keepAlive.onReceived(nowNs);
                handle(decoder.type());
            } catch (MqttCodecException e) {
                closeWith(e.reasonCode(), "protocol error from server: " + e.getMessage());
                break;
            }
            src.position(src.position() + length);
            handled++;
        }
        return handled;
    }

    private void handle(int type) {
        switch (type) {
            case PacketType.CONNACK: onConnack(decoder.connack()); break;
            case PacketType.PUBLISH: requireConnected(type); inbound.onPublish(decoder.publish()); break;
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBCOMP:
                requireConnected(type);
                outbound.onAck(type, decoder.ack().packetId(), decoder.ack().reasonCode());
                break;
            case PacketType.PUBREL: requireConnected(type); inbound.onPubrel(decoder.ack().packetId()); break;
            case PacketType.SUBACK:
            case PacketType.UNSUBACK:
                requireConnected(type);
                requests.onAck(decoder.suback(), packetIds, inbound.subscriptions(), listener);
                break;
            case PacketType.PINGRESP: keepAlive.onPingResponse(); break;
            case PacketType.AUTH: onAuth(decoder.reason().reasonCode(), decoder.reason().properties()); break;
            case PacketType.DISCONNECT:
                state = CLOSED;
                noteServerReference(decoder.reason().reasonCode(), decoder.reason().properties());
                listener.onConnectionClosed(decoder.reason().reasonCode(), true,
                        "server sent DISCONNECT: " + ReasonCode.describe(decoder.reason().reasonCode())
                        + reasonString(decoder.reason().properties())
                        + (serverReference == null ? "" : "; redirected to " + serverReference));
                break;
            default:
                throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1, "a server may not send "
                        + PacketType.name(type) + " to a client");
        }
    }

    private void requireConnected(int type) {
        if (state != CONNECTED) {
            throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1, PacketType.name(type) + " before CONNACK");
        }
    }

    private void onConnack(ConnackView connack) {
        if (state != CONNECTING) {
            throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1, "a second CONNACK");
        }
        int code = decoder.version().isMqtt5() ? connack.reasonCode() : Mqtt311.reasonCodeFor(connack.reasonCode());
        if (ReasonCode.isError(code)) {
            if (code == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION && decoder.version().isMqtt5() && fallBackTo311) {
                fallBack(null);
                return;
            }
            state = CLOSED;
            noteServerReference(code, connack.properties());
            listener.onConnectionClosed(code, true, "server refused CONNECT: " + ReasonCode.describe(code)
                    + reasonString(connack.properties())
                    + (serverReference == null ? "" : "; redirected to " + serverReference));
            return;
        }
        state = CONNECTED;
        accepted = true;
        outbound.onConnected(connack.sessionPresent(), connack.properties().number(Property.RECEIVE_MAXIMUM, 65_535),
                connack.properties().number(Property.MAXIMUM_PACKET_SIZE, FixedHeader.MAX_PACKET_SIZE),
                (int) connack.properties().number(Property.TOPIC_ALIAS_MAXIMUM, 0), version());
        int serverKeepAlive = (int) connack.properties().number(Property.SERVER_KEEP_ALIVE, -1);
        if (serverKeepAlive >= 0) {
            keepAlive.override(serverKeepAlive);
        }
        if (connack.properties().has(Property.ASSIGNED_CLIENT_IDENTIFIER)) {
            // reconnects must present the identifier the server chose, or the session is lost
            Utf8View assigned = connack.properties().string(Property.ASSIGNED_CLIENT_IDENTIFIER);
            byte[] id = new byte[assigned.byteLength()];
            assigned.copyTo(id, 0);
            connect.clientId(id);
        }
        requests.subscriptionIdentifiers(
                connack.properties().number(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) == 1);
        requests.resubscribe(version(), packetIds, inbound.subscriptions(), connack.sessionPresent());
        if (auth.isEnabled() && !completeAuthentication(connack.properties())) {
            return;
        }
        listener.onConnected(connack);
    }

    private void onAuth(int reasonCode, PropertiesView properties) {
        try {
            auth.onAuth(reasonCode, properties, state == CONNECTED);
        } catch (MqttException e) {
            closeWith(ReasonCode.NOT_AUTHORIZED, e.getMessage());
        }
    }

    /** @return false when the server failed to prove itself, and the connection is being closed */
    private boolean completeAuthentication(PropertiesView properties) {
        try {
            auth.complete(properties);
            return true;
        } catch (MqttException e) {
            closeWith(ReasonCode.NOT_AUTHORIZED, e.getMessage());
            return false;
        }
    }

    /** @return "; server says: ..." with the Reason String, or "" when the packet has none */
    private static String reasonString(PropertiesView properties) {
        return properties.has(Property.REASON_STRING)
                ? "; server says: " + properties.string(Property.REASON_STRING) : "";
    }

    private void noteServerReference(int reasonCode, io.pipit.mqtt.codec.PropertiesView properties) {
        boolean redirect = reasonCode == ReasonCode.USE_ANOTHER_SERVER || reasonCode == ReasonCode.SERVER_MOVED;
        if (redirect && properties.has(Property.SERVER_REFERENCE)) {
            serverReference = properties.string(Property.SERVER_REFERENCE).toString();
            retryImmediately = followServerReference;
        }
    }

    private void fallBack(ByteBuffer src) {
        if (!fallBackTo311) {
            // a refusal, like any refused CONNACK: nothing to answer, the connection is simply over
            state = CLOSED;
            listener.onConnectionClosed(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, true,
                    "the server speaks only MQTT 3.1.1 (enable the fallback to use it)");
            return;
        }
        if (src != null) {
            src.position(src.limit());
        }
        connect.properties().clear();
        connect.willProperties().clear();
        connect.version(ProtocolVersion.MQTT_3_1_1);
        decoder.version(ProtocolVersion.MQTT_3_1_1);
        state = CLOSED;
        retryImmediately = true;
        listener.onConnectionClosed(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, true,
                "the server does not speak MQTT 5.0; retrying with MQTT 3.1.1");
    }

    /**
     * Fires time-based work: a PINGREQ when the connection has been idle for the keepalive, or the end of a
     * connection whose PINGRESP did not come.
     *
     * @return the next time (nanos) something is due, or {@link Long#MAX_VALUE} when nothing is
     */
    public long onTick(long nowNs) {
        boolean acksOwed = outbound.inflightCount() > 0;
        if ((state == CONNECTED || state == CONNECTING) && keepAlive.checkDead(nowNs, acksOwed)) {
            state = CLOSED;
            listener.onConnectionClosed(ReasonCode.KEEP_ALIVE_TIMEOUT, false, keepAlive.describeDeath(nowNs));
            return Long.MAX_VALUE;
        }
        return state == CONNECTED ? keepAlive.nextDeadline(acksOwed) : Long.MAX_VALUE;
    }

    /**
     * Writes what is due into {@code dst}: CONNECT, resends, acks, SUBSCRIBE/UNSUBSCRIBE, PINGREQ, DISCONNECT
     * and new publishes as the server's receive window allows. Stops at the first packet that does not fit.
     *
     * @return bytes written
     */
    public int drainTo(ByteBuffer dst, long nowNs) {
        int start = dst.position();
        if (state == CONNECTING && !connectSent) {
            if (connect.encode(dst) < 0) {
                return 0;
            }
            connectSent = true;
        }
        if (state == CONNECTING || state == CONNECTED) {
            auth.drainTo(dst, version());
        }
        if (state == CONNECTED && outbound.resend(dst) && writeAcks(dst) && requests.drainTo(dst)
                && writePing(dst, nowNs, dst.position() > start || queue.size() > 0)) {
            outbound.writePublishes(dst, version());
            if (quiescing && queue.size() == 0 && outbound.inflightCount() == 0 && acks.isEmpty()) {
                closeWith(disconnectReason, disconnectDetail);
            }
        }
        if (state == DISCONNECTING && writeAcks(dst)
                && ReasonEncoder.encode(dst, PacketType.DISCONNECT, version(),
                        version().isMqtt5() ? disconnectReason : 0,
                        version().isMqtt5() && !disconnectProperties.isEmpty() ? disconnectProperties : null) > 0) {
            state = CLOSED;
            listener.onConnectionClosed(disconnectReason, false, disconnectDetail);
        }
        int written = dst.position() - start;
        if (written > 0) {
            keepAlive.onSent(nowNs);
        }
        return written;
    }

    private boolean writeAcks(ByteBuffer dst) {
        while (!acks.isEmpty()) {
            int ack = acks.peek();
            int code = decoder.version().isMqtt5() ? AckQueue.reasonCode(ack) : 0;
            if (AckEncoder.encode(dst, AckQueue.type(ack), version(), AckQueue.packetId(ack),
                    code, null) < 0) {
                return false;
            }
            acks.remove();
        }
        return true;
    }

    /** @param sending something goes out in this drain anyway, so a receive-side ping may ride along */
    private boolean writePing(ByteBuffer dst, long nowNs, boolean sending) {
        if (keepAlive.isPingDue(nowNs, sending)) {
            if (PingEncoder.encode(dst, PacketType.PINGREQ) < 0) {
                return false;
            }
            keepAlive.onPingSent(nowNs);
        }
        return true;
    }

    /**
     * Queues SUBSCRIBE for one filter; the SUBACK arrives through {@link EngineListener#onSubscriptionAck}.
     *
     * @param options the Subscription Options byte (see {@code SubscribeEncoder.options})
     * @return the Packet Identifier of the request, or 0 when 65,535 requests are already outstanding
     */
    public int subscribe(byte[] filter, int options, MessageListener messageListener) {
        int subscriptionId = inbound.subscriptions().add(filter, options, messageListener);
        return requests.subscribe(version(), packetIds, filter, options, subscriptionId);
    }

    /** Queues UNSUBSCRIBE for one filter; @return its Packet Identifier, or 0 when none is free */
    public int unsubscribe(byte[] filter) {
        inbound.subscriptions().remove(filter);
        return requests.unsubscribe(version(), packetIds, filter);
    }

    /**
     * Ends the connection politely: publishes already queued are sent and acknowledged first, then DISCONNECT
     * with {@code reasonCode}; the state becomes {@link #CLOSED} and the listener hears of it. Before CONNACK,
     * or when {@code now} is true, DISCONNECT goes out on the next {@link #drainTo} without waiting.
     */
    public void disconnect(int reasonCode, boolean now) {
        disconnect(reasonCode, now, -1);
    }

    /**
     * Like {@link #disconnect(int, boolean)}, also changing the Session Expiry Interval the server applies
     * from now on (MQTT 5, spec 3.14.2.2.2), e.g. to end a persistent session for good with 0.
     *
     * @param sessionExpirySeconds the new interval, or -1 to leave it as CONNECT set it
     */
    public void disconnect(int reasonCode, boolean now, long sessionExpirySeconds) {
        disconnectProperties.clear();
        if (sessionExpirySeconds >= 0) {
            disconnectProperties.put(Property.SESSION_EXPIRY_INTERVAL, sessionExpirySeconds);
        }
        String detail = "client disconnected: " + ReasonCode.describe(reasonCode);
        if (state == CONNECTED && !now) {
            quiescing = true;
            disconnectReason = reasonCode;
            disconnectDetail = detail;
        } else {
            closeWith(reasonCode, detail);
        }
    }

    /** Stops reading and publishing; DISCONNECT with {@code reasonCode} goes out on the next drain. */
    private void closeWith(int reasonCode, String detail) {
        if (state == CONNECTING || state == CONNECTED) {
            state = DISCONNECTING;
            // a code DISCONNECT may not carry (e.g. a CONNACK-only one) becomes Unspecified error
            disconnectReason = io.pipit.mqtt.codec.ReasonCodes.isValid(ProtocolVersion.MQTT_5, PacketType.DISCONNECT,
                    reasonCode) ? reasonCode : ReasonCode.UNSPECIFIED_ERROR;
            disconnectDetail = detail;
        }
    }

    /**
     * @return true when a newly queued publish could be sent now: connected, with room in the server's receive
     *     window. While false, the engine drains the queue by itself once an acknowledgement or a CONNACK arrives.
     */
    public boolean canSendPublish() {
        return state == CONNECTED && outbound.windowOpen();
    }

    /** @return the number of QoS 1/2 publishes sent and not yet acknowledged */
    public int inflightCount() {
        return outbound.inflightCount();
    }
}
