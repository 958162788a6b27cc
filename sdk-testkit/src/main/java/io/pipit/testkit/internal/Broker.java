package io.pipit.testkit.internal;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishView;
import io.pipit.mqtt.codec.ReasonCodes;
import io.pipit.mqtt.codec.ReasonEncoder;
import io.pipit.testkit.RecordedPacket;
import io.pipit.testkit.RecordedPacket.Direction;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mock broker's protocol hub: accepts connections, records and dispatches every packet to the flow that
 * handles it ({@link ConnectFlow}, {@link InboundFlow}, {@link Deliveries}), owns sessions, retained messages
 * and routing, and runs the one-shot fault actions.
 *
 * <p>Thread-safety: confined to the {@link EventLoop} thread. The public methods that change state are called
 * through {@link EventLoop#call} by {@code MockBroker}.
 */
public final class Broker {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    private static final long KEEPALIVE_SCAN_NS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Settings settings;
    private final EventLoop loop;
    private final PacketLog log;
    private final FaultRules faults;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, Message> retained = new LinkedHashMap<>();
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final Router router = new Router(this);
    private final Deliveries deliveries = new Deliveries(this);
    private final ConnectFlow connect;
    private final InboundFlow inbound;
    private ServerSocketChannel listener;
    private int port;
    private boolean scanning;

    public Broker(Settings settings, EventLoop loop, PacketLog log, FaultRules faults) {
        this.settings = settings;
        this.loop = loop;
        this.log = log;
        this.faults = faults;
        this.connect = new ConnectFlow(this);
        this.inbound = new InboundFlow(this);
    }

    /** Opens the listener on loopback; @return the port bound. Loop thread. */
    public int listen(int wantedPort) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 128);
            server.configureBlocking(false);
            loop.register(server, SelectionKey.OP_ACCEPT, k -> accept());
        } catch (IOException e) {
            server.close();
            throw e;
        }
        listener = server;
        port = server.socket().getLocalPort();
        if (!scanning) {
            scanning = true;
            loop.schedule(KEEPALIVE_SCAN_NS, this::scanKeepAlives);
        }
        return port;
    }

    private void accept() {
        try {
            SocketChannel channel;
            while (listener != null && (channel = listener.accept()) != null) {
                connections.add(new Connection(this, channel, loop, settings.maximumPacketSize()));
            }
        } catch (IOException e) {
            LOG.warn("accepting a connection on port {} failed", port, e);
        }
    }

    Settings settings() {
        return settings;
    }

    EventLoop loop() {
        return loop;
    }

    PacketLog log() {
        return log;
    }

    FaultRules faults() {
        return faults;
    }

    Map<String, Session> sessions() {
        return sessions;
    }

    Map<String, Message> retained() {
        return retained;
    }

    Router router() {
        return router;
    }

    Deliveries deliveries() {
        return deliveries;
    }

    /** Records a packet, applies the receive-side fault rules, then hands it to its flow. */
    void onPacket(Connection c, PacketDecoder decoder, ByteBuffer buf, int offset, int length) {
        int type = decoder.type();
        String topic = null;
        int aliasProblem = 0;
        if (type == PacketType.CONNECT && c.state == Connection.State.AWAIT_CONNECT) {
            connect.identify(c, decoder.connect());
        } else if (type == PacketType.PUBLISH) {
            topic = inbound.resolveTopic(c, decoder.publish());
            aliasProblem = topic == null ? inbound.aliasProblem(c, decoder.publish()) : 0;
        }
        RecordedPacket packet = Recorded.of(Direction.RECEIVED, c.clientId, c.mqtt5(), decoder, buf, offset, length,
                topic);
        log.add(packet);
        FaultRules.Action action = faults.onReceive(c.clientId, packet);
        if (action == FaultRules.Action.DROP_BEFORE) {
            connectionLost(c, "dropped by a fault rule on " + packet.typeName());
            return;
        }
        if (action == FaultRules.Action.BLACK_HOLE) {
            LOG.debug("black-holing {} on {}", c, packet.typeName());
            c.blackHole();
            return;
        }
        if (aliasProblem != 0) {
            disconnect(c, aliasProblem, null);
            return;
        }
        try {
            dispatch(c, decoder, type, topic);
        } catch (RuntimeException e) {
            LOG.error("mock broker failed handling {} from {}; disconnecting it with 0x83", packet.typeName(), c, e);
            disconnect(c, ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, null);
            return;
        }
        if (action == FaultRules.Action.DROP_AFTER) {
            connectionLost(c, "dropped by a fault rule after " + packet.typeName());
        }
    }

    private void dispatch(Connection c, PacketDecoder decoder, int type, String topic) {
        if (c.state == Connection.State.AWAIT_CONNECT && type != PacketType.CONNECT) {
            LOG.debug("{} sent {} before CONNECT; closing", c, PacketType.name(type));
            connectionLost(c, PacketType.name(type) + " before CONNECT");
            return;
        }
        if (c.state == Connection.State.AUTHENTICATING && type != PacketType.AUTH && type != PacketType.DISCONNECT) {
            disconnect(c, ReasonCode.PROTOCOL_ERROR, null);
            return;
        }
        switch (type) {
            case PacketType.CONNECT: connect.onConnect(c, decoder.connect()); break;
            case PacketType.AUTH: connect.onAuth(c, decoder.reason()); break;
            case PacketType.DISCONNECT: connect.onDisconnect(c, decoder.reason()); break;
            case PacketType.PUBLISH: inbound.onPublish(c, decoder.publish(), topic); break;
            case PacketType.PUBREL: inbound.onPubrel(c, decoder.ack().packetId()); break;
            case PacketType.SUBSCRIBE: inbound.onSubscribe(c, decoder.subscribe()); break;
            case PacketType.UNSUBSCRIBE: inbound.onUnsubscribe(c, decoder.subscribe()); break;
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBCOMP: deliveries.onAck(c, decoder.ack()); break;
            case PacketType.PINGREQ:
                c.send(PacketType.PINGRESP, 0, dst -> io.pipit.mqtt.codec.PingEncoder.encode(dst, PacketType.PINGRESP));
                break;
            default:
                LOG.debug("{} sent {}, which only a server sends", c, PacketType.name(type));
                disconnect(c, ReasonCode.PROTOCOL_ERROR, null);
        }
    }

    /** Answers a malformed packet: DISCONNECT with the codec's reason code (MQTT 5), then close. */
    void malformed(Connection c, MqttCodecException e) {
        LOG.debug("malformed packet from {}: {}", c, e.getMessage());
        if (c.state == Connection.State.AWAIT_CONNECT) {
            connect.refuseMalformedConnect(c, e);
            return;
        }
        int code = ReasonCodes.isValid(io.pipit.mqtt.ProtocolVersion.MQTT_5, PacketType.DISCONNECT, e.reasonCode())
                ? e.reasonCode() : ReasonCode.MALFORMED_PACKET;
        disconnect(c, code, null);
    }

    /**
     * Sends DISCONNECT with {@code reasonCode} (MQTT 5 only; a 3.1.1 connection is just closed) and closes the
     * connection once it is written. The Will is published.
     */
    void disconnect(Connection c, int reasonCode, String serverReference) {
        if (!c.isOpen()) {
            return;
        }
        if (c.mqtt5() && c.state != Connection.State.AWAIT_CONNECT) {
            MqttProperties props = new MqttProperties();
            if (serverReference != null) {
                props.put(Property.SERVER_REFERENCE, serverReference.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            c.sendNow(PacketType.DISCONNECT, 0, dst -> ReasonEncoder.encode(dst, PacketType.DISCONNECT,
                    c.version, reasonCode, props));
            c.closeAfterFlush();
        } else {
            connectionLost(c, String.format("disconnected by the broker (0x%02X)", reasonCode));
        }
    }

    /**
     * The connection is gone (closed by either side, failed, or dropped by a fault): closes the socket, then
     * publishes or schedules the Will and starts the Session Expiry Interval.
     */
    void connectionLost(Connection c, String why) {
        if (!c.isOpen()) {
            return;
        }
        boolean wasConnected = c.state == Connection.State.CONNECTED;
        c.closeChannel();
        connections.remove(c);
        LOG.debug("{} closed: {}", c, why);
        Session s = c.session;
        if (s == null || s.connection != c) {
            return;
        }
        s.connection = null;
        if (wasConnected) {
            log.disconnected(c.clientId);
        }
        connect.afterConnectionLost(c, s);
    }

    /** Publishes {@code m}: stores or clears it when retained, then delivers it to every matching session. */
    void publish(Message m) {
        if (m.retain) {
            if (m.payload.length == 0) {
                retained.remove(m.topic);
            } else {
                retained.put(m.topic, m);
            }
        }
        router.route(m);
    }

    private void scanKeepAlives() {
        long now = System.nanoTime();
        for (Connection c : new ArrayList<>(connections)) {
            // a black-holed connection is left for the client to detect: that is the fault being injected
            if (c.state == Connection.State.CONNECTED && c.keepAliveSeconds > 0 && !c.isBlackHoled()
                    && now - c.lastReceivedNs > TimeUnit.SECONDS.toNanos(c.keepAliveSeconds) * 3 / 2) {
                LOG.debug("{} missed its keepalive of {} s", c, c.keepAliveSeconds);
                disconnect(c, ReasonCode.KEEP_ALIVE_TIMEOUT, null);
            }
        }
        loop.schedule(KEEPALIVE_SCAN_NS, this::scanKeepAlives);
    }

    /** @return the live connection of {@code clientId} */
    private Connection connectionOf(String clientId) {
        Session s = sessions.get(clientId);
        if (s == null || s.connection == null) {
            throw new IllegalStateException("client '" + clientId + "' is not connected; connected: "
                    + log.connectedClients());
        }
        return s.connection;
    }

    /** Sends DISCONNECT with any reason code and optional Server Reference to a connected client. */
    public void disconnectClient(String clientId, int reasonCode, String serverReference) {
        disconnect(connectionOf(clientId), reasonCode, serverReference);
    }

    /** Closes a client's socket without DISCONNECT, as a network failure would. */
    public void dropClient(String clientId) {
        connectionLost(connectionOf(clientId), "dropped by the test");
    }

    /** Stops reading from and writing to a client's socket, keeping it open. */
    public void blackHoleClient(String clientId) {
        connectionOf(clientId).blackHole();
    }

    /** Writes raw bytes to a client. */
    public void sendRaw(String clientId, byte[] bytes) {
        connectionOf(clientId).sendRaw(bytes);
    }

    /** Sends a QoS 0 PUBLISH that uses a Topic Alias the client never learned. */
    public void sendUnknownTopicAlias(String clientId, int alias) {
        Connection c = connectionOf(clientId);
        MqttProperties props = new MqttProperties().put(Property.TOPIC_ALIAS, alias);
        c.sendNow(PacketType.PUBLISH, 0, dst -> io.pipit.mqtt.codec.PublishEncoder.encode(dst, c.version,
                new byte[0], 0, false, false, 0, props, ByteBuffer.wrap(new byte[] {'?'})));
    }

    /** Publishes a message as if from a client named {@code "$broker"}. */
    public void publishFromBroker(String topic, byte[] payload, int qos, boolean retain) {
        publish(new Message(topic, payload.clone(), qos, retain, "$broker", new MqttProperties(), -1));
    }

    /** @return the Topic Filters the session of {@code clientId} holds (empty when it has no session) */
    public List<String> subscriptions(String clientId) {
        Session s = sessions.get(clientId);
        return s == null ? new ArrayList<>() : new ArrayList<>(s.subscriptions.keySet());
    }

    /** @return true when the broker holds a session for {@code clientId} */
    public boolean hasSession(String clientId) {
        return sessions.containsKey(clientId);
    }

    /**
     * Drops every connection without DISCONNECT or Will, as a crashed broker would; keeps sessions and retained
     * messages or forgets them; refuses connections for {@code downtimeNs}, then listens on the same port.
     */
    public void restart(boolean keepSessions, long downtimeNs) throws IOException {
        for (Connection c : new ArrayList<>(connections)) {
            c.will = null;
            connectionLost(c, "broker restart");
        }
        if (!keepSessions) {
            for (Session s : sessions.values()) {
                s.cancelTimers();
            }
            sessions.clear();
            retained.clear();
        }
        if (downtimeNs > 0) {
            stopListening();
            loop.schedule(downtimeNs, this::relisten);
        }
    }

    private void relisten() {
        try {
            listen(port);
        } catch (IOException e) {
            LOG.error("mock broker could not listen again on port {} after its restart", port, e);
        }
    }

    private void stopListening() throws IOException {
        ServerSocketChannel server = listener;
        listener = null;
        if (server != null) {
            server.close();  // cancels its key; the loop's next select releases the port
        }
    }

    /** Closes every connection and the listener; the loop closes its selector after. */
    public void shutdown() {
        for (Connection c : new ArrayList<>(connections)) {
            c.will = null;
            connectionLost(c, "broker closed");
        }
        for (Session s : sessions.values()) {
            s.cancelTimers();
        }
        try {
            stopListening();
        } catch (IOException e) {
            LOG.warn("closing the listener on port {} failed", port, e);
        }
    }
}
