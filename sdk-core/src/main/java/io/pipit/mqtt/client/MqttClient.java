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
 * An MQTT 5.0 / 3.1.1 client. Thread-safe: publish from any number of threads. One thread drives the connection,
 * does all network work and calls every listener: the client's own I/O thread (named {@code pipit-io-<clientId>})
 * by default, or the thread of the shared {@link io.pipit.mqtt.driver.EventLoop} it runs on, or in
 * {@link MqttClientBuilder#pollMode() poll mode} the application's thread inside {@link #poll}.
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
 *
 * <h2>Listeners and callbacks</h2>
 * The {@link io.pipit.mqtt.MessageListener}s (the unrouted one too), the {@link ConnectionListener}, the
 * {@link PublishListener}, {@link MqttFuture#whenComplete} callbacks, the {@link io.pipit.mqtt.Authenticator} and
 * the {@link io.pipit.mqtt.keepalive.KeepAliveScheduler} all run on that driving thread, one at a time. While one
 * runs, the connection reads nothing, sends nothing and answers no keepalive (on an event loop: for every client
 * on the loop), so keep them short. From them:
 * <ul>
 * <li>call freely what returns at once: {@code publish} without a timeout, {@code subscribe}, {@code unsubscribe},
 * {@code request}, {@link #connectAsync()}, {@link MqttFuture#whenComplete}, {@link MqttFuture#get} on a future
 * that is done, {@code isConnected()} and the other queries, {@link #reauthenticate()}, {@link #wakeUp()};
 * <li>{@link #disconnect()} and {@link #close()} start the shutdown and return at once; it completes on the driving
 * thread once the listener returns (queued publishes sent, for at most the connect timeout, then DISCONNECT; after
 * {@code close()} the thread ends). In poll mode it completes in the following {@code poll()} calls: keep polling
 * until {@link #isConnected()} is false;
 * <li>never wait for the connection: {@link MqttFuture#get} on a future not done, {@link #connect()},
 * {@link #publish(Topic, byte[], int, int, QoS, boolean, MqttProperties, long, TimeUnit) publish with a timeout}
 * and, in poll mode, {@link #poll} would wait for work that only the waiting thread can do. They throw
 * {@link IllegalStateException} at once, naming the call and the thread. The same holds for every client that
 * thread drives: on an event loop, a listener of one client must not wait for another client on the loop either.
 * Hand the wait to another thread, or use the non-blocking form.
 * </ul>
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
    private final Shutdown shutdown;
    /** Made by the first {@link #request}: most devices never use request/response. */
    private volatile Requester requester;
    private final SessionState session;
    private volatile boolean started;

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
        this.shutdown = new Shutdown(connection, driver, clock, pollMode, connectTimeoutMs, requests);
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
     * Connects and waits for the server's CONNACK (in poll mode: polls while it waits). With
     * {@link MqttClientBuilder#retryFirstConnect} on, failed attempts are retried with the reconnect backoff, each
     * reported to the {@link ConnectionListener} as reconnecting, and this returns at the first CONNACK; when the
     * connect timeout passes first, it throws with the last attempt's reason code while the client goes on trying in
     * the background until it connects (the listener hears it) or {@link #close()} stops it.
     *
     * @throws MqttException when the server refuses (with its reason code), the network fails, or the
     *     connect timeout passes
     * @throws IllegalStateException when called from a listener or callback (on the thread that drives the
     *     connection), which would wait for itself: use {@link #connectAsync()} there
     */
    public void connect() throws MqttException {
        Blocking.check(driver, "MqttClient.connect()", "which alone can connect",
                "use connectAsync() (whenComplete(...) hears the outcome) or call connect() from another thread");
        MqttFuture<Void> future = connectAsync();
        try {
            Blocking.await(driver, pollMode, future, connectTimeoutMs + 1_000);
        } catch (MqttException e) {
            throw session.connectFailure(future, e, connectTimeoutMs + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException("interrupted while connecting", e);
        }
    }

    /**
     * Connects without blocking; the future completes on CONNACK or fails with {@link MqttException} (with
     * {@code retryFirstConnect}, only when the client is closed before any attempt succeeded). Callable from
     * listeners too, e.g. to reconnect from {@link ConnectionListener#onDisconnected}.
     */
    public synchronized MqttFuture<Void> connectAsync() {
        if (session.isConnected()) {
            MqttFuture<Void> done = new MqttFuture<>(driver);
            done.complete(null);
            return done;
        }
        MqttFuture<Void> future = new MqttFuture<>(driver);
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
     * @throws IllegalStateException when called from a listener that {@code poll} called, or after {@link #close()}
     */
    public int poll(long timeout, TimeUnit unit) {
        return driver.poll(unit.toNanos(timeout));
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
     * allocation-free. Not from a listener or callback, and in poll mode not on the thread that polls: nothing would
     * drain the queue while it waits. A {@code timeout} of 0 never waits and is allowed everywhere.
     *
     * @return the publish's sequence number, or -1 when the queue stayed full for {@code timeout}
     * @throws InterruptedException when interrupted while waiting; nothing was queued
     * @throws IllegalStateException when {@code timeout} is positive and the call comes from a listener or callback,
     *     on the thread that drives the connection (which alone can make room): use the publish without a timeout
     *     there, which returns -1 while the queue is full
     */
    public long publish(Topic topic, byte[] payload, int offset, int length, QoS qos, boolean retain,
            MqttProperties properties, long timeout, TimeUnit unit) throws InterruptedException {
        if (timeout > 0) {
            Blocking.check(driver, "MqttClient.publish(..., timeout, unit)", "which alone can make room in the queue",
                    "use publish(...) without a timeout (it returns -1 while the queue is full) or publish from"
                    + " another thread");
        }
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
                    made = new Requester(this, driver);
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
     * then DISCONNECT (normal disconnection); waits until the connection is closed (in poll mode: polls meanwhile).
     * Called from a listener or callback, on the thread that drives the connection, it starts the disconnect and
     * returns at once: the DISCONNECT goes out once the listener returns, and the {@link ConnectionListener} hears
     * of the end as usual.
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
        shutdown.disconnect(reasonCode, sessionExpirySeconds);
    }

    /**
     * Disconnects as {@link #disconnect()} does and stops the I/O thread (in poll mode: releases the selector).
     * Idempotent. Called from a listener or callback, on the thread that drives the connection, it starts the
     * shutdown and returns at once: the thread ends, or poll mode's next {@code poll()} throws
     * {@link IllegalStateException}, once the DISCONNECT is sent; a later {@code close()} from another thread waits
     * for that.
     */
    @Override
    public void close() throws MqttException {
        if (started && shutdown.close()) {
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
