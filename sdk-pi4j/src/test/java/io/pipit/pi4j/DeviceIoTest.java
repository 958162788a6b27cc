package io.pipit.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.RecordedPacket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inputs and outputs on the Pi4J mock platform, through a real client and the mock broker: debounced button
 * edges become retained state plus events, commands on {@code .../set} drive the LED and PWM and their state
 * comes back. Debouncing runs on a virtual clock that the test advances.
 */
class DeviceIoTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final String BASE = "pipit/garage-pi/";

    private final MockPi pi = new MockPi();
    private final AtomicLong now = new AtomicLong();
    private final DeviceTopics topics = DeviceTopics.of("pipit", "garage-pi");
    private MockBroker broker;
    private MqttClient client;
    private TelemetryPublisher publisher;
    private MockDigitalInput button;
    private DigitalOutput led;
    private Pwm pwm;
    private SwitchOutput ledOutput;
    private PwmOutput dimmer;

    @BeforeEach
    void start() throws Exception {
        broker = MockBroker.start();
        client = topics.will(MqttClient.builder().server(broker.uri()).clientId("garage-pi")).build();
        client.connect();
        button = pi.input(17);
        led = pi.output(27);
        pwm = pi.pwm(18);
        ledOutput = SwitchOutput.of(led, "led");
        dimmer = PwmOutput.of(pwm, "dimmer");
        publisher = TelemetryPublisher.builder(client, topics)
                .input(DebouncedInput.of(button, "button").debounce(Duration.ofMillis(50)))
                .output(ledOutput)
                .output(dimmer)
                .inputPollEvery(Duration.ofHours(1)) // the test settles edges itself, on its clock
                .nanoClock(now::get)
                .build();
        publisher.start();
    }

    @AfterEach
    void stop() {
        publisher.shutdown(Duration.ofSeconds(5));
        broker.close();
        pi.close();
    }

    @Test
    void shouldPublishOneDebouncedPressAsRetainedStateAndEvent() {
        assertEquals("OFF", state("button", 1).get(0).payloadAsString(), "the initial state");
        for (int i = 0; i < 5; i++) { // a bouncing press: 5 edges, settling HIGH
            button.mockState(i % 2 == 0 ? DigitalState.HIGH : DigitalState.LOW);
            now.addAndGet(2 * MS);
            assertEquals(0, publisher.pollInputs(now.get()));
        }
        assertEquals(0, publisher.pollInputs(now.addAndGet(47 * MS))); // 49 ms after the last edge
        assertEquals(1, publisher.pollInputs(now.addAndGet(1 * MS)));
        button.mockState(DigitalState.LOW);
        assertEquals(1, publisher.pollInputs(now.addAndGet(50 * MS)));

        List<RecordedPacket> states = state("button", 3);
        assertEquals("ON", states.get(1).payloadAsString());
        assertTrue(states.get(1).retain(), "state is retained");
        assertEquals("OFF", states.get(2).payloadAsString());
        List<RecordedPacket> events = broker.awaitPublishes(BASE + "button/event", 2);
        assertEquals("{\"state\":\"ON\",\"count\":1}", events.get(0).payloadAsString());
        assertEquals("{\"state\":\"OFF\",\"count\":2}", events.get(1).payloadAsString());
        assertFalse(events.get(0).retain(), "events are not retained");
    }

    @Test
    void shouldSwitchTheLedFromItsCommandTopicAndReportTheState() {
        assertEquals("OFF", state("led", 1).get(0).payloadAsString());

        broker.publish(BASE + "led/set", "ON", 1, false);
        assertEquals("ON", state("led", 2).get(1).payloadAsString());
        assertEquals(DigitalState.HIGH, led.state());

        broker.publish(BASE + "led/set", "toggle", 1, false);
        assertEquals("OFF", state("led", 3).get(2).payloadAsString());
        assertEquals(DigitalState.LOW, led.state());

        broker.publish(BASE + "led/set", "bright please", 1, false);
        assertEquals("OFF", state("led", 4).get(3).payloadAsString(), "a bad command is answered, unchanged");
        assertEquals(1, ledOutput.rejectedCount());
    }

    @Test
    void shouldSetThePwmDutyFromItsCommandTopic() throws Exception {
        broker.publish(BASE + "dimmer/set", "40", 1, false);
        assertEquals("40", state("dimmer", 2).get(1).payloadAsString());
        assertTrue(pwm.isOn());
        assertEquals(40f, pwm.getDutyCycle());

        broker.publish(BASE + "dimmer/set", "OFF", 1, false);
        assertEquals("0", state("dimmer", 3).get(2).payloadAsString());
        assertFalse(pwm.isOn());

        broker.publish(BASE + "dimmer/set", "ON", 1, false);
        assertEquals("40", state("dimmer", 4).get(3).payloadAsString(), "ON brings back the last duty");

        broker.publish(BASE + "dimmer/set", "150", 1, false);
        assertEquals("40", state("dimmer", 5).get(4).payloadAsString());
        assertEquals(1, dimmer.rejectedCount());
    }

    @Test
    void shouldAnnounceOnlineAndLeaveAnOfflineWillAndSwitchOffAtShutdown() throws Exception {
        RecordedPacket connect = broker.awaitReceived("garage-pi", PacketType.CONNECT);
        assertEquals(BASE + "availability", connect.topic());
        assertEquals("offline", connect.payloadAsString());
        assertTrue(connect.retain(), "the Will is retained");
        assertEquals("online", broker.awaitPublish(BASE + "availability").payloadAsString());
        broker.publish(BASE + "led/set", "ON", 1, false);
        state("led", 2);

        assertTrue(publisher.shutdown(Duration.ofSeconds(5)));

        assertEquals(DigitalState.LOW, led.state(), "outputs are switched off");
        assertEquals("OFF", state("led", 3).get(2).payloadAsString());
        List<RecordedPacket> availability = broker.awaitPublishes(BASE + "availability", 2);
        assertEquals("offline", availability.get(1).payloadAsString());
        assertTrue(availability.get(1).retain());
        broker.awaitDisconnected("garage-pi");
    }

    private List<RecordedPacket> state(String object, int count) {
        return broker.awaitPublishes(BASE + object + "/state", count);
    }
}
