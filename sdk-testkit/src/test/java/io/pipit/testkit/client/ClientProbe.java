package io.pipit.testkit.client;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.ConnectionListener;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.client.MqttFuture;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.RecordedPacket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A pipit {@link MqttClient} pointed at a {@link MockBroker}, with listeners that record every event they hear
 * (connects, disconnects with reason codes, publish completions, received messages) and await helpers that fail
 * with everything recorded so far, on the client's side and on the broker's.
 *
 * <p>Defaults suit fault tests: automatic reconnect with a short backoff (20–100 ms), Clean Start off and a
 * Session Expiry of 60 s (so the broker keeps the session across drops), a 3 s connect timeout. Tests change
 * them through the {@code options} hook.
 *
 * <p>Thread-safety: the listeners run on the client's I/O thread, the test reads and waits on its own; all
 * recorded state is guarded by this object's monitor.
 */
final class ClientProbe implements AutoCloseable {
    /** How long the await helpers wait by default: long enough for a loaded CI machine, never for a pass. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One call of {@link ConnectionListener#onDisconnected}. */
    static final class Disconnect {
        final int reasonCode;
        final String detail;
        final boolean reconnecting;
        final long atNs = System.nanoTime();

        Disconnect(int reasonCode, String detail, boolean reconnecting) {
            this.reasonCode = reasonCode;
            this.detail = detail;
            this.reconnecting = reconnecting;
        }

        @Override
        public String toString() {
            return "disconnected(" + hex(reasonCode) + ", '" + detail + "', reconnecting=" + reconnecting + ")";
        }
    }

    /** @return a reason code as {@code 0x8D}, or "network" for -1 */
    static String hex(int reasonCode) {
        return reasonCode < 0 ? "network" : String.format("0x%02X", reasonCode);
    }

    final MqttClient client;
    private final MockBroker broker;
    private final String clientId;
    private final List<Boolean> connects = new ArrayList<>();
    private final List<Disconnect> disconnects = new ArrayList<>();
    private final List<long[]> completions = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    ClientProbe(MockBroker broker, String clientId) {
        this(broker, clientId, b -> { });
    }

    ClientProbe(MockBroker broker, String clientId, Consumer<MqttClientBuilder> options) {
        this(broker, broker.uri(), clientId, options);
    }

    /** A client of {@code broker} reached at {@code serverUri}, e.g. through a {@code ws://} listener. */
    ClientProbe(MockBroker broker, String serverUri, String clientId, Consumer<MqttClientBuilder> options) {
        this.broker = broker;
        this.clientId = clientId;
        MqttClientBuilder builder = MqttClient.builder()
                .server(serverUri)
                .clientId(clientId)
                .connectTimeout(3, TimeUnit.SECONDS)
                .automaticReconnect(true)
                .reconnectDelay(20, 100, TimeUnit.MILLISECONDS)
                .cleanStart(false)
                .sessionExpiry(60, TimeUnit.SECONDS)
                .connectionListener(new Recorder())
                .publishListener(this::completed);
        options.accept(builder);
        this.client = builder.build();
    }

    /** Connects and waits until the broker has recorded the connection too. */
    ClientProbe connect() throws MqttException {
        client.connect();
        broker.awaitConnected(clientId);
        return this;
    }

