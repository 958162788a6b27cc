package io.pipit.pi4j;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Configures a {@link TelemetryPublisher}. Not thread-safe: build on one thread, then share the publisher.
 */
public final class TelemetryPublisherBuilder {
    final MqttClient client;
    final DeviceTopics topics;
    final List<Sensor> sensors = new ArrayList<>();
    final List<DebouncedInput> inputs = new ArrayList<>();
    final List<CommandedOutput> outputs = new ArrayList<>();
    final List<String> ids = new ArrayList<>();
    Duration samplePeriod = Duration.ofSeconds(10);
    Duration inputPollPeriod = Duration.ofMillis(5);
    Duration subscribeTimeout = Duration.ofSeconds(10);
    QoS qos = QoS.AT_LEAST_ONCE;
    boolean retainReadings = true;
    PayloadFormatter formatter = new JsonFormatter();
    int payloadCapacity = 512;
    HomeAssistantDiscovery discovery;
    Runnable afterShutdown = () -> { };
    LongSupplier nanoClock = System::nanoTime;

    TelemetryPublisherBuilder(MqttClient client, DeviceTopics topics) {
        this.client = client;
        this.topics = topics;
    }

    /** Adds a sensor, sampled every period and published on {@code .../<sensor id>/state}. */
    public TelemetryPublisherBuilder sensor(Sensor sensor) {
        claim(sensor.id());
        sensors.add(sensor);
        return this;
    }

    /** Adds a debounced input (button, PIR, reed switch). */
    public TelemetryPublisherBuilder input(DebouncedInput input) {
        claim(input.id());
        inputs.add(input);
        return this;
    }

    /** Adds a switched output (LED, relay) commanded on {@code .../<id>/set}. */
    public TelemetryPublisherBuilder output(SwitchOutput output) {
        return commanded(output);
    }

    /** Adds a PWM output (dimmer, buzzer) commanded on {@code .../<id>/set}. */
    public TelemetryPublisherBuilder output(PwmOutput output) {
        return commanded(output);
    }

    /** How often sensors are sampled (default 10 s). */
    public TelemetryPublisherBuilder sampleEvery(Duration period) {
        this.samplePeriod = positive(period, "sample period");
        return this;
    }

    /** How often pending input edges are settled (default 5 ms; keep it well under the debounce time). */
    public TelemetryPublisherBuilder inputPollEvery(Duration period) {
        this.inputPollPeriod = positive(period, "input poll period");
        return this;
    }

    /** QoS of everything the device publishes (default 1). */
    public TelemetryPublisherBuilder qos(QoS level) {
        this.qos = level;
        return this;
    }

    /** Retain sensor readings, so a new subscriber sees the last one at once (default true). */
    public TelemetryPublisherBuilder retainReadings(boolean retain) {
        this.retainReadings = retain;
        return this;
    }

    /** How samples become payloads (default {@link JsonFormatter}). */
    public TelemetryPublisherBuilder formatter(PayloadFormatter payloadFormatter) {
        this.formatter = payloadFormatter;
        return this;
    }

    /** The reused payload buffer's size in bytes (default 512): the largest payload one sample may take. */
    public TelemetryPublisherBuilder payloadCapacity(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("payload capacity must be at least 2 bytes: " + bytes);
        }
        this.payloadCapacity = bytes;
        return this;
    }

    /** Announce every entity to Home Assistant at start (default: no discovery messages). */
    public TelemetryPublisherBuilder homeAssistant(HomeAssistantDiscovery homeAssistantDiscovery) {
        this.discovery = homeAssistantDiscovery;
        return this;
    }

    /** How long {@code start} waits for each command subscription's SUBACK (default 10 s). */
    public TelemetryPublisherBuilder subscribeTimeout(Duration timeout) {
        this.subscribeTimeout = positive(timeout, "subscribe timeout");
        return this;
    }

    /** Runs last in shutdown, e.g. {@code pi4j::shutdown} to release every GPIO line and bus. */
    public TelemetryPublisherBuilder afterShutdown(Runnable action) {
        this.afterShutdown = action;
        return this;
    }

    /** The time source for debouncing; tests set a virtual one. */
    TelemetryPublisherBuilder nanoClock(LongSupplier clock) {
        this.nanoClock = clock;
        return this;
    }

    /** @return the publisher, not yet started */
    public TelemetryPublisher build() {
        if (sensors.isEmpty() && inputs.isEmpty() && outputs.isEmpty()) {
            throw new IllegalStateException("give the publisher at least one sensor, input or output");
        }
        return new TelemetryPublisher(this);
    }

    private TelemetryPublisherBuilder commanded(CommandedOutput output) {
        claim(output.id());
        outputs.add(output);
        return this;
    }

    private void claim(String id) {
        if (ids.contains(id)) {
            throw new IllegalArgumentException("two components of device '" + topics.device() + "' use the id '"
                    + id + "': each needs its own topics");
        }
        ids.add(id);
    }

    private static Duration positive(Duration duration, String what) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + duration);
        }
        return duration;
    }
}
