package io.pipit.samples.pi;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.pi4j.Bme280;
import io.pipit.pi4j.Bme280Simulator;
import io.pipit.pi4j.DebouncedInput;
import io.pipit.pi4j.DeviceTopics;
import io.pipit.pi4j.HomeAssistantDiscovery;
import io.pipit.pi4j.Sensor;
import io.pipit.pi4j.SwitchOutput;
import io.pipit.pi4j.TelemetryPublisher;
import io.pipit.testkit.MockBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * pi-sensors: a BME280 (I2C bus 1, 0x76), a button (GPIO 17 to GND, pull-up) and an LED (GPIO 27) published as
 * an MQTT device with Home Assistant discovery. On a Raspberry Pi it drives the real parts (Pi4J's linuxfs I2C and
 * gpiod GPIO providers); anywhere else, or with {@code --mock}, Pi4J's mock platform with simulated weather and
 * button presses. A watcher client prints what the device publishes and toggles the LED on every button press,
 * through the broker, as a home automation would. SIGTERM or Ctrl-C shuts it down cleanly: sampling stops, the
 * queue is flushed, {@code offline} is published and the GPIO lines are released.
 */
public final class PiSensors {
    private static final int BME280_ADDRESS = 0x76;
    private static final int BUTTON_GPIO = 17;
    private static final int LED_GPIO = 27;

    private PiSensors() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs pi-sensors; @return the process exit status (0 fine, 1 failed, 2 bad options). */
    public static int run(String... args) throws Exception {
        return run(new CountDownLatch(1), args);
    }

    /**
     * Like {@link #run(String...)}, and {@code stop} counted down ends the run as the end of {@code --duration}
     * does: a test runs until what it waits for has happened, not for a guessed time.
     */
    static int run(CountDownLatch stop, String... args) throws Exception {
        quietPi4jLogging();
        PiSensorsOptions options;
        try {
            options = PiSensorsOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pi-sensors: " + e.getMessage());
            return 2;
        }
        if (options.help) {
            System.out.println(PiSensorsOptions.USAGE);
            return 0;
        }
        MockBroker embedded = options.broker == null ? MockBroker.start() : null;
        String uri = embedded == null ? options.broker : embedded.uri();
        try (SimulatedHardware simulation = new SimulatedHardware()) {
            return runDevice(options, uri, simulation, stop);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static int runDevice(PiSensorsOptions o, String uri, SimulatedHardware simulation, CountDownLatch stop)
            throws Exception {
        DeviceTopics topics = DeviceTopics.of(o.prefix, o.device);
        Context pi4j = o.mock ? SimulatedHardware.context() : Pi4J.newAutoContext();
        System.out.printf(Locale.ROOT, "pi-sensors: device %s on %s, %s%n", topics, uri,
                o.mock ? "Pi4J mock platform with simulated readings" : "Raspberry Pi hardware");
        I2C i2c = pi4j.create(I2C.newConfigBuilder(pi4j).id("bme280").bus(1).device(BME280_ADDRESS)
                .provider(o.mock ? "mock-i2c" : "linuxfs-i2c"));
        DigitalInput button = pi4j.create(DigitalInput.newConfigBuilder(pi4j).id("button").address(BUTTON_GPIO)
                .pull(PullResistance.PULL_UP).provider(o.mock ? "mock-digital-input" : "gpiod-digital-input"));
        DigitalOutput led = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("led").address(LED_GPIO)
                .initial(DigitalState.LOW).shutdown(DigitalState.LOW)
                .provider(o.mock ? "mock-digital-output" : "gpiod-digital-output"));
        Sensor weather;
        if (o.mock) {
            Bme280Simulator chip = Bme280Simulator.install(i2c);
            weather = simulation.weather(chip, Bme280.open(i2c, "bme280", Bme280.Mode.FORCED));
            SimulatedHardware.idle((MockDigitalInput) button);
        } else {
            weather = Bme280.open(i2c, "bme280", Bme280.Mode.FORCED);
        }

        MqttClient client = topics.will(MqttClient.builder().server(uri).clientId(o.device))
                .automaticReconnect(true).build();
        client.connect();
        TelemetryPublisher publisher = TelemetryPublisher.builder(client, topics)
                .sensor(weather)
                .input(DebouncedInput.of(button, "button").activeLow().debounce(Duration.ofMillis(30)))
                .output(SwitchOutput.of(led, "led"))
                .homeAssistant(HomeAssistantDiscovery.of(topics, "pipit " + o.device,
                        o.mock ? "Pi4J mock platform" : "Raspberry Pi + BME280"))
                .sampleEvery(o.interval)
                .afterShutdown(pi4j::shutdown)
                .build();
        Thread hook = publisher.shutdownHook(Duration.ofSeconds(5));
        Runtime.getRuntime().addShutdownHook(hook); // SIGTERM / Ctrl-C: the same clean shutdown as below
        try (Watcher watcher = new Watcher(uri, topics)) {
            publisher.start();
            if (o.mock) {
                simulation.pressButtonEvery((MockDigitalInput) button, 3_000);
            }
            waitFor(o.duration, stop);
            boolean flushed = publisher.shutdown(Duration.ofSeconds(5));
            Runtime.getRuntime().removeShutdownHook(hook);
            watcher.awaitOffline();
            System.out.printf(Locale.ROOT, "pi-sensors: %d samples (%d failed, %d refused by a full queue), %d button"
                    + " presses seen, queue %s%n", publisher.sampleCount(), publisher.failedSampleCount(),
                    publisher.refusedCount(), watcher.presses(), flushed ? "flushed" : "NOT flushed");
            return flushed && publisher.failedSampleCount() == 0 ? 0 : 1;
        }
    }

    /**
     * Pi4J logs its start-up at INFO and, off a Pi, an ERROR for the missing board model; neither helps here. Set
     * the same properties yourself to see them.
     */
    private static void quietPi4jLogging() {
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.com.pi4j", "warn");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.com.pi4j.boardinfo", "off");
    }

