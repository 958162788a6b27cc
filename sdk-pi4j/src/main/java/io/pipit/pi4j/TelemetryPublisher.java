package io.pipit.pi4j;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one device: samples its sensors on a schedule and publishes each sample on
 * {@code <prefix>/<device>/<sensor>/state}, publishes debounced input changes, drives outputs from their
 * {@code .../set} topics, keeps {@code <prefix>/<device>/availability} right and (optionally) announces it all to
 * Home Assistant. Publishing goes through the client's outbound queue, so readings taken while the broker is
 * away are sent when it is back, as far as the queue holds them; a full queue is counted, never silent.
 *
 * <pre>{@code
 * DeviceTopics topics = DeviceTopics.of("pipit", "garage-pi");
 * MqttClient client = topics.will(MqttClient.builder().server(uri).clientId("garage-pi")).build();
 * client.connect();
 * TelemetryPublisher publisher = TelemetryPublisher.builder(client, topics)
 *         .sensor(Bme280.open(i2c, "bme280", Bme280.Mode.FORCED))
 *         .input(DebouncedInput.of(button, "button")).output(SwitchOutput.of(led, "led"))
 *         .homeAssistant(HomeAssistantDiscovery.of(topics, "Garage Pi", "Raspberry Pi 4"))
 *         .afterShutdown(pi4j::shutdown).build();
 * publisher.start();
 * Runtime.getRuntime().addShutdownHook(publisher.shutdownHook(Duration.ofSeconds(5)));   // SIGTERM
 * }</pre>
 *
 * <p>One thread, {@code pipit-telemetry-<device>}, samples and settles inputs; commands run on the client's I/O
 * thread. Each sampling cycle formats into one reused buffer and allocates nothing (sensor drivers included).
 * Thread-safe: {@link #sampleOnce()} may also be called from another thread, {@link #shutdown} from any.
 */
public final class TelemetryPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryPublisher.class);
    private static final Duration DEFAULT_FLUSH = Duration.ofSeconds(5);

    private final MqttClient client;
    private final DeviceTopics topics;
    private final Sensor[] sensors;
    private final double[][] values;
    private final StateMessage[] readings;
    private final List<DebouncedInput> inputs;
    private final List<CommandedOutput> outputs;
    private final PayloadFormatter formatter;
    private final byte[] payload;
    private final TelemetryPublisherBuilder settings;
    private final LongSupplier clock;
    private final ScheduledExecutorService scheduler;
    private long sampleCount;
    private long failedSampleCount;
    private boolean started;
    private boolean stopped;

    TelemetryPublisher(TelemetryPublisherBuilder builder) {
        this.settings = builder;
        this.client = builder.client;
        this.topics = builder.topics;
        this.sensors = builder.sensors.toArray(new Sensor[0]);
        this.values = new double[sensors.length][];
        this.readings = new StateMessage[sensors.length];
        for (int i = 0; i < sensors.length; i++) {
            values[i] = new double[sensors[i].channels().size()];
            readings[i] = new StateMessage(client, topics.stateTopic(sensors[i].id()), builder.qos,
                    builder.retainReadings, 0);
        }
        this.inputs = List.copyOf(builder.inputs);
        this.outputs = List.copyOf(builder.outputs);
        this.formatter = builder.formatter;
        this.payload = new byte[builder.payloadCapacity];
        this.clock = builder.nanoClock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pipit-telemetry-" + topics.device());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @return a builder for a device publishing through {@code client} (connect it first) */
    public static TelemetryPublisherBuilder builder(MqttClient client, DeviceTopics topics) {
        return new TelemetryPublisherBuilder(client, topics);
    }

    /**
     * Subscribes the outputs' command topics (waiting for each SUBACK), publishes the Home Assistant configs,
     * {@code online}, and the first state of every input and output, then starts sampling. Call once, after
     * {@code client.connect()}.
     *
     * @throws MqttException when the server refuses a command subscription or does not answer in time
     */
    public synchronized void start() throws MqttException {
        if (started) {
            throw new IllegalStateException("the publisher of " + topics + " was already started");
        }
        started = true;
        for (CommandedOutput output : outputs) {
            output.attach(client, topics, settings.qos);
            subscribe(output);
        }
        if (settings.discovery != null) {
            new DiscoveryAnnouncer(settings.discovery, client).announce(sensors, inputs, outputs);
        }
        publishAvailability(DeviceTopics.ONLINE);
        for (DebouncedInput input : inputs) {
            input.attach(client, topics, settings.qos, clock);
        }
        long periodNs = settings.samplePeriod.toNanos();
        if (sensors.length > 0) {
            scheduler.scheduleAtFixedRate(this::sampleLogged, 0, periodNs, TimeUnit.NANOSECONDS);
        }
        if (!inputs.isEmpty()) {
            long pollNs = settings.inputPollPeriod.toNanos();
            scheduler.scheduleWithFixedDelay(this::pollInputsLogged, pollNs, pollNs, TimeUnit.NANOSECONDS);
        }
        LOG.info("{}: publishing {} sensor(s) every {}, {} input(s), {} output(s)", topics, sensors.length,
                settings.samplePeriod, inputs.size(), outputs.size());
    }

    /**
     * Samples every sensor once, formats each sample into the reused buffer and publishes it. Allocation-free
     * unless a sensor fails (then it is counted and logged, and the other sensors still publish).
     *
     * @return the number of readings the client's queue took
     */
    public synchronized int sampleOnce() {
        int published = 0;
        for (int i = 0; i < sensors.length; i++) {
            try {
                sensors[i].sample(values[i]);
            } catch (IOException | RuntimeException e) { // RuntimeException: Pi4J's unchecked I/O errors
                failedSampleCount++;
                LOG.warn("{}: sampling {} failed ({} failures so far)", topics, sensors[i], failedSampleCount, e);
                continue;
            }
            int length = formatter.format(sensors[i], values[i], payload, 0);
            if (length < 0) {
                failedSampleCount++;
                LOG.warn("{}: the payload of {} does not fit in {} bytes; raise payloadCapacity", topics, sensors[i],
                        payload.length);
            } else if (readings[i].publish(payload, length)) {
                published++;
            }
        }
        sampleCount++;
        return published;
    }

    /** Settles input edges as of {@code nowNs}; @return changes published. Sampling thread (or a test). */
    int pollInputs(long nowNs) {
        int changes = 0;
        for (DebouncedInput input : inputs) {
            changes += input.poll(nowNs);
        }
        return changes;
    }

    /** @return sampling cycles run */
    public synchronized long sampleCount() {
        return sampleCount;
    }

    /** @return sensor samples that failed (device error, or a payload over the buffer) */
    public synchronized long failedSampleCount() {
        return failedSampleCount;
    }

    /** @return readings the client's queue refused because it was full */
    public long refusedCount() {
        long refused = 0;
        for (StateMessage reading : readings) {
            refused += reading.refusedCount();
        }
        return refused;
    }

    /**
     * Stops the device cleanly, in this order: stops sampling and input polling, switches outputs off (their
     * state published), waits up to {@code flushBound} for the client's queue to empty, publishes
     * {@code offline} (retained), closes the client (a normal DISCONNECT, so the Will is not needed) and runs
     * the {@code afterShutdown} action (releasing GPIO). Idempotent; safe from a shutdown hook.
     *
     * @return true when the queue emptied within the bound; false means some publishes were still queued
     *     (their number is logged) when the client was closed
     */
    public boolean shutdown(Duration flushBound) {
        boolean wasStarted;
        synchronized (this) {
            if (stopped) {
                return true;
            }
            stopped = true;
            wasStarted = started;
        }
        long deadline = System.nanoTime() + flushBound.toNanos();
        scheduler.shutdown();
        boolean flushed = awaitQuietly(deadline);
        if (wasStarted) { // unstarted components have no topics to report on and no listener to remove
            outputs.forEach(CommandedOutput::release);
            inputs.forEach(DebouncedInput::detach);
        }
        while (client.queuedCount() > 0 && System.nanoTime() - deadline < 0) {
            sleepQuietly();
        }
        if (client.queuedCount() > 0) {
            flushed = false;
            LOG.warn("{}: {} publish(es) still queued after {}; closing anyway", topics, client.queuedCount(),
                    flushBound);
        }
        publishAvailability(DeviceTopics.OFFLINE);
        try {
            client.close();
        } catch (MqttException e) {
            flushed = false;
            LOG.warn("{}: closing the client failed", topics, e);
        }
        settings.afterShutdown.run();
        return flushed;
    }

    /** {@link #shutdown(Duration)} with a 5 s flush bound. */
    @Override
    public void close() {
        shutdown(DEFAULT_FLUSH);
    }

    /** @return an unstarted thread running {@link #shutdown(Duration)}, for {@code Runtime.addShutdownHook} */
    public Thread shutdownHook(Duration flushBound) {
        return new Thread(() -> shutdown(flushBound), "pipit-telemetry-shutdown-" + topics.device());
    }

    private void subscribe(CommandedOutput output) throws MqttException {
        String filter = topics.command(output.id());
        try {
            int code = client.subscribe(filter, QoS.AT_LEAST_ONCE, output)
                    .get(settings.subscribeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (code >= 0x80) {
                throw new MqttException(code, "the server refused the subscription to " + filter);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException("interrupted while subscribing to " + filter, e);
        }
    }

    private void publishAvailability(String state) {
        byte[] bytes = state.getBytes(StandardCharsets.US_ASCII);
        if (client.publish(Topic.of(topics.availability()), bytes, 0, bytes.length, QoS.AT_LEAST_ONCE, true) < 0) {
            LOG.warn("{}: the client's queue is full; '{}' not published", topics, state);
        }
    }

    private void sampleLogged() {
        try {
            sampleOnce();
        } catch (RuntimeException e) { // a formatter's bug must not end the schedule silently
            LOG.error("{}: sampling cycle failed", topics, e);
        }
    }

    private void pollInputsLogged() {
        try {
            pollInputs(clock.getAsLong());
        } catch (RuntimeException e) {
            LOG.error("{}: settling inputs failed", topics, e);
        }
    }

    private boolean awaitQuietly(long deadline) {
        try {
            return scheduler.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutdown goes on: the flush wait simply ends
        }
    }
}
