package io.pipit.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import io.pipit.testkit.MockBroker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A whole device end to end: BME280, button and LED on the Pi4J mock platform, a {@link TelemetryPublisher}
 * with Home Assistant discovery, a broker (the mock broker, then mosquitto), and a separate subscriber that
 * must see the expected topics and payloads: discovery configs, online, readings, button state, the LED's
 * state after a command, and offline with everything switched off at shutdown.
 */
@ExtendWith(MosquittoPerClass.class)
class TelemetryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "pipit/e2e-pi/";

    private final MockPi pi = new MockPi();

    @AfterEach
    void close() {
        pi.close();
    }

    @Test
    void shouldDeliverTheDeviceThroughTheMockBroker() throws Exception {
        try (MockBroker broker = MockBroker.start()) {
            runDevice(broker.uri());
        }
    }

    @Test
    void shouldDeliverTheDeviceThroughMosquitto(MosquittoBroker mosquitto) throws Exception {
        runDevice(mosquitto.uri());
    }

    private void runDevice(String uri) throws Exception {
        DeviceTopics topics = DeviceTopics.of("pipit", "e2e-pi");
        I2C i2c = pi.bme280();
        for (int i = 0; i < 3; i++) { // the first sample at start, then two on demand
            MockPi.queueData(i2c, MockPi.ADC_P, MockPi.ADC_T + 16 * 100 * i, MockPi.ADC_H);
        }
        MockDigitalInput button = pi.input(17);
        DigitalOutput led = pi.output(27);
        MqttClient client = topics.will(MqttClient.builder().server(uri).clientId("e2e-pi")).build();
        TelemetryPublisher publisher = TelemetryPublisher.builder(client, topics)
                .sensor(Bme280.open(i2c, "bme280", Bme280.Mode.NORMAL))
                .input(DebouncedInput.of(button, "button").debounce(Duration.ofMillis(20)))
                .output(SwitchOutput.of(led, "led"))
                .homeAssistant(HomeAssistantDiscovery.of(topics, "E2E Pi", "mock platform"))
                .sampleEvery(Duration.ofHours(1)) // one sample at start; the rest on demand
                .inputPollEvery(Duration.ofMillis(2))
                .qos(QoS.AT_LEAST_ONCE)
                .build();
        try (Subscriber subscriber = new Subscriber(uri, "pipit/#", "homeassistant/#")) {
            client.connect();
            publisher.start();

            assertEquals("online", subscriber.await(BASE + "availability", 1).get(0).payload);
            JsonNode config = JSON.readTree(subscriber.await(
                    "homeassistant/sensor/e2e-pi/bme280_temperature/config", 1).get(0).payload);
            assertEquals(BASE + "bme280/state", config.get("state_topic").asText());
            assertEquals("°C", config.get("unit_of_measurement").asText());
            subscriber.await("homeassistant/binary_sensor/e2e-pi/button/config", 1);
            assertEquals(BASE + "led/set", JSON.readTree(subscriber.await(
                    "homeassistant/switch/e2e-pi/led/config", 1).get(0).payload).get("command_topic").asText());

            assertEquals(2, publisher.sampleOnce() + publisher.sampleOnce());
            List<Subscriber.Received> readings = subscriber.await(BASE + "bme280/state", 3);
            assertEquals("{\"temperature\":25.08,\"humidity\":39.81,\"pressure\":1006.53}", readings.get(0).payload);
            assertTrue(JSON.readTree(readings.get(2).payload).get("temperature").asDouble() > 25.08,
                    "the third sample is warmer: " + readings.get(2));

            button.mockState(DigitalState.HIGH);
            assertEquals("ON", subscriber.await(BASE + "button/state", 2).get(1).payload);
            assertEquals("{\"state\":\"ON\",\"count\":1}", subscriber.await(BASE + "button/event", 1).get(0).payload);

            MqttClient commander = MqttClient.builder().server(uri).clientId("commander").build();
            commander.connect();
            commander.publish("pipit/e2e-pi/led/set", "ON".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    QoS.AT_LEAST_ONCE);
            assertEquals("ON", subscriber.await(BASE + "led/state", 2).get(1).payload);
            assertEquals(DigitalState.HIGH, led.state());
            commander.close();

            assertTrue(publisher.shutdown(Duration.ofSeconds(5)), "everything flushed within the bound");
            assertEquals("OFF", subscriber.await(BASE + "led/state", 3).get(2).payload);
            Subscriber.Received offline = subscriber.await(BASE + "availability", 2).get(1);
            assertEquals("offline", offline.payload);
            assertEquals(0, publisher.failedSampleCount() + publisher.refusedCount());
        }
    }
}
