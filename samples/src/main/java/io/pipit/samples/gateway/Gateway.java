package io.pipit.samples.gateway;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.ConnectionListener;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.samples.cli.ExitCodes;
import io.pipit.testkit.MockBroker;
import java.io.Console;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The main job: a Java SE telemetry gateway publishing simulated sensor readings through pipit, with a
 * subscriber that checks every one arrives. Without {@code --broker} it runs against an embedded broker, so
 * it works on any machine with a JDK. Prints a status line while it runs (updated in place on a terminal) and
 * a summary at the end. Run by {@link GatewayCommand} on the main thread; listeners count on the I/O threads.
 */
public final class Gateway {
    private final GatewayCommand options;
    private final GatewayQueue queue;
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong refusedByServer = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile String connection = "connecting";
    /** stdout is a terminal: the status line is redrawn in place, else each is a line of its own. */
    private final boolean terminal = onTerminal();

    Gateway(GatewayCommand options, GatewayQueue queue) {
        this.options = options;
        this.queue = queue;
    }

    /** @return the exit code: 0, or 1 when readings were lost at QoS 1/2 */
    int run() throws MqttException, InterruptedException {
        MockBroker embedded = options.brokers.isEmpty() ? MockBroker.start() : null;
        try {
            if (embedded != null) {
                options.brokers.add(embedded.uri());
                System.out.println("embedded broker at " + embedded.uri());
            }
            if (queue.describe() != null) {
                System.out.println(queue.describe());
            }
            return publishAndVerify();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private MqttClientBuilder client(String id) {
        MqttClientBuilder builder = MqttClient.builder().clientId(id).automaticReconnect(true)
                .keepAlive(30, TimeUnit.SECONDS).connectTimeout(5, TimeUnit.SECONDS);
        for (String broker : options.brokers) {
            builder.server(broker);
        }
        options.tls.applyTo(builder);
        return builder;
    }

    private MqttClientBuilder publisher() {
        MqttClientBuilder builder = client(options.clientId);
        queue.applyTo(builder);
        return builder;
    }

    private int publishAndVerify() throws MqttException, InterruptedException {
        int perSensor = (int) Math.min(Integer.MAX_VALUE - 8, options.ratePerSensor * (options.durationMs / 1000 + 2));
        Verifier verifier = new Verifier(options.sensors, perSensor);
        String prefix = "tele/" + options.clientId + "/sensor-";
        try (MqttClient subscriber = client(options.clientId + "-verifier").build();
                MqttClient publisher = publisher().publishListener((seq, code) -> {
                    if (ReasonCode.isError(code)) {
                        refusedByServer.incrementAndGet();
                    } else {
                        confirmed.incrementAndGet();
                    }
                }).connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(boolean sessionPresent) {
                        connection = "connected";
                    }

                    @Override
                    public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                        connection = reconnecting ? "reconnecting" : "disconnected";
                        reconnects.incrementAndGet();
                    }
                }).build()) {
            subscriber.connect();
            subscriber.subscribe("tele/" + options.clientId + "/+", options.qos, verifier).get(5, TimeUnit.SECONDS);
            publisher.connect();
            Topic[] topics = new Topic[options.sensors];
            for (int i = 0; i < topics.length; i++) {
                topics[i] = Topic.of(prefix + i);
            }
            Run run = new Run(publisher, topics, new SensorField(options.sensors));
            run.publish(options.durationMs, options.ratePerSensor, options.qos, this::status, verifier);
            awaitSettled(run, verifier);
            return summary(run, verifier);
        }
    }

    private void awaitSettled(Run run, Verifier verifier) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while ((verifier.received() < run.published || (options.qos != QoS.AT_MOST_ONCE
                && confirmed.get() + refusedByServer.get() < run.published)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private void status(long elapsedMs, long published, long rate, Verifier verifier, int queued, long dropped) {
        // Locale.ROOT here and below: ASCII digits and a decimal point on every machine, for the scripts that read it
        String line = String.format(Locale.ROOT, "%5.1f s  %-12s %8d msg/s  published %d  delivered %d  queued %d"
                + "  dropped %d  reconnects %d", elapsedMs / 1000.0, connection, rate, published, verifier.received(),
                queued, dropped, reconnects.get());
        if (terminal) {
            System.out.print("\r" + line);
        } else {
            System.out.println(line);
        }
    }

    private int summary(Run run, Verifier verifier) {
        long lost = run.published - verifier.received();
        double seconds = run.elapsedNs / 1e9;
        System.out.println(terminal ? "\n" : "");
        System.out.println("summary");
        System.out.printf(Locale.ROOT, "  sensors %d at %d readings/s each, QoS %d, %.1f s%n", options.sensors,
                options.ratePerSensor, options.qos.value(), seconds);
        System.out.printf(Locale.ROOT, "  published %d, confirmed by the broker %d, refused %d, not queued (queue full)"
                + " %d%n", run.published, confirmed.get(), refusedByServer.get(), run.queueFull);
        System.out.printf(Locale.ROOT, "  delivered to the verifier %d, duplicates %d, lost %d%n", verifier.received(),
                verifier.duplicates(), lost);
        System.out.printf(Locale.ROOT, "  throughput %.0f msg/s; after the first second, %.2f bytes allocated per"
                + " message on the publishing thread (its status line included)%n", run.published / seconds,
                run.bytesAllocated / (double) Math.max(1, run.measuredMessages));
        return lost == 0 || options.qos == QoS.AT_MOST_ONCE ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /**
     * JDK 22 to 24 give a {@link Console} also when stdout is redirected to a file or pipe, so only
     * {@code Console.isTerminal()} (JDK 22, called by reflection as the jar targets 17) tells; before 22, a console
     * at all means a terminal.
     */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true;
        }
    }

    /** Callback for the once-a-second status line. */
    interface Status {
        void show(long elapsedMs, long published, long rate, Verifier verifier, int queued, long dropped);
    }

    /** The publishing loop and what it counted. */
    private static final class Run {
        private final MqttClient publisher;
        private final Topic[] topics;
        private final SensorField sensors;
        private final byte[] payload = new byte[64];
        long published;
        long queueFull;
        long elapsedNs;
        long bytesAllocated;
        long measuredMessages;

        Run(MqttClient publisher, Topic[] topics, SensorField sensors) {
            this.publisher = publisher;
            this.topics = topics;
            this.sensors = sensors;
        }

        void publish(long durationMs, int rate, QoS qos, Status status, Verifier verifier) {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().getId();
            long allocatedBefore = -1;
            long publishedBefore = 0;
            long start = System.nanoTime();
            long tickNs = 1_000_000_000L / rate;
            long nextTick = start;
            long nextStatus = start + 1_000_000_000L;
            long publishedAtStatus = 0;
            while (System.nanoTime() - start < durationMs * 1_000_000L) {
                for (int i = 0; i < topics.length; i++) {
                    int length = sensors.next(i, payload);
                    if (publisher.publish(topics[i], payload, 0, length, qos) >= 0) {
                        published++;
                    } else {
                        queueFull++; // counted and reported; this demo does not retry
                    }
                }
                nextTick += tickNs;
                long now = System.nanoTime();
                if (now - nextStatus >= 0) {
                    if (allocatedBefore < 0) { // the first second warms up: class loading, JIT
                        allocatedBefore = threads.getThreadAllocatedBytes(thread);
                        publishedBefore = published;
                    }
                    status.show((now - start) / 1_000_000, published, published - publishedAtStatus, verifier,
                            publisher.queuedCount(), queueFull);
                    publishedAtStatus = published;
                    nextStatus += 1_000_000_000L;
                }
                long wait = nextTick - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            elapsedNs = System.nanoTime() - start;
            if (allocatedBefore >= 0) {
                bytesAllocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
                measuredMessages = published - publishedBefore;
            }
        }
    }
}
