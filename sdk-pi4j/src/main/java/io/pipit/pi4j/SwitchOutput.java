package io.pipit.pi4j;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.pipit.mqtt.Message;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An LED, relay or buzzer on a GPIO output, switched by {@code ON}, {@code OFF} or {@code TOGGLE} (also
 * {@code 1}/{@code 0}, {@code true}/{@code false}, any case) on {@code .../<id>/set}. After each command the
 * resulting state is published, retained, on {@code .../<id>/state}, so the sender (and Home Assistant, which
 * sees it as a switch) learns what really happened; an unreadable command is logged, counted and answered with
 * the unchanged state. Shutdown switches it off.
 *
 * <p>Thread-safe: commands arrive on the client's I/O thread, {@link #isOn()} may be read from any thread.
 */
public final class SwitchOutput implements CommandedOutput {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchOutput.class);

    private final DigitalOutput output;
    private final String id;
    private boolean activeLow;
    private volatile boolean on;
    private StateMessage state;
    private final AtomicLong rejectedCount = new AtomicLong();

    private SwitchOutput(DigitalOutput output, String id) {
        this.output = output;
        this.id = id;
    }

    /**
     * @param output e.g. {@code pi4j.create(DigitalOutput.newConfigBuilder(pi4j).address(27).initial(LOW))}
     * @param id object id in topics, e.g. {@code led}
     */
    public static SwitchOutput of(DigitalOutput output, String id) {
        return new SwitchOutput(output, DeviceTopics.checkId("output id", id));
    }

    /** Low drives it on (many relay boards); call before giving it to the publisher. */
    public SwitchOutput activeLow() {
        this.activeLow = true;
        return this;
    }

    @Override
    public String id() {
        return id;
    }

    /** @return true while it is switched on */
    public boolean isOn() {
        return on;
    }

    @Override
    public long rejectedCount() {
        return rejectedCount.get();
    }

    @Override
    public void attach(MqttClient client, DeviceTopics topics, QoS qos) {
        this.state = new StateMessage(client, Topic.of(topics.state(id)), qos, true, 3);
        on = (output.state() == DigitalState.HIGH) != activeLow;
        report();
    }

    @Override
    public void onMessage(Message message) {
        int command = Commands.switchWord(message);
        if (command == Commands.INVALID) {
            rejectedCount.incrementAndGet();
            LOG.warn("{}: ignoring command '{}' (expected ON, OFF or TOGGLE)", this, message.payloadAsString());
        } else {
            apply(command == Commands.TOGGLE ? !on : command == Commands.ON);
        }
        report();
    }

    @Override
    public void release() {
        apply(false);
        report();
    }

    private synchronized void apply(boolean wanted) {
        try {
            output.state(wanted != activeLow ? DigitalState.HIGH : DigitalState.LOW);
            on = wanted;
        } catch (RuntimeException e) { // Pi4J reports GPIO failures unchecked; the reported state stays true
            rejectedCount.incrementAndGet();
            LOG.warn("{}: could not switch {}", this, wanted ? "on" : "off", e);
        }
    }

    private void report() {
        byte[] payload = on ? StateMessage.ON : StateMessage.OFF;
        state.publish(payload, payload.length);
    }

    @Override
    public String toString() {
        return "switch '" + id + "' on " + output.id();
    }
}