    /** Publishes a UTF-8 text; @return the sequence number the completions are recorded under */
    long publish(String topic, String payload, QoS qos) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        long sequence = client.publish(Topic.of(topic), bytes, 0, bytes.length, qos);
        if (sequence < 0) {
            throw new AssertionError("the outbound queue refused '" + payload + "'");
        }
        return sequence;
    }

    /** Subscribes, recording each message as {@code topic=payload}; @return the SUBACK future */
    MqttFuture<Integer> subscribe(String filter, QoS qos) {
        return client.subscribe(filter, qos, message -> record(messages,
                message.topic() + "=" + message.payloadAsString()));
    }

    private synchronized void completed(long sequence, int reasonCode) {
        completions.add(new long[] {sequence, reasonCode, System.nanoTime()});
        notifyAll();
    }

    private synchronized <T> void record(List<T> list, T event) {
        list.add(event);
        notifyAll();
    }

    /** @return the reason codes {@code sequence} completed with so far, in order (more than one is a bug) */
    synchronized List<Integer> completionsOf(long sequence) {
        return completions.stream().filter(c -> c[0] == sequence).map(c -> (int) c[1]).collect(Collectors.toList());
    }

    /** @return {@link System#nanoTime()} when {@code sequence} first completed, or -1 */
    synchronized long completedAtNs(long sequence) {
        return completions.stream().filter(c -> c[0] == sequence).mapToLong(c -> c[2]).findFirst().orElse(-1);
    }

    /** @return every completion so far as {@code sequence=code} */
    synchronized List<String> completions() {
        return completions.stream().map(c -> c[0] + "=" + c[1]).collect(Collectors.toList());
    }

    /** @return Session Present of every CONNACK that connected the client, in order */
    synchronized List<Boolean> connects() {
        return new ArrayList<>(connects);
    }

    /** @return every disconnect reported so far, in order */
    synchronized List<Disconnect> disconnects() {
        return new ArrayList<>(disconnects);
    }

    /** @return the messages received so far as {@code topic=payload}, in order */
    synchronized List<String> messages() {
        return new ArrayList<>(messages);
    }

    /** Waits until {@code sequence} completed; @return its reason code */
    int awaitCompleted(long sequence) throws InterruptedException {
        awaitUntil(() -> !completionsOf(sequence).isEmpty(), TIMEOUT, "completion of publish " + sequence);
        return completionsOf(sequence).get(0);
    }

    /** Waits until the client has connected {@code count} times; @return Session Present of the last of them */
    boolean awaitConnects(int count) throws InterruptedException {
        awaitUntil(() -> connects().size() >= count, TIMEOUT, count + " connects");
        return connects().get(count - 1);
    }

    /** Waits until {@code count} disconnects were reported; @return the {@code count}-th */
    Disconnect awaitDisconnects(int count) throws InterruptedException {
        return awaitDisconnects(count, TIMEOUT);
    }

    /** Like {@link #awaitDisconnects(int)} with its own timeout. */
    Disconnect awaitDisconnects(int count, Duration timeout) throws InterruptedException {
        awaitUntil(() -> disconnects().size() >= count, timeout, count + " disconnects");
        return disconnects().get(count - 1);
    }

    /** Waits until {@code count} messages arrived; @return all of them */
    List<String> awaitMessages(int count) throws InterruptedException {
        awaitUntil(() -> messages().size() >= count, TIMEOUT, count + " messages");
        return messages();
    }

    /**
     * Waits until {@code condition} holds, re-checking on each recorded event and every 20 ms (for conditions on
     * the broker's recording).
     *
     * @throws AssertionError on timeout, listing what the client heard and what the broker recorded
     */
    void awaitUntil(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    throw new AssertionError("expected " + what + " within " + timeout.toMillis() + " ms; "
                            + describe() + "\nbroker recorded:\n" + broker.describeRecording());
                }
                wait(Math.min(leftMs, 20));
            }
        }
    }

    /**
     * Watches {@code condition} for {@code window} and fails as soon as it holds: how a test shows that something
     * (a retry, a second completion) does not happen. A bounded wait, never a claim about speed.
     */
    void assertStaysFalse(BooleanSupplier condition, Duration window, String what) throws InterruptedException {
        long deadline = System.nanoTime() + window.toNanos();
        synchronized (this) {
            while (deadline - System.nanoTime() > 0) {
                if (condition.getAsBoolean()) {
                    throw new AssertionError("unexpected: " + what + "; " + describe() + "\nbroker recorded:\n"
                            + broker.describeRecording());
                }
                wait(Math.max(1, Math.min(20, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            }
        }
        if (condition.getAsBoolean()) {
            throw new AssertionError("unexpected: " + what + "; " + describe());
        }
    }

    /** @return the packets of {@code type} the broker received from this client, in order */
    List<RecordedPacket> received(int type) {
        return broker.received(clientId).stream().filter(p -> p.type() == type).collect(Collectors.toList());
    }

    /** @return the packets the broker received from this client that {@code filter} accepts */
    List<RecordedPacket> received(Predicate<RecordedPacket> filter) {
        return broker.received(clientId).stream().filter(filter).collect(Collectors.toList());
    }

    /** @return the payloads of the PUBLISH packets the broker received from this client, in order */
    List<String> publishedPayloads() {
        return received(p -> p.type() == io.pipit.mqtt.codec.PacketType.PUBLISH).stream()
                .map(RecordedPacket::payloadAsString).collect(Collectors.toList());
    }

    /** @return {@link #describe()} and the broker's whole recording, for failure messages */
    String report() {
        return describe() + "\nbroker recorded:\n" + broker.describeRecording();
    }

    synchronized String describe() {
        return "client " + clientId + " heard: connects " + connects + ", " + disconnects + ", completions "
                + completions() + ", messages " + messages;
    }

    @Override
    public void close() throws MqttException {
        client.close();
    }

    /** Records the connection listener's calls. */
    private final class Recorder implements ConnectionListener {
        @Override
        public void onConnected(boolean sessionPresent) {
            record(connects, sessionPresent);
        }

        @Override
        public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
            record(disconnects, new Disconnect(reasonCode, detail, reconnecting));
        }
    }
}
