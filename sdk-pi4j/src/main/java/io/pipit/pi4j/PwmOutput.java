package io.pipit.pi4j;

import com.pi4j.io.pwm.Pwm;
import io.pipit.mqtt.Message;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dimmable LED, fan or buzzer on a PWM pin, driven by a duty cycle in percent ({@code 0}..{@code 100},
 * decimals allowed) or {@code ON} (back to the last non-zero duty, 100 at first) / {@code OFF} on
 * {@code .../<id>/set}. The resulting duty is published, retained, on {@code .../<id>/state} as a whole percent;
 * Home Assistant sees it as a number slider. An out-of-range or unreadable command is logged, counted and
 * answered with the unchanged state. Shutdown turns it off.
 *
 * <p>Thread-safe: commands arrive on the client's I/O thread, {@link #dutyPercent()} may be read from any thread.
 * Pi4J's duty-cycle call boxes its argument, so a command allocates a little; telemetry does not.
 */
public final class PwmOutput implements CommandedOutput {
    private static final Logger LOG = LoggerFactory.getLogger(PwmOutput.class);

    private final Pwm pwm;
    private final String id;
    private volatile double duty;
    private double lastOnDuty = 100;
    private StateMessage state;
    private final AtomicLong rejectedCount = new AtomicLong();

    private PwmOutput(Pwm pwm, String id) {
        this.pwm = pwm;
        this.id = id;
    }

    /**
     * @param pwm e.g. {@code pi4j.create(Pwm.newConfigBuilder(pi4j).address(18).pwmType(HARDWARE).frequency(1000))}
     * @param id object id in topics, e.g. {@code dimmer}
     */
    public static PwmOutput of(Pwm pwm, String id) {
        return new PwmOutput(pwm, DeviceTopics.checkId("output id", id));
    }

    @Override
    public String id() {
        return id;
    }

    /** @return the duty cycle now, 0..100 % */
    public double dutyPercent() {
        return duty;
    }

    @Override
    public long rejectedCount() {
        return rejectedCount.get();
    }

    @Override
    public void attach(MqttClient client, DeviceTopics topics, QoS qos) {
        this.state = new StateMessage(client, Topic.of(topics.state(id)), qos, true, 8);
        duty = pwm.isOn() ? pwm.getDutyCycle() : 0;
        report();
    }

    @Override
    public void onMessage(Message message) {
        int word = Commands.switchWord(message);
        double wanted = word == Commands.ON ? lastOnDuty
                : word == Commands.OFF ? 0
                : word == Commands.TOGGLE ? (duty > 0 ? 0 : lastOnDuty)
                : Commands.number(message);
        if (!(wanted >= 0 && wanted <= 100)) { // NaN too
            rejectedCount.incrementAndGet();
            LOG.warn("{}: ignoring command '{}' (expected 0..100, ON, OFF or TOGGLE)", this,
                    message.payloadAsString());
        } else {
            apply(wanted);
        }
        report();
    }

    @Override
    public void release() {
        apply(0);
        report();
    }

    private synchronized void apply(double percent) {
        try {
            if (percent == 0) {
                pwm.off();
            } else {
                pwm.on(percent);
                lastOnDuty = percent;
            }
            duty = percent;
        } catch (RuntimeException e) { // Pi4J reports PWM failures unchecked; the reported duty stays true
            rejectedCount.incrementAndGet();
            LOG.warn("{}: could not set the duty cycle to {} %", this, percent, e);
        }
    }

    private void report() {
        synchronized (state) {
            int end = DecimalWriter.write(duty, 0, state.buffer(), 0);
            state.publish(end);
        }
    }

    @Override
    public String toString() {
        return "PWM '" + id + "' on " + pwm.id();
    }
}
