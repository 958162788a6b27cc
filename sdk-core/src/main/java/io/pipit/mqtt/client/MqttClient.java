package io.pipit.mqtt.client;

import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.driver.ClientConnection;
import io.pipit.mqtt.driver.Driver;
import io.pipit.mqtt.driver.QueueSpace;
import io.pipit.mqtt.driver.ServerAddress;
import io.pipit.mqtt.keepalive.Backoff;
import io.pipit.mqtt.queue.OutboundQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * An MQTT 5.0 / 3.1.1 client. Thread-safe: publish from any number of threads. One I/O thread per client
 * (named {@code pipit-io-<clientId>}) does all network work and calls every listener.
 *
 * <pre>{@code
 * MqttClient client = MqttClient.builder().server("mqtt://127.0.0.1:1883").clientId("sensor-42").build();
 * client.connect();
 * Topic temp = Topic.of("tele/sensor-42/temp");         // encode topics once
 * client.publish(temp, payload, 0, length, QoS.AT_LEAST_ONCE);   // allocates nothing
 * client.subscribe("cmd/sensor-42/#", QoS.AT_LEAST_ONCE, message -> handle(message)).get(5, SECONDS);
 * client.close();
 * }</pre>
 *
 * <p>{@link #publish(Topic, byte[], int, int, QoS, boolean)} encodes on the calling thread into the outbound
 * queue and returns at once; completion arrives on the {@link PublishListener}. Methods returning a
 * {@link MqttFuture} and those taking a {@code String} topic allocate; they are for set-up, not the
 * message path. Close the client when done: it stops its thread.
 */
public final class MqttClient implements AutoCloseable {
    private final ClientConnection connection;
    private final Driver driver;
    private final io.pipit.mqtt.driver.NanoClock clock;
    private final boolean pollMode;
    private final OutboundQueue queue;
    private final long connectTimeoutMs;
    private final PublishStaging staging;
    private final SubscriptionRequests requests;
    /** Made by the first {@link #request}: most devices never use request/response. */
    private volatile Requester requester;
    private final SessionState session;
    private boolean started;

    MqttClient(MqttClientBuilder builder) {
        this.queue = builder.queue;
        this.connectTimeoutMs = TimeUnit.NANOSECONDS.toMillis(builder.connectTimeoutNs);
        this.staging = new PublishStaging(queue, builder.maximumPacketSize);
        this.session = new SessionState(builder.connect.version(), queue, staging, builder.connectionListener,
                builder.publishListener);
        Backoff backoff = new Backoff(builder.reconnectDelayMinNs, builder.reconnectDelayMaxNs,
                builder.reconnectStableNs, new Random());
        this.connection = new ClientConnection(builder.connect, builder.maxInflight, builder.outgoingTopicAliases,
                queue,
                builder.servers.toArray(new ServerAddress[0]), backoff, builder.connectTimeoutNs,
                builder.automaticReconnect, builder.maximumPacketSize, session);
        connection.keepAlive(builder.keepAlivePolicy == null ? null : builder.keepAlivePolicy.newTuner(),
                builder.keepAliveScheduler).retryFirstConnect(builder.retryFirstConnect);
        connection.engine().fallBackTo311(builder.fallBackTo311).followServerReference(builder.followServerReference)
                .authenticator(builder.authenticator).unroutedListener(builder.unroutedListener);
        this.pollMode = builder.pollMode;
        this.clock = builder.clock;
        this.driver = builder.driverFor(connection);
        this.requests = new SubscriptionRequests(connection, driver);
        session.attach(connection.engine(), requests);
        if (builder.tls != null) {
            connection.tls(builder.tls);
        }
        if (builder.webSocket != null) {
            connection.webSocket(builder.webSocket);
        }
    }

    /** @return a builder with pipit's defaults */
    public static MqttClientBuilder builder() {
        return new MqttClientBuilder();
    }

    /**
     * Connects and waits for the server's CONNACK. With {@link MqttClientBuilder#retryFirstConnect} on, failed
     * attempts are retried with the reconnect backoff, each reported to the {@link ConnectionListener} as
     * reconnecting, and this returns at the first CONNACK; when the connect timeout passes first, it throws with the
     * last attempt's reason code while the client goes on trying in the background until it connects (the listener
     * hears it) or {@link #close()} stops it.
     *
     * @throws MqttException when the server refuses (with its reason code), the network fails, or the
     *     connect timeout passes
     */
    public void connect() throws MqttException {
        MqttFuture<Void> future = connectAsync();
        try {
            await(future, connectTimeoutMs + 1_000);
        } catch (MqttException e) {
            throw session.connectFailure(future, e, connectTimeoutMs + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException("interrupted while connecting", e);
        }
    }

    /**
     * Connects without blocking; the future completes on CONNACK or fails with {@link MqttException} (with
     * {@code retryFirstConnect}, only when the client is closed before any attempt succeeded).
     */
    public synchronized MqttFuture<Void> connectAsync() {
        if (session.isConnected()) {
            MqttFuture<Void> done = new MqttFuture<>();
            done.complete(null);
            return done;
        }
        MqttFuture<Void> future = new MqttFuture<>();
        session.connecting(future);
        if (!started) {
            driver.start();
            started = true;
        }
        connection.execute(() -> connection.start(clock.nanoTime()));
        driver.signal();
        return future;
    }

    /**
     * Poll mode only: runs the client's network work and listeners on the calling thread, waiting at most
     * {@code timeout} for something to happen. Call it in a loop; nothing happens between calls.
     *
     * @return units of work done (0 when the wait ended with nothing to do)
     * @throws UnsupportedOperationException when the client has its own I/O thread or an event loop
     */
    public int poll(long timeout, TimeUnit unit) {
        return driver.poll(unit.toNanos(timeout));
    }

    /** Waits for {@code future}, driving the connection meanwhile when in poll mode. */
    private <T> T await(MqttFuture<T> future, long timeoutMs) throws MqttException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (pollMode && !future.isDone() && deadline - System.nanoTime() > 0) {
            driver.poll(Math.min(TimeUnit.MILLISECONDS.toNanos(10), deadline - System.nanoTime()));
        }
        return future.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                TimeUnit.MILLISECONDS);
    }

    /**
     * @return the Response Information the server gave in its last CONNACK (a base for response topics, when
     *     asked for with {@code requestInformation(true, ...)}), or null
     */
    public String responseInformation() {
        return session.responseInformation();
    }

    /** @return what the server announced in its last CONNACK (absent-property defaults before the first one) */
    public ServerCapabilities serverCapabilities() {
        return session.serverCapabilities();
    }

    /** @return the protocol version of the current (or last) connection: 3.1.1 after a fallback */
    public ProtocolVersion protocolVersion() {
        return session.version();
    }

    /** @return true while a connection is established */
    public boolean isConnected() {
        return session.isConnected();
    }

    /**
     * Publishes without allocating: encodes into the outbound queue and returns at once. Works while
     * disconnected too: the message waits in the queue.
     *
     * @param properties MQTT 5 properties (Message Expiry, Content Type, Response Topic, Correlation Data,
     *     User Properties, ...), or null; read during this call only, so one holder can be refilled and reused.
     *     Dropped when the connection speaks MQTT 3.1.1, which has no properties.
     * @return the publish's sequence number (see {@link PublishListener}), or -1 when the queue is full
     * @throws IllegalArgumentException when the packet is larger than the maximum packet size, asks for a
     *     QoS or retain the server said it does not support, or carries a property PUBLISH may not carry
     */
    public long publish(Topic topic, byte[] payload, int offset, int length, QoS qos, boolean retain,
            MqttProperties properties) {
        long sequence = staging.offer(topic, payload, offset, length, qos, retain, properties);
        if (sequence >= 0 && connection.publishNeedsWakeUp()) {
            driver.signal(); // a refused publish, or one that waits for the window, gives the driver nothing new
        }
        return sequence;
    }

    /**
     * {@link #publish(Topic, byte[], int, int, QoS, boolean, MqttProperties)}, waiting up to {@code timeout} for
     * room when the queue is full, instead of returning -1 at once: for a producer faster than the network, which
     * should slow down rather than spin or drop. The thread sleeps until the driver has sent or completed something;
     * allocation-free. In poll mode, never call it on the thread that polls: nothing would drain the queue.
     *
     * @return the publish's sequence number, or -1 when the queue stayed full for {@code timeout}
     * @throws InterruptedException when interrupted while waiting; nothing was queued
     */
    public long publish(Topic topic, byte[] payload, int offset, int length, QoS qos, boolean retain,
            MqttProperties properties, long timeout, TimeUnit unit) throws InterruptedException {
        long deadlineNs = System.nanoTime() + unit.toNanos(timeout);
        QueueSpace space = connection.queueSpace();
        space.enter();
        try {
            while (true) {
                long seen = space.generation();
                long sequence = publish(topic, payload, offset, length, qos, retain, properties);
                if (sequence >= 0 || !space.awaitChange(seen, deadlineNs)) {
                    return sequence;
                }
            }
        } finally {
            space.exit();
        }
    }

    /** {@link #publish(Topic, byte[], int, int, QoS, boolean, MqttProperties)} without properties. */
    public long publish(Topic topic, byte[] payload, int offset, int length, QoS qos, boolean retain) {
        return publish(topic, payload, offset, length, qos, retain, null);
    }

    /** {@link #publish(Topic, byte[], int, int, QoS, boolean)} without retain. */
    public long publish(Topic topic, byte[] payload, int offset, int length, QoS qos) {
        return publish(topic, payload, offset, length, qos, false);
    }

    /** Convenience: validates and encodes {@code topic} each call (allocates). */
    public long publish(String topic, byte[] payload, QoS qos) {
        return publish(Topic.of(topic), payload, 0, payload.length, qos, false);
    }

    /**
     * Subscribes {@code listener} to {@code filter}. Allocates (set-up work).
     *
     * @return completes with the SUBACK reason code (0..2 = granted QoS; 0x80+ = refused)
     */
    public MqttFuture<Integer> subscribe(String filter, QoS qos, MessageListener listener) {
        return subscribe(filter, qos, false, false, 0, listener);
    }

    /**
     * Subscribes with every MQTT 5 subscription option (ignored on 3.1.1, which has none).
     *
     * @param noLocal do not receive our own publishes on this filter (not allowed on shared subscriptions)
     * @param retainAsPublished keep the RETAIN flag as the publisher set it
     * @param retainHandling 0: send retained messages on subscribe, 1: only if new, 2: never
     * @throws IllegalArgumentException at once, on the calling thread, for an invalid filter, No Local on a shared
     *     ({@code $share/}) filter, or a Retain Handling outside 0..2; nothing is sent
     */
    public MqttFuture<Integer> subscribe(String filter, QoS qos, boolean noLocal, boolean retainAsPublished,
            int retainHandling, MessageListener listener) {
        byte[] bytes = SubscriptionRequests.checkedFilter(filter);
        int options = SubscriptionRequests.checkedOptions(bytes, qos, noLocal, retainAsPublished, retainHandling);
        return requests.send(() -> connection.engine().subscribe(bytes, options, listener));
    }

    /**
     * MQTT 5 request/response: publishes {@code payload} to {@code topic} with a Response Topic and a fresh
     * Correlation Data, and completes with the payload of the matching response (the responder must copy the
     * Correlation Data into its reply, as spec 4.10 asks). Allocates; for commands and queries, not telemetry.
     *
     * @param responseTopic where responses come back; subscribed once, on first use
     * @throws MqttException when the outbound queue is full
     */
    public MqttFuture<byte[]> request(Topic topic, byte[] payload, QoS qos, String responseTopic)
            throws MqttException {
        Requester made = requester;
        if (made == null) {
            synchronized (requests) {
                made = requester;
                if (made == null) {
                    made = new Requester(this);
                    requester = made;
                }
            }
        }
        return made.request(topic, payload, qos, responseTopic);
    }

    /** Removes the subscription for {@code filter}; completes with the UNSUBACK reason code. */
    public MqttFuture<Integer> unsubscribe(String filter) {
        byte[] bytes = SubscriptionRequests.checkedFilter(filter);
        return requests.send(() -> connection.engine().unsubscribe(bytes));
    }

    /**
     * Disconnects: publishes queued so far are sent and acknowledged first (for at most the connect timeout),
     * then DISCONNECT (normal disconnection); waits until the connection is closed.
     */
    public void disconnect() throws MqttException {
        disconnect(ReasonCode.NORMAL_DISCONNECTION, -1);
    }

    /**
     * Disconnects with a reason code of your choice, e.g. {@link ReasonCode#DISCONNECT_WITH_WILL_MESSAGE} to
     * have the server publish the will anyway, and (MQTT 5) a new Session Expiry Interval: 0 ends a
     * persistent session now, -1 keeps what CONNECT asked for. Queued publishes are sent first, as with
     * {@link #disconnect()}.
     */
    public void disconnect(int reasonCode, long sessionExpirySeconds) throws MqttException {
        if (connection.isStopped()) {
            return; // already over (disconnected before, or the I/O thread failed and said so)
        }
        MqttFuture<Void> closed = new MqttFuture<>();
        connection.execute(() -> {
            connection.stop(reasonCode, clock.nanoTime(), TimeUnit.MILLISECONDS.toNanos(connectTimeoutMs),
                    sessionExpirySeconds);
            if (connection.isStopped()) { // stopped between connections: no connection end will fail the requests
                requests.connectionLost(reasonCode, "the client disconnected before the request was sent", false);
            }
            closed.complete(null);
        });
        driver.signal();
        try {
            await(closed, connectTimeoutMs);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * connectTimeoutMs);
            while (!connection.isStopped() && System.nanoTime() < deadline) {
                if (pollMode) {
                    driver.poll(TimeUnit.MILLISECONDS.toNanos(1));
                } else {
                    Thread.sleep(1);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException("interrupted while disconnecting", e);
        }
    }

    /** Disconnects if connected and stops the I/O thread. Idempotent. */
    @Override
    public void close() throws MqttException {
        if (started) {
            disconnect();
            try {
                driver.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MqttException("interrupted while stopping the I/O thread", e);
            }
            started = false;
        }
    }

    /**
     * Re-authenticates the live connection with the builder's {@link io.pipit.mqtt.Authenticator} (MQTT 5
     * AUTH 0x19), e.g. before a token expires. A refusal ends the connection (reported to the
     * {@link ConnectionListener}).
     */
    public void reauthenticate() {
        connection.execute(() -> connection.engine().reauthenticate());
        driver.signal();
    }

    /** @return keepalive interval, pings, last ping RTT and reconnects by cause, as of now (allocates) */
    public io.pipit.mqtt.keepalive.ConnectionHealth health() {
        return connection.health();
    }

    /**
     * For platform adapters: network {@code networkKey} is usable (Android: the network handle; Java SE:
     * {@link io.pipit.mqtt.keepalive.NetworkKeys#current()}). A waiting reconnect happens now, keepalive uses
     * what it learned on that network, and a connection still on another network is replaced.
     */
    public void networkAvailable(String networkKey) {
        if (networkKey == null) {
            throw new IllegalArgumentException("networkKey must not be null");
        }
        connection.execute(() -> connection.networkAvailable(networkKey, clock.nanoTime()));
        driver.signal();
    }

    /** For platform adapters: no network now; reconnect attempts pause until {@link #networkAvailable}. */
    public void networkLost() {
        connection.execute(connection::networkLost);
        driver.signal();
    }

    /** Runs due timer work now, e.g. from the alarm a {@code KeepAliveScheduler} set (poll mode: call poll). */
    public void wakeUp() {
        driver.signal();
    }

    /** @return publishes waiting in the outbound queue (not yet sent) */
    public int queuedCount() {
        return queue.size();
    }

    /**
     * Fills {@code into} with the outbound queue's figures: depth in messages and bytes, age of the oldest
     * message, drops by cause. Allocation-free; any thread.
     *
     * @return {@code into}
     */
    public io.pipit.mqtt.queue.QueueStats queueStats(io.pipit.mqtt.queue.QueueStats into) {
        return queue.stats(into);
    }
}
