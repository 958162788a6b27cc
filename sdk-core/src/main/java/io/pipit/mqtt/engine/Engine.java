package io.pipit.mqtt.engine;

import io.pipit.mqtt.Authenticator;
import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.Property;
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
 *
 * <p>This class wires the collaborators that own each part and orders their work (the drain order, the
 * read loop); the parts themselves live in them: {@link ConnectionState} (lifecycle, how a connection ends),
 * {@link ConnackHandler}, {@link PacketDispatch}, {@link Inbound}, {@link Outbound}, {@link Requests},
 * {@link KeepAlive}, {@link EnhancedAuth}, {@link VersionFallback}, {@link NextAttempt} and
 * {@link Disconnection}.
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
    private final PacketDecoder decoder;
    private final PacketIdSet packetIds = new PacketIdSet();
    private final AckQueue acks = new AckQueue();
    private final Outbound outbound;
    private final Inbound inbound;
    private final Requests requests = new Requests();
    private final KeepAlive keepAlive = new KeepAlive();
    private final EnhancedAuth auth = new EnhancedAuth();
    private final NextAttempt nextAttempt = new NextAttempt();
    private final ConnectionState state;
    private final VersionFallback fallback;
    private final Disconnection disconnection;
    private final PacketDispatch dispatch;
    /** CONNECT's Maximum Packet Size (MQTT 5), or the protocol's maximum without one. */
    private final int announcedMaximumPacketSize;
    /** The largest packet we accept from the server: see {@link #maximumPacketSize(int)}. */
    private int maximumPacketSize;

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
        this.announcedMaximumPacketSize = (int) Math.min(FixedHeader.MAX_PACKET_SIZE,
                connect.properties().number(Property.MAXIMUM_PACKET_SIZE, FixedHeader.MAX_PACKET_SIZE));
        this.maximumPacketSize = announcedMaximumPacketSize;
        this.decoder = new PacketDecoder(connect.version(), maximumPacketSize);
        this.outbound = new Outbound(queue, maxInflight, outgoingAliasCap, packetIds, acks, listener);
        this.inbound = new Inbound(acks, (int) connect.properties().number(Property.RECEIVE_MAXIMUM, 65_535),
                (int) connect.properties().number(Property.TOPIC_ALIAS_MAXIMUM, 0));
        this.state = new ConnectionState(listener, nextAttempt);
        this.fallback = new VersionFallback(connect, decoder, state, nextAttempt);
        this.disconnection = new Disconnection(state);
        ConnackHandler connack = new ConnackHandler(connect, decoder, state, fallback, outbound, keepAlive, requests,
                packetIds, inbound.subscriptions(), auth, disconnection, listener);
        this.dispatch = new PacketDispatch(decoder, state, connack, inbound, outbound, requests, packetIds, keepAlive,
                auth, disconnection, listener);
    }

    /** @return {@link #CLOSED}, {@link #CONNECTING}, {@link #CONNECTED} or {@link #DISCONNECTING} */
    public int state() {
        return state.get();
    }

    /** @return the protocol version in use (it changes if a 5.0 CONNECT falls back to 3.1.1) */
    public ProtocolVersion version() {
        return decoder.version();
    }

    /**
     * The largest packet accepted, header included: the driver's receive buffer (capped by CONNECT's Maximum
     * Packet Size). MQTT 3.1.1 cannot announce one, so a larger packet would wait for ever for room in the buffer;
     * instead its fixed header ends the connection (0x95).
     */
    public Engine maximumPacketSize(int bytes) {
        maximumPacketSize = Math.min(bytes, announcedMaximumPacketSize);
        decoder.maximumPacketSize(maximumPacketSize);
        return this;
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
        fallback.enabled(enabled);
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
        return state.is(CONNECTED) && auth.reauthenticate();
    }

    /**
     * Lets a CONNACK or DISCONNECT with "Use another server" (0x9C) or "Server moved" (0x9D) and a Server
     * Reference send the next connection attempt there, at once.
     */
    public Engine followServerReference(boolean enabled) {
        nextAttempt.followServerReference(enabled);
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

    /** @return the Server Reference of the last connection's end, or null; cleared as the next attempt begins */
    public String serverReference() {
        return nextAttempt.serverReference();
    }

    /**
     * @return true when the connection that just closed should be retried at once (after a fallback to
     *     3.1.1), not after a backoff; cleared when the next attempt begins ({@link #onConnectAttempt})
     */
    public boolean wantsImmediateRetry() {
        return nextAttempt.wantsImmediateRetry();
    }

    /**
     * A connection attempt begins: the last end's advice ({@link #wantsImmediateRetry}, {@link #serverReference}) is
     * spent, so an attempt that fails before MQTT begins gets the backoff, not another immediate retry; a followed
     * redirect's target is a new server, fallen back from as on a first connect. {@link #onConnectionOpened} calls it.
     */
    public void onConnectAttempt() {
        if (nextAttempt.isRedirect()) {
            fallback.onNewServer();
        }
        nextAttempt.onNewConnection();
    }

    /** A transport connected: the next {@link #drainTo} writes CONNECT. */
    public void onConnectionOpened(long nowNs) {
        state.opened();
        disconnection.onNewConnection();
        onConnectAttempt();
        auth.begin(connect.properties(), connect.version());
        acks.clear();
        requests.onNewConnection(packetIds);
        inbound.onNewConnection(connect.version().isMqtt5());
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
        if (fallback.isRefusalByClose(auth.isEnabled())) {
            fallback.fallBack(null);
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
        state.lost(detail);
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
        while (state.isOpen() && acks.size() < AckQueue.BACKLOG_LIMIT) {
            try {
                if (fallback.isRefusal(src)) {
                    fallback.fallBack(src);
                    break;
                }
                length = decoder.decode(src, src.position(), src.limit());
                if (length == 0) {
                    break;
                }
                keepAlive.onReceived(nowNs);
                dispatch.dispatch(decoder.type());
            } catch (MqttCodecException e) {
                if (e.reasonCode() == ReasonCode.PACKET_TOO_LARGE) {
                    disconnection.closeOnPacketTooLarge(src, maximumPacketSize);
                } else {
                    disconnection.closeWith(e.reasonCode(), "protocol error from server: " + e.getMessage());
                }
                break;
            }
            src.position(src.position() + length);
            handled++;
        }
        return handled;
    }

    /**
     * Fires time-based work: a PINGREQ when the connection has been idle for the keepalive, or the end of a
     * connection whose PINGRESP did not come.
     *
     * @return the next time (nanos) something is due, or {@link Long#MAX_VALUE} when nothing is
     */
    public long onTick(long nowNs) {
        boolean acksOwed = outbound.inflightCount() > 0;
        if (state.isOpen() && keepAlive.checkDead(nowNs, acksOwed)) {
            state.close(ReasonCode.KEEP_ALIVE_TIMEOUT, false, keepAlive.describeDeath(nowNs));
            return Long.MAX_VALUE;
        }
        return state.is(CONNECTED) ? keepAlive.nextDeadline(acksOwed) : Long.MAX_VALUE;
    }

    /**
     * Writes what is due into {@code dst}: CONNECT, resends, acks, SUBSCRIBE/UNSUBSCRIBE, PINGREQ, DISCONNECT
     * and new publishes as the server's receive window allows. Stops at the first packet that does not fit.
     *
     * @return bytes written
     */
    public int drainTo(ByteBuffer dst, long nowNs) {
        int start = dst.position();
        if (state.is(CONNECTING) && !state.isConnectSent()) {
            if (connect.encode(dst) < 0) {
                return 0;
            }
            state.connectSent();
        }
        if (state.isOpen()) {
            auth.drainTo(dst, version());
        }
        // resends first, so a resumed session keeps its order; a receive-side ping rides along early with whatever
        // goes out anyway (see KeepAlive); new publishes take the room that is left
        if (state.is(CONNECTED) && outbound.resend(dst) && acks.writeTo(dst, version())
                && requests.drainTo(dst, version())
                && keepAlive.writePing(dst, nowNs, dst.position() > start || queue.size() > 0)) {
            outbound.writePublishes(dst, version());
            if (disconnection.isQuiescing() && queue.size() == 0 && outbound.inflightCount() == 0 && acks.isEmpty()) {
                disconnection.quiesced();
            }
        }
        if (state.is(DISCONNECTING) && acks.writeTo(dst, version())) {
            disconnection.writeTo(dst, version());
        }
        int written = dst.position() - start;
        if (written > 0) {
            keepAlive.onSent(nowNs);
        }
        return written;
    }

    /**
     * Queues SUBSCRIBE for one filter; the SUBACK arrives through {@link EngineListener#onSubscriptionAck}. The
     * packet is encoded when it is written, once a CONNACK has settled the protocol version.
     *
     * @param options the Subscription Options byte (see {@code SubscribeEncoder.options})
     * @return the Packet Identifier of the request, or 0 when 65,535 requests are already outstanding
     * @throws IllegalArgumentException for a filter or options the SUBSCRIBE cannot carry
     */
    public int subscribe(byte[] filter, int options, MessageListener messageListener) {
        requests.check(version(), filter, options);
        int subscriptionId = inbound.subscriptions().add(filter, options, messageListener);
        return requests.subscribe(packetIds, filter, options, subscriptionId);
    }

    /** Queues UNSUBSCRIBE for one filter, encoded when written; @return its Packet Identifier, or 0 if none is free */
    public int unsubscribe(byte[] filter) {
        inbound.subscriptions().remove(filter);
        return requests.unsubscribe(packetIds, filter);
    }

    /** @return true while request {@code packetId} waits to be written (it survives to the next connection) */
    public boolean isRequestPending(int packetId) {
        return requests.isPending(packetId);
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
        disconnection.request(reasonCode, now, sessionExpirySeconds);
    }

    /**
     * @return true when a newly queued publish could be sent now: connected, with room in the server's receive
     *     window. While false, the engine drains the queue by itself once an acknowledgement or a CONNACK arrives.
     */
    public boolean canSendPublish() {
        return state.is(CONNECTED) && outbound.windowOpen();
    }

    /**
     * @return true when publishes wait in the queue behind a full receive window: the server's next
     *     acknowledgement is due within a round trip and lets more go out
     */
    public boolean backlogBehindFullWindow() {
        return state.is(CONNECTED) && !outbound.windowOpen() && queue.size() > 0;
    }

    /** @return the number of QoS 1/2 publishes sent and not yet acknowledged */
    public int inflightCount() {
        return outbound.inflightCount();
    }
}