    /**
     * Waits for the run's duration, 0 meaning until the process is told to stop (the hook then shuts down), or until
     * {@code stop} is counted down.
     */
    private static void waitFor(Duration duration, CountDownLatch stop) throws InterruptedException {
        if (duration.isZero()) {
            stop.await();
        } else {
            stop.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The other side: prints the device's messages and toggles the LED on each press, through the broker. */
    private static final class Watcher implements AutoCloseable {
        private final MqttClient client;
        private final String ledCommand;
        private final CountDownLatch offline = new CountDownLatch(1);
        private int presses;

        Watcher(String uri, DeviceTopics topics) throws Exception {
            this.ledCommand = topics.command("led");
            String events = topics.event("button");
            String availability = topics.availability();
            client = MqttClient.builder().server(uri).clientId(topics.device() + "-watcher").build();
            client.connect();
            client.subscribe(topics.prefix() + '/' + topics.device() + "/#", QoS.AT_LEAST_ONCE, message -> {
                String topic = message.topic().toString();
                String payload = message.payloadAsString();
                System.out.printf(Locale.ROOT, "  %-40s %s%n", topic, payload);
                if (topic.equals(events) && payload.contains("\"ON\"")) {
                    pressed();
                }
                if (topic.equals(availability) && payload.equals(DeviceTopics.OFFLINE)) {
                    offline.countDown();
                }
            }).get(5, TimeUnit.SECONDS);
        }

        private void pressed() {
            synchronized (this) {
                presses++;
            }
            byte[] toggle = "TOGGLE".getBytes(StandardCharsets.US_ASCII);
            client.publish(ledCommand, toggle, QoS.AT_LEAST_ONCE);
        }

        synchronized int presses() {
            return presses;
        }

        void awaitOffline() throws InterruptedException {
            offline.await(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            client.close();
        }
    }
}
