package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.ConnectionListener;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.client.MqttFuture;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.driver.EventLoop;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import io.pipit.testkit.RecordedPacket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Calls made from a listener, which runs on the thread that drives the client's connection (its own I/O thread, a
 * shared event loop's thread, or the application's thread inside {@code poll}). A call that would wait for that
 * connection (a future's {@code get}, {@code connect()}, the publish with a timeout) can only time out there, since
 * the waiting thread is the one that would have to do the work: it fails at once with an
 * {@link IllegalStateException} that says so, and the client goes on serving (later messages arrive, keepalive is
 * answered). {@code disconnect()} and {@code close()} start the shutdown and return; it completes once the listener
 * returns, DISCONNECT included. Outcomes are awaited with generous deadlines; nothing here measures time.
 */
@MockBrokerTest
final class CallbackBlockingTest {
    /** How long a test waits for an outcome: a failure bound for a loaded machine, never a claim about speed. */
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String LOOP_THREAD = "pipit-loop-callbacks";

    /** The three ways to drive a client. */
    enum Drive {
        OWN_THREAD("on the I/O thread"),
        EVENT_LOOP("on the event loop thread"),
        POLL("inside poll() on thread");

        final String role;

        Drive(String role) {
            this.role = role;
        }
    }

    @ParameterizedTest(name = "{0}().get() on {1}")
    @CsvSource({"subscribe, OWN_THREAD", "unsubscribe, OWN_THREAD", "subscribe, EVENT_LOOP",
        "unsubscribe, EVENT_LOOP", "subscribe, POLL", "unsubscribe, POLL"})
    void shouldRefuseToWaitForASubscriptionChangeInAMessageListenerAndGoOnServing(String call, Drive drive,
            MockBroker broker) throws Exception {
        String id = "cb-" + call + "-" + drive;
        try (Rig rig = new Rig(drive)) {
            ClientProbe c = rig.probe(broker, id, b -> b.keepAlive(2, TimeUnit.SECONDS));
            MqttClient client = c.client;
            rig.get(client.subscribe("cmd/" + id + "/gone", QoS.AT_LEAST_ONCE, m -> { }));
            AtomicReference<MqttFuture<Integer>> requested = new AtomicReference<>();
            rig.get(client.subscribe("cmd/" + id, QoS.AT_LEAST_ONCE, rig.onGo(() -> {
                MqttFuture<Integer> future = call.equals("subscribe")
                        ? client.subscribe("other/" + id, QoS.AT_LEAST_ONCE, m -> { })
                        : client.unsubscribe("cmd/" + id + "/gone");
                requested.set(future);
                return future.get(5, TimeUnit.SECONDS);
            })));

            broker.publish("cmd/" + id, "go", 1, false);
            Object outcome = rig.awaitOutcome(1);
            assertRefused(outcome, "MqttFuture.get() called " + drive.role + " " + rig.drivingThread(id)
                    + ", which alone can complete it: use whenComplete(...) or call get() from another thread");

            rig.await(() -> requested.get().isDone(), "the " + call + " requested in the listener completes");
            assertEquals(call.equals("subscribe") ? 1 : ReasonCode.SUCCESS, requested.get().get(0, TimeUnit.SECONDS),
                    "the request itself went out and was acknowledged");
            broker.publish("cmd/" + id, "after", 1, false);
            rig.await(() -> rig.messages().contains("after"), "a later message");
            long answered = client.health().pingsAnswered();
            rig.await(() -> client.health().pingsAnswered() > answered, "a keepalive ping answered afterwards");
            assertTrue(client.isConnected());
            assertEquals(List.of(), c.disconnects(), "the connection never dropped");
        }
    }

    @Test
    void shouldRefuseToWaitForAnotherClientOnTheSameEventLoop(MockBroker broker) throws Exception {
        try (Rig rig = new Rig(Drive.EVENT_LOOP)) {
            ClientProbe a = rig.probe(broker, "cb-loop-a", b -> { });
            ClientProbe other = rig.probe(broker, "cb-loop-b", b -> { });
            AtomicReference<MqttFuture<Integer>> requested = new AtomicReference<>();
            rig.get(a.client.subscribe("cmd/a", QoS.AT_LEAST_ONCE, rig.onGo(() -> {
                requested.set(other.client.subscribe("cmd/b", QoS.AT_LEAST_ONCE, m -> { }));
                return requested.get().get(5, TimeUnit.SECONDS);
            })));

            broker.publish("cmd/a", "go", 1, false);
            assertRefused(rig.awaitOutcome(1), "MqttFuture.get() called on the event loop thread " + LOOP_THREAD
                    + ", which alone can complete it: use whenComplete(...) or call get() from another thread");
            rig.await(() -> requested.get().isDone(), "the other client's subscribe completes");
            assertEquals(1, requested.get().get(0, TimeUnit.SECONDS));
            broker.publish("cmd/a", "after", 1, false);
            rig.await(() -> rig.messages().contains("after"), "a later message");
            assertEquals(List.of(), a.disconnects());
            assertEquals(List.of(), other.disconnects());
        }
    }

    @ParameterizedTest
    @EnumSource(Drive.class)
    void shouldRefuseABlockingConnectInAConnectionListenerWhileConnectAsyncReconnects(Drive drive, MockBroker broker)
            throws Exception {
        String id = "cb-connect-" + drive;
        try (Rig rig = new Rig(drive)) {
            AtomicReference<MqttClient> client = new AtomicReference<>();
            AtomicReference<MqttFuture<Void>> reconnect = new AtomicReference<>();
            ConnectionListener listener = new ConnectionListener() {
                @Override
                public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                    if (reconnect.get() == null) {
                        Object outcome = attempt(() -> {
                            client.get().connect();
                            return null;
                        });
                        reconnect.set(client.get().connectAsync());
                        rig.record(outcome);
                    }
                }
            };
            ClientProbe c = rig.probe(broker, id, b -> b.automaticReconnect(false).connectionListener(listener));
            client.set(c.client);

            broker.drop(id);
            assertRefused(rig.awaitOutcome(1), "MqttClient.connect() called " + drive.role + " "
                    + rig.drivingThread(id) + ", which alone can connect: use connectAsync() (whenComplete(...) hears"
                    + " the outcome) or call connect() from another thread");
            rig.await(() -> reconnect.get().isDone(), "the reconnect started with connectAsync()");
            assertNull(reconnect.get().get(0, TimeUnit.SECONDS));
            assertTrue(c.client.isConnected());
            assertEquals(2, broker.await(p -> p.direction() == RecordedPacket.Direction.RECEIVED
                    && p.clientId().equals(id) && p.type() == PacketType.CONNECT, 2, DEADLINE, "two CONNECTs").size());
        }
    }

    @ParameterizedTest
    @EnumSource(Drive.class)
    void shouldRefuseTheWaitingPublishInAMessageListenerButTakeTheOneThatReturns(Drive drive, MockBroker broker)
            throws Exception {
        String id = "cb-publish-" + drive;
        try (Rig rig = new Rig(drive)) {
            MqttClient client = rig.probe(broker, id, b -> { }).client;
            byte[] payload = "echo".getBytes(StandardCharsets.UTF_8);
            Topic echo = Topic.of("echo/" + id);
            AtomicReference<Long> sequence = new AtomicReference<>();
            rig.get(client.subscribe("cmd/" + id, QoS.AT_LEAST_ONCE, rig.onGo(() -> {
                try {
                    return client.publish(echo, payload, 0, payload.length, QoS.AT_LEAST_ONCE, false, null, 5,
                            TimeUnit.SECONDS);
                } finally {
                    sequence.set(client.publish(echo, payload, 0, payload.length, QoS.AT_LEAST_ONCE));
                }
            })));

            broker.publish("cmd/" + id, "go", 1, false);
            assertRefused(rig.awaitOutcome(1), "MqttClient.publish(..., timeout, unit) called " + drive.role + " "
                    + rig.drivingThread(id) + ", which alone can make room in the queue: use publish(...) without a"
                    + " timeout (it returns -1 while the queue is full) or publish from another thread");
            assertTrue(sequence.get() >= 0, "the publish without a timeout was queued");
            rig.await(() -> broker.received(id).stream().anyMatch(p -> p.type() == PacketType.PUBLISH),
                    "the echo at the broker");
            assertEquals(1, broker.received(id).stream().filter(p -> p.type() == PacketType.PUBLISH).count(),
                    "only the publish that returns at once was sent");
        }
    }

    @ParameterizedTest
    @EnumSource(Drive.class)
    void shouldDisconnectFromAMessageListenerOnceItReturns(Drive drive, MockBroker broker) throws Exception {
        String id = "cb-disconnect-" + drive;
        try (Rig rig = new Rig(drive)) {
            ClientProbe c = rig.probe(broker, id, b -> { });
            rig.get(c.client.subscribe("cmd/" + id, QoS.AT_LEAST_ONCE, rig.onGo(() -> {
                c.client.disconnect();
                return "disconnect() returned";
            })));

            broker.publish("cmd/" + id, "go", 1, false);
            assertEquals("returned disconnect() returned", rig.awaitOutcome(1));
            rig.await(() -> !c.disconnects().isEmpty(), "the end of the connection reported");
            ClientProbe.Disconnect end = c.disconnects().get(0);
            assertEquals(ReasonCode.SUCCESS, end.reasonCode, end.toString());
            assertFalse(end.reconnecting, "our own disconnect is not followed by a reconnect: " + end);
            assertFalse(c.client.isConnected());
            assertEquals(ReasonCode.NORMAL_DISCONNECTION, awaitDisconnect(broker, id).reasonCode());
            broker.awaitDisconnected(id);
        }
    }

    @ParameterizedTest
    @EnumSource(Drive.class)
    void shouldCloseFromAMessageListenerOnceItReturns(Drive drive, MockBroker broker) throws Exception {
        String id = "cb-close-" + drive;
        try (Rig rig = new Rig(drive)) {
            ClientProbe c = rig.probe(broker, id, b -> { });
            AtomicReference<Thread> driving = new AtomicReference<>();
            rig.get(c.client.subscribe("cmd/" + id, QoS.AT_LEAST_ONCE, rig.onGo(() -> {
                driving.set(Thread.currentThread());
                c.client.close();
                return "close() returned";
            })));

            broker.publish("cmd/" + id, "go", 1, false);
            if (drive == Drive.POLL) {
                IllegalStateException closed = rig.pollUntilClosed(c.client);
                assertEquals("MqttClient.poll() called after the client was closed", closed.getMessage());
            }
            assertEquals("returned close() returned", rig.awaitOutcome(1));
            rig.await(() -> !c.disconnects().isEmpty(), "the end of the connection reported");
            assertEquals(ReasonCode.SUCCESS, c.disconnects().get(0).reasonCode, c.disconnects().toString());
            assertFalse(c.client.isConnected());
            assertEquals(ReasonCode.NORMAL_DISCONNECTION, awaitDisconnect(broker, id).reasonCode());
            if (drive == Drive.OWN_THREAD) {
                rig.await(() -> !driving.get().isAlive(), "the end of the I/O thread " + driving.get().getName());
            } else if (drive == Drive.EVENT_LOOP) {
                rig.await(() -> rig.loop.clientCount() == 0, "the client's removal from the event loop");
                assertTrue(driving.get().isAlive(), "the event loop itself goes on");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Drive.class)
    void shouldHearASubscribeMadeInAMessageListenerThroughWhenComplete(Drive drive, MockBroker broker)
            throws Exception {
        String id = "cb-when-" + drive;
        try (Rig rig = new Rig(drive)) {
            MqttClient client = rig.probe(broker, id, b -> { }).client;
            rig.get(client.subscribe("cmd/" + id, QoS.AT_LEAST_ONCE, rig.onGo(() -> {
                client.subscribe("more/" + id, QoS.EXACTLY_ONCE, m -> { }).whenComplete((granted, failure) ->
                        rig.record(granted + " " + failure + " on " + Thread.currentThread().getName()));
                return "subscribed";
            })));

            broker.publish("cmd/" + id, "go", 1, false);
            assertEquals("returned subscribed", rig.awaitOutcome(1));
            assertEquals("2 null on " + rig.drivingThread(id), rig.awaitOutcome(2),
                    "granted QoS 2, heard on the thread that drives the client");
        }
    }

    private static void assertRefused(Object outcome, String message) {
        IllegalStateException refused = assertInstanceOf(IllegalStateException.class, outcome,
                () -> "expected an IllegalStateException, got " + describe(outcome));
        assertEquals(message, refused.getMessage());
    }

    private static RecordedPacket awaitDisconnect(MockBroker broker, String clientId) {
        return broker.await(p -> p.direction() == RecordedPacket.Direction.RECEIVED && p.clientId().equals(clientId)
                && p.type() == PacketType.DISCONNECT, 1, DEADLINE, "DISCONNECT from " + clientId).get(0);
    }

    /** @return what {@code call} returned as {@code "returned <value>"}, or what it threw */
    private static Object attempt(Callable<?> call) {
        try {
            return "returned " + call.call();
        } catch (Exception | AssertionError e) {
            return e;
        }
    }

    private static String describe(Object outcome) {
        if (outcome instanceof Throwable) {
            Throwable t = (Throwable) outcome;
            return t.getClass().getName() + ": " + t.getMessage();
        }
        return String.valueOf(outcome);
    }

    /**
     * The clients of one test, driven one way, and what their listeners recorded (guarded by this object's monitor).
     * In poll mode the test thread is the driving thread: it polls while it waits.
     */
    private static final class Rig implements AutoCloseable {
        final Drive drive;
        final EventLoop loop;
        private final List<ClientProbe> probes = new ArrayList<>();
        private final List<Object> outcomes = new ArrayList<>();
        private final List<String> messages = new ArrayList<>();

        Rig(Drive drive) throws IOException {
            this.drive = drive;
            this.loop = drive == Drive.EVENT_LOOP ? new EventLoop(LOOP_THREAD) : null;
        }

        /** A connected client of {@code broker}, driven this rig's way. */
        ClientProbe probe(MockBroker broker, String clientId, Consumer<MqttClientBuilder> options)
                throws MqttException {
            ClientProbe probe = new ClientProbe(broker, clientId, b -> {
                options.accept(b);
                if (drive == Drive.EVENT_LOOP) {
                    b.eventLoop(loop);
                } else if (drive == Drive.POLL) {
                    b.pollMode();
                }
            });
            probes.add(probe);
            return probe.connect(); // polls while it waits in poll mode
        }

        /** @return the name of the thread that drives {@code clientId}'s connection */
        String drivingThread(String clientId) {
            switch (drive) {
                case OWN_THREAD: return "pipit-io-" + clientId;
                case EVENT_LOOP: return LOOP_THREAD;
                default: return Thread.currentThread().getName(); // the test thread polls
            }
        }

        /** A listener that records the outcome of {@code call} on a "go" message, and every other payload. */
        MessageListener onGo(Callable<?> call) {
            return message -> {
                String payload = message.payloadAsString();
                if (payload.equals("go")) {
                    record(attempt(call));
                } else {
                    synchronized (this) {
                        messages.add(payload);
                        notifyAll();
                    }
                }
            };
        }

        synchronized void record(Object outcome) {
            outcomes.add(outcome);
            notifyAll();
        }

        synchronized List<String> messages() {
            return new ArrayList<>(messages);
        }

        synchronized List<Object> outcomes() {
            return new ArrayList<>(outcomes);
        }

        /** @return the {@code count}-th outcome recorded, once there is one */
        Object awaitOutcome(int count) throws InterruptedException {
            await(() -> outcomes().size() >= count, count + " outcomes");
            return outcomes().get(count - 1);
        }

        /** @return the future's result, once it is done */
        <T> T get(MqttFuture<T> future) throws Exception {
            await(future::isDone, "a request's acknowledgement");
            return future.get(0, TimeUnit.SECONDS);
        }

        /** Waits until {@code condition} holds, polling the clients meanwhile in poll mode. */
        void await(BooleanSupplier condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!condition.getAsBoolean()) {
                if (deadline - System.nanoTime() <= 0) {
                    throw new AssertionError("expected " + what + " within " + DEADLINE.toMillis() + " ms; "
                            + report());
                }
                if (drive == Drive.POLL) {
                    for (ClientProbe probe : probes) {
                        probe.client.poll(10, TimeUnit.MILLISECONDS);
                    }
                } else {
                    synchronized (this) {
                        wait(20); // recorded events wake it; other conditions are re-checked each 20 ms
                    }
                }
            }
        }

        /** Poll mode: polls {@code client} until it says it is closed; @return what it said */
        IllegalStateException pollUntilClosed(MqttClient client) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (deadline - System.nanoTime() > 0) {
                try {
                    client.poll(10, TimeUnit.MILLISECONDS);
                } catch (IllegalStateException e) {
                    return e;
                }
            }
            throw new AssertionError("the client was not closed within " + DEADLINE.toMillis() + " ms; " + report());
        }

        /** @return what the listeners recorded and what the first client and the broker saw, for failures */
        String report() {
            return "outcomes " + outcomes().stream().map(CallbackBlockingTest::describe).collect(Collectors.toList())
                    + ", messages " + messages() + (probes.isEmpty() ? "" : "; " + probes.get(0).report());
        }

        @Override
        public void close() throws MqttException {
            for (ClientProbe probe : probes) {
                probe.close();
            }
            if (loop != null) {
                loop.close();
            }
        }
    }
}
