package io.pipit.mqtt.driver;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.SubackView;
import io.pipit.mqtt.engine.Engine;
import io.pipit.mqtt.engine.EngineListener;
import io.pipit.mqtt.keepalive.Backoff;
import io.pipit.mqtt.keepalive.ConnectionHealth;
import io.pipit.mqtt.keepalive.KeepAliveScheduler;
import io.pipit.mqtt.keepalive.KeepAliveTuner;
import io.pipit.mqtt.queue.OutboundQueue;
import io.pipit.mqtt.transport.TlsOptions;
import io.pipit.mqtt.transport.Transport;
import io.pipit.mqtt.transport.WebSocketOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection life: picks a server, connects the transport, runs the {@link Engine} over it,
 * and reconnects with backoff when it drops. Whichever thread drives it (a dedicated I/O thread, a shared
 * event loop, or the application in poll mode) calls {@link #doWork} repeatedly; nothing else touches it,
 * except {@link #execute}, which any thread may call. Steady state allocates nothing.
 */
public final class ClientConnection implements EngineListener {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private static final int IDLE = 0;
    private static final int WAITING_TO_CONNECT = 1;
    private static final int TRANSPORT_CONNECTING = 2;
    private static final int OPEN = 3;
    private static final int STOPPED = 4;

    private final Engine engine;
    private final ServerRotation servers;
    private final long connectTimeoutNs;
    private final boolean automaticReconnect;
    private boolean retryFirstConnect;
    private final ConnectionEvents events;
    private final ByteBuffer rx;
    private final ByteBuffer tx;
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();

    private volatile int phase = IDLE;
    private Transport transport;
    private long reconnectAtNs;
    private long connectDeadlineNs;
    private boolean stopAfterClose;
    private boolean reported;
    private boolean everConnected;
    private int stopReason;
    private long stopSessionExpiry = -1;
    private long quiesceDeadlineNs;
    /** When a stop gives up on writing its DISCONNECT (a peer that reads nothing) and closes anyway. */
    private long stopDeadlineNs;
    /** Runs once the connection is stopped; see {@link #whenStopped}. */
    private Runnable stoppedAction;
    private final ReconnectCounters reconnects = new ReconnectCounters();
    private KeepAliveTuner tuner;
    private KeepAliveScheduler scheduler = KeepAliveScheduler.NONE;
    private long scheduledNs = Long.MIN_VALUE;
    private long lastNowNs;
    private boolean established;
    private boolean networkDown;
    private boolean networkChanged;
    private volatile String networkKey = "";
    private final QueueSpace queueSpace = new QueueSpace();
    /** Whether a new publish gives the driver work; see {@link #publishNeedsWakeUp()}. */
    private volatile boolean publishNeedsWakeUp = true;

    /**
     * @param connect the CONNECT for every connection, which also carries our limits (see {@link Engine})
     * @param bufferSize size of the receive and send buffers: the largest packet either way
     */
    public ClientConnection(ConnectEncoder connect, int maxInflight, int outgoingAliasCap, OutboundQueue queue,
            ServerAddress[] servers, Backoff backoff, long connectTimeoutNs, boolean automaticReconnect,
            int bufferSize, ConnectionEvents events) {
        // MQTT 3.1.1 cannot tell the server our limit: the engine must know the buffer's, or a larger packet stalls
        this.engine = new Engine(connect, maxInflight, outgoingAliasCap, queue, this).maximumPacketSize(bufferSize);
        this.servers = new ServerRotation(servers, backoff);
        this.connectTimeoutNs = connectTimeoutNs;
        this.automaticReconnect = automaticReconnect;
        this.events = events;
        this.rx = ByteBuffer.allocateDirect(bufferSize);
        this.tx = ByteBuffer.allocateDirect(bufferSize);
    }

    /** @return the engine; call it only on the driving thread (from {@link #execute} commands) */
    public Engine engine() {
        return engine;
    }

    /**
     * Keepalive intervals from {@code keepAliveTuner} (null: CONNECT's fixed one), and timer deadlines told to
     * {@code keepAliveScheduler}. Before {@link #start}, driving thread only.
     */
    public ClientConnection keepAlive(KeepAliveTuner keepAliveTuner, KeepAliveScheduler keepAliveScheduler) {
        this.tuner = keepAliveTuner;
        this.scheduler = keepAliveScheduler;
        engine.keepAliveTuner(keepAliveTuner);
        return this;
    }

    /**
     * The platform reports network {@code key} usable: attempts resume, and a waiting reconnect happens now with
     * a fresh backoff. A connection opened on a different network is dropped and reconnected at once (its
     * socket belongs to the old network). Driving thread only.
     */
    public void networkAvailable(String key, long nowNs) {
        networkDown = false;
        String previous = networkKey;
        networkKey = key;
        if (tuner != null) {
            tuner.network(key);
        }
        servers.resetBackoff();
        if (phase == OPEN && !previous.isEmpty() && !previous.equals(key)) {
            networkChanged = true;
            engine.onConnectionLost("the network changed from " + previous + " to " + key);
            connectionOver(nowNs);
        }
        if (phase == WAITING_TO_CONNECT) {
            reconnectAtNs = nowNs;
        }
    }

    /** The platform reports no usable network: reconnect attempts pause until {@link #networkAvailable}. */
    public void networkLost() {
        networkDown = true;
    }

    /**
     * With automatic reconnect on, retries a first connect that fails as a dropped connection is retried (with the
     * backoff, through the servers) instead of stopping. Before {@link #start}, driving thread only.
     */
    public ClientConnection retryFirstConnect(boolean enabled) {
        this.retryFirstConnect = enabled;
        return this;
    }

    /** @return a snapshot of keepalive and reconnect figures; any thread */
    public ConnectionHealth health() {
        return new ConnectionHealth(engine.keepAliveIntervalNs(), engine.pingCount(), engine.pingsAnsweredCount(),
                engine.lastPingRttNs(),
                reconnects.snapshot(), networkKey);
    }

    /** Runs {@code command} on the driving thread before its next unit of work; safe from any thread. */
    public void execute(Runnable command) {
        commands.add(command);
    }

    /**
     * Starts connecting on the next {@link #doWork}; while retrying, the next attempt comes now instead of after the
     * backoff, and an attempt under way is left to finish (its CONNACK answers this call too). Driving thread only.
     */
    public void start(long nowNs) {
        stopAfterClose = false;
        if (phase == TRANSPORT_CONNECTING || phase == OPEN && engine.state() == Engine.CONNECTING) {
            return;
        }
        phase = WAITING_TO_CONNECT;
        reconnectAtNs = nowNs;
    }

    /**
     * Disconnects politely and does not reconnect: queued publishes are sent and acknowledged first, for at
     * most {@code quiesceNs}, then DISCONNECT and close; a DISCONNECT that cannot be written within the connect
     * timeout after that closes the connection without it. A stop already under way goes on as it began. Driving
     * thread only.
     */
    public void stop(int reasonCode, long nowNs, long quiesceNs) {
        stop(reasonCode, nowNs, quiesceNs, -1);
    }

    /** {@link #stop(int, long, long)}, also setting the session's expiry on DISCONNECT (-1: unchanged). */
    public void stop(int reasonCode, long nowNs, long quiesceNs, long sessionExpirySeconds) {
        if (stopAfterClose && phase != STOPPED) {
            return; // stopping already: a second DISCONNECT, or closing before the first was written, helps no one
        }
        stopAfterClose = true;
        stopReason = reasonCode;
        stopSessionExpiry = sessionExpirySeconds;
        quiesceDeadlineNs = nowNs + quiesceNs;
        stopDeadlineNs = quiesceDeadlineNs + connectTimeoutNs;
        if (phase == OPEN && (engine.state() == Engine.CONNECTED || engine.state() == Engine.CONNECTING)) {
            engine.disconnect(reasonCode, quiesceNs <= 0, sessionExpirySeconds);
        } else {
            closeTransport();
            phase = STOPPED;
            events.onStopped(); // between attempts: no connection end will tell a connect still waiting
        }
    }

    /**
     * The thread driving this connection died of a bug: close everything at once and tell the client, so no
     * caller waits on a connection nobody will ever serve. Any thread, once the driver has stopped.
     */
    public void fail(String detail) {
        stopAfterClose = true;
        closeTransport();
        phase = STOPPED;
        if (!reported) {
            reported = true;
            events.onConnectionLost(Engine.NETWORK_FAILURE, detail, false);
        }
    }

    /**
     * Runs {@code action} on the driving thread once the connection is stopped: at once when it is, else at the
     * end of the unit of work that stops it. One action at a time (a later one replaces it). Driving thread only.
     */
    public void whenStopped(Runnable action) {
        if (phase == STOPPED) {
            action.run();
        } else {
            stoppedAction = action;
        }
    }

    /** @return true once stopped: nothing more will happen until {@link #start} */
    public boolean isStopped() {
        return phase == STOPPED;
    }

    /** TLS settings for {@code mqtts://} servers (default {@link TlsOptions#defaults()}); before {@link #start}. */
    public void tls(TlsOptions options) {
        servers.tls(options);
    }

    /** WebSocket settings for {@code ws://} and {@code wss://} servers; before {@link #start}. */
    public void webSocket(WebSocketOptions options) {
        servers.webSocket(options);
    }

    /** @return the transport being connected or used, or null (for selector registration) */
    public Transport transport() {
        return transport;
    }

    /** @return the selector interest a driver should register for the current transport */
    public int interestOps() {
        if (phase == TRANSPORT_CONNECTING) {
            return transport.connectInterestOps();  // a TLS handshake reads and writes before it is connected
        }
        if (phase == OPEN) {
            boolean writing = tx.position() > 0 || transport.hasPendingWrites();
            return SelectionKey.OP_READ | (writing ? SelectionKey.OP_WRITE : 0);
        }
        return 0;
    }

    /**
     * One unit of work: commands, connecting, reading, timers, writing.
     *
     * @return how much was done (0 = idle, so the driver may wait until {@link #deadlineNs})
     */
    public int doWork(long nowNs) {
        lastNowNs = nowNs;
        int work = runCommands();
        try {
            switch (phase) {
                case WAITING_TO_CONNECT:
                    if (!networkDown && nowNs - reconnectAtNs >= 0) {
                        openTransport(nowNs);
                        work++;
                    }
                    break;
                case TRANSPORT_CONNECTING:
                    work += finishConnect(nowNs);
                    break;
                case OPEN:
                    work += exchange(nowNs);
                    break;
                default:
                    break;
            }
        } catch (IOException e) {
            String detail = transport == null ? e.getMessage() : transport.peer() + ": " + e.getMessage();
            if (engine.state() == Engine.CLOSED) {
                onConnectionClosed(Engine.NETWORK_FAILURE, false, detail); // failed before MQTT began
            } else {
                engine.onConnectionLost(detail);
            }
            connectionOver(nowNs);
            work++;
        }
        boolean wakeUp = phase == OPEN && engine.canSendPublish();
        if (wakeUp != publishNeedsWakeUp) {
            publishNeedsWakeUp = wakeUp;
        }
        if (work > 0) {
            queueSpace.workDone();
        }
        if (stoppedAction != null && phase == STOPPED) {
            Runnable action = stoppedAction;
            stoppedAction = null;
            action.run();
        }
        return work;
    }

    /**
     * @return true when an acknowledgement is due within a round trip and publishes wait for it: worth a short
     *     spin before sleeping. Driving thread only.
     */
    boolean expectsAckSoon() {
        return phase == OPEN && engine.backlogBehindFullWindow();
    }

    /** @return where publishers wait for room in a full queue; any thread */
    public QueueSpace queueSpace() {
        return queueSpace;
    }

    /**
     * Whether the driver must be woken for a publish just queued. Not while disconnected or while the server's
     * receive window is full: the publish could not leave anyway, and the CONNACK or acknowledgement that opens
     * the window wakes the driver, which then drains the queue. Skipping those wake-ups saves a selector wake-up
     * and an idle cycle per publish when a fast publisher waits on acknowledgements. Any thread.
     *
     * <p>No publish is stranded: the flag turns true only at the end of a unit of work that did work, so another
     * unit follows and reads the queue; and a publisher that queued before that write and read the old value is
     * seen by that read, since both sides order their queue access and the flag through synchronization.
     */
    public boolean publishNeedsWakeUp() {
        return publishNeedsWakeUp;
    }

    private int runCommands() {
        int count = 0;
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run();
            count++;
        }
        return count;
    }

    private void openTransport(long nowNs) throws IOException {
        engine.onConnectAttempt(); // the last end's advice is taken: should this attempt fail, it is not repeated
        transport = servers.open();
        phase = TRANSPORT_CONNECTING;
        connectDeadlineNs = nowNs + connectTimeoutNs;
        reported = false;
        established = false;
        networkChanged = false;
        transport.connect();
    }

    private int finishConnect(long nowNs) throws IOException {
        if (transport.finishConnect()) {
            phase = OPEN;
            rx.clear();
            tx.clear();
            engine.onConnectionOpened(nowNs);
            return 1 + exchange(nowNs);
        }
        if (nowNs - connectDeadlineNs >= 0) {
            throw new IOException("connect timed out after " + connectTimeoutNs / 1_000_000 + " ms");
        }
        return 0;
    }

    private int exchange(long nowNs) throws IOException {
        int work = 0;
        int read = transport.read(rx);
        if (read < 0) {
            engine.onServerClosed(transport.peer() + ": the server closed the connection"); // maybe a 3.1.1 fallback
            throw new IOException("the server closed the connection");
        }
        if (read > 0 || rx.position() > 0) { // bytes left by a paused or partial read count too
            rx.flip();
            work += engine.onReceive(rx, nowNs);
            rx.compact();
        }
        if (engine.state() == Engine.CONNECTING && nowNs - connectDeadlineNs >= 0) {
            throw new IOException("no CONNACK within " + connectTimeoutNs / 1_000_000 + " ms");
        }
        engine.onTick(nowNs);
        if (stopAfterClose && engine.state() == Engine.CONNECTED && nowNs - quiesceDeadlineNs >= 0) {
            engine.disconnect(stopReason, true, stopSessionExpiry); // quiesce time is up: DISCONNECT now
        }
        if (stopAfterClose && nowNs - stopDeadlineNs >= 0) {
            throw new IOException("the DISCONNECT could not be written within " + connectTimeoutNs / 1_000_000
                    + " ms: closing without it");
        }
        work += engine.drainTo(tx, nowNs);
        if (tx.position() > 0 || transport.hasPendingWrites()) {
            tx.flip();
            work += transport.write(tx);
            tx.compact();
        }
        if (engine.state() == Engine.CLOSED && tx.position() == 0 && !transport.hasPendingWrites()) {
            connectionOver(nowNs);
            work++;
        }
        return work + read;
    }

    private void connectionOver(long nowNs) {
        closeTransport();
        if (stopAfterClose) {
            phase = STOPPED;
            return;
        }
        if (engine.wantsImmediateRetry()) {
            phase = WAITING_TO_CONNECT; // at once: again in MQTT 3.1.1, or where a Server Reference points
            reconnectAtNs = nowNs;
            servers.retryAt(engine.serverReference());
            return;
        }
        phase = WAITING_TO_CONNECT;
        reconnectAtNs = nowNs + servers.failedNs(nowNs);
        if (!retries()) {
            phase = STOPPED; // a first connect that fails is the caller's to handle, unless asked to retry it
        }
    }

    /** @return whether a failed attempt or a lost connection is tried again after the backoff */
    private boolean retries() {
        return automaticReconnect && (everConnected || retryFirstConnect);
    }

    private void closeTransport() {
        if (transport == null) {
            return;
        }
        try {
            transport.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed; the connection is gone either way", transport.peer(), e);
        }
        transport = null;
    }

    /** @return when this connection next needs {@link #doWork} without I/O readiness, in nanos */
    public long deadlineNs(long nowNs) {
        long deadline = nextDeadlineNs(nowNs);
        if (deadline != scheduledNs) {
            scheduledNs = deadline;
            scheduler.schedule(deadline);
        }
        return deadline;
    }

    private long nextDeadlineNs(long nowNs) {
        switch (phase) {
            case WAITING_TO_CONNECT: return networkDown ? Long.MAX_VALUE : reconnectAtNs;
            case TRANSPORT_CONNECTING: return Math.min(connectDeadlineNs, transport.connectDeadlineNs());
            case OPEN:
                long tick = engine.onTick(nowNs);
                if (engine.state() == Engine.CLOSED) {
                    return nowNs; // the tick found the connection dead: doWork must close it and reconnect
                }
                if (stopAfterClose) {
                    tick = Math.min(tick, nowNs - quiesceDeadlineNs < 0 ? quiesceDeadlineNs : stopDeadlineNs);
                }
                return engine.state() == Engine.CONNECTING ? Math.min(tick, connectDeadlineNs) : tick;
            default: return Long.MAX_VALUE;
        }
    }

    @Override
    public void onConnected(ConnackView connack) {
        everConnected = true;
        established = true;
        servers.connected(lastNowNs);
        events.onConnected(connack);
    }

    @Override
    public void onConnectionClosed(int reasonCode, boolean byServer, String detail) {
        if (!reported) {
            reported = true;
            boolean retry = !stopAfterClose && (retries() || engine.wantsImmediateRetry());
            if (retry) {
                reconnects.count(reasonCode, byServer, established, networkChanged);
            }
            String reason = reasonCode < 0 ? "network" : ReasonCode.describe(reasonCode);
            if (reasonCode == ReasonCode.SUCCESS && !byServer) {
                LOG.debug("connection closed: {}", detail); // the application asked for it: nothing to report
            } else {
                LOG.info("connection closed ({}): {}{}", reason, detail, retry ? "; reconnecting" : "");
            }
            events.onConnectionLost(reasonCode, detail, retry);
        }
    }

    @Override
    public void onPublishCompleted(long sequence, int reasonCode) {
        events.onPublishCompleted(sequence, reasonCode);
    }

    @Override
    public void onSubscriptionAck(int packetId, SubackView ack) {
        events.onSubscriptionAck(packetId, ack);
    }
}
