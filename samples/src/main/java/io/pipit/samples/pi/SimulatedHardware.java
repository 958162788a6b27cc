package io.pipit.samples.pi;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import io.pipit.pi4j.Bme280;
import io.pipit.pi4j.Bme280Simulator;
import io.pipit.pi4j.Channel;
import io.pipit.pi4j.Sensor;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What pi-sensors runs on when there is no Pi: Pi4J's mock platform, a BME280 fed slowly drifting weather through
 * {@link Bme280Simulator}, and a finger that presses the button now and then (with contact bounce, which the
 * debouncing removes). Used from main and the sampling thread; the presser has its own daemon thread.
 */
final class SimulatedHardware implements AutoCloseable {
    private final Random random = new Random(42);
    private final ScheduledExecutorService finger = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "pi-sensors-button-presser");
        thread.setDaemon(true);
        return thread;
    });
    private int presses;

    static Context context() {
        return Pi4J.newContextBuilder()
                .add(new MockPlatform())
                .add(MockI2CProvider.newInstance(), MockDigitalInputProvider.newInstance(),
                        MockDigitalOutputProvider.newInstance())
                .build();
    }

    /** Wraps the driver so that each sample first queues the simulated chip's next registers. */
    Sensor weather(Bme280Simulator chip, Bme280 driver) {
        return new Sensor() {
            private double celsius = 21.0;
            private double humidity = 45.0;
            private double hectopascal = 1013.0;

            @Override
            public String id() {
                return driver.id();
            }

            @Override
            public List<Channel> channels() {
                return driver.channels();
            }

            @Override
            public void sample(double[] values) throws IOException {
                celsius = drift(celsius, 0.05, 15, 30);
                humidity = drift(humidity, 0.2, 30, 70);
                hectopascal = drift(hectopascal, 0.1, 990, 1030);
                chip.queueMeasurementDone();
                chip.queueReading(celsius, humidity, hectopascal);
                driver.sample(values);
            }
        };
    }

    /** Wires the button as on the Pi: pulled up (idle HIGH), a press pulls it LOW. */
    static void idle(MockDigitalInput button) {
        button.mockState(DigitalState.HIGH);
    }

    /** Presses and releases {@code button} every {@code periodMs}, each edge bouncing a few times. */
    void pressButtonEvery(MockDigitalInput button, long periodMs) {
        finger.scheduleAtFixedRate(() -> {
            bounce(button, DigitalState.LOW);
            sleep(300);
            bounce(button, DigitalState.HIGH);
            pressed();
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void pressed() {
        presses++;
    }

    synchronized int presses() {
        return presses;
    }

    private static void bounce(MockDigitalInput button, DigitalState settled) {
        DigitalState other = settled == DigitalState.HIGH ? DigitalState.LOW : DigitalState.HIGH;
        for (int i = 0; i < 3; i++) {
            button.mockState(settled);
            sleep(1);
            button.mockState(other);
            sleep(1);
        }
        button.mockState(settled);
    }

    private double drift(double value, double step, double min, double max) {
        return Math.max(min, Math.min(max, value + (random.nextDouble() * 2 - 1) * step));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the presser is stopping: the press is cut short
        }
    }

    @Override
    public void close() {
        finger.shutdownNow();
    }
}
