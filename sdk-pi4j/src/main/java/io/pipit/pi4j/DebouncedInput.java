package io.pipit.pi4j;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A button, PIR motion sensor or reed switch on a GPIO input, debounced in software. Each settled change is
 * published twice: the state ({@code ON} / {@code OFF}, retained, so a new subscriber and Home Assistant see the
 * current level) on {@code .../<id>/state}, and an event ({@code {"state":"ON","count":7}}, not retained, the
 * count letting a subscriber notice a missed edge) on {@code .../<id>/event}. The first state is published at
 * start.
 *
 * <p>Configure it ({@link #debounce}, {@link #activeLow}, {@link #deviceClass}) before giving it to a
 * {@link TelemetryPublisher}; after that it belongs to the publisher, whose sampling thread settles edges every
 * few milliseconds. Edges arrive on Pi4J's event thread; the change path allocates nothing.
 */
public final class DebouncedInput {
    private static final int EVENT_CAPACITY = 64;
    private static final byte[] EVENT_ON = "{\"state\":\"ON\",\"count\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_OFF = "{\"state\":\"OFF\",\"count\":".getBytes(StandardCharsets.US_ASCII);

    private final DigitalInput input;
    private final String id;
    private Duration debounce = Duration.ofMillis(50);
    private boolean activeLow;
    private String deviceClass;
    private Debouncer debouncer;
    private StateMessage state;
    private StateMessage event;
    private LongSupplier clock;
    private final DigitalStateChangeListener listener = change -> edge(change.state());

    private DebouncedInput(DigitalInput input, String id) {
        this.input = input;
        this.id = id;
    }

    /**
     * @param input e.g. {@code pi4j.create(DigitalInput.newConfigBuilder(pi4j).address(17).pull(PULL_DOWN))}
     * @param id object id in topics, e.g. {@code button}
     */
    public static DebouncedInput of(DigitalInput input, String id) {
        return new DebouncedInput(input, DeviceTopics.checkId("input id", id));
    }

    /** How long a new level must hold before it counts (default 50 ms; a PIR needs none, a reed switch ~20 ms). */
    public DebouncedInput debounce(Duration time) {
        if (time.isNegative()) {
            throw new IllegalArgumentException("debounce time must not be negative: " + time);
        }
        this.debounce = time;
        return this;
    }

    /** Low means active (ON): a button to ground with the pull-up on. */
    public DebouncedInput activeLow() {
        this.activeLow = true;
        return this;
    }

    /** The Home Assistant binary_sensor device class, e.g. {@code motion}, {@code door}; none by default. */
    public DebouncedInput deviceClass(String homeAssistantDeviceClass) {
        this.deviceClass = homeAssistantDeviceClass;
        return this;
    }

    /** @return the object id */
    public String id() {
        return id;
    }

    /** @return the Home Assistant device class, or null */
    public String deviceClass() {
        return deviceClass;
    }

    /** @return the debounced state (true = ON); false before the publisher started */
    public boolean isOn() {
        return debouncer != null && debouncer.level();
    }

    /** @return debounced changes since start */
    public long changeCount() {
        return debouncer == null ? 0 : debouncer.changeCount();
    }

    /** Starts listening and publishes the current state. */
    void attach(MqttClient client, DeviceTopics topics, QoS qos, LongSupplier nanoClock) {
        if (debouncer != null) {
            throw new IllegalStateException("input '" + id + "' already belongs to a publisher");
        }
        this.clock = nanoClock;
        this.state = new StateMessage(client, Topic.of(topics.state(id)), qos, true, 3);
        this.event = new StateMessage(client, Topic.of(topics.event(id)), qos, false, EVENT_CAPACITY);
        this.debouncer = new Debouncer(debounce.toNanos(), active(input.state()), clock.getAsLong());
        input.addListener(listener);
        publishState();
    }

    /** Settles pending edges; @return 1 when a change was published, else 0. Sampling thread only. */
    int poll(long nowNs) {
        if (!debouncer.settle(nowNs)) {
            return 0;
        }
        publishState();
        boolean on = debouncer.level();
        byte[] head = on ? EVENT_ON : EVENT_OFF;
        synchronized (event) {
            byte[] buffer = event.buffer();
            System.arraycopy(head, 0, buffer, 0, head.length);
            int at = DecimalWriter.write(debouncer.changeCount(), buffer, head.length);
            buffer[at] = '}'; // a long takes at most 20 bytes: the buffer always has room
            event.publish(at + 1);
        }
        return 1;
    }

    /** Stops listening. */
    void detach() {
        input.removeListener(listener);
    }

    private void edge(DigitalState level) {
        if (debouncer != null) {
            debouncer.edge(active(level), clock.getAsLong());
        }
    }

    private boolean active(DigitalState level) {
        return (level == DigitalState.HIGH) != activeLow;
    }

    private void publishState() {
        byte[] payload = debouncer.level() ? StateMessage.ON : StateMessage.OFF;
        state.publish(payload, payload.length);
    }

    @Override
    public String toString() {
        return "input '" + id + "' on " + input.id();
    }
}
