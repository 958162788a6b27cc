package io.pipit.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pi4j.io.i2c.I2C;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Discovery payloads parsed by an independent JSON parser, with the keys Home Assistant requires. */
class HomeAssistantDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ENTITY_KEYS = List.of("name", "unique_id", "state_topic", "availability_topic",
            "payload_available", "payload_not_available", "device");

    private final MockPi pi = new MockPi();
    private final DeviceTopics topics = DeviceTopics.of("pipit", "garage-pi");
    private final HomeAssistantDiscovery discovery = HomeAssistantDiscovery.of(topics, "Garage \"Pi\"", "Pi 4");

    @AfterEach
    void close() {
        pi.close();
    }

    @Test
    void shouldDescribeEachSensorChannelWithUnitClassAndTemplate() throws IOException {
        I2C i2c = pi.bme280();
        Bme280 bme = Bme280.open(i2c, "bme280", Bme280.Mode.FORCED);

        JsonNode temperature = parse(discovery.sensorConfig(bme, bme.channels().get(0)));
        JsonNode pressure = parse(discovery.sensorConfig(bme, bme.channels().get(2)));

        assertEntity(temperature, "garage-pi_bme280_temperature", "pipit/garage-pi/bme280/state");
        assertEquals("temperature", temperature.get("device_class").asText());
        assertEquals("°C", temperature.get("unit_of_measurement").asText());
        assertEquals("{{ value_json.temperature }}", temperature.get("value_template").asText());
        assertEquals("hPa", pressure.get("unit_of_measurement").asText());
        assertEquals("pressure", pressure.get("device_class").asText());
        assertEquals("homeassistant/sensor/garage-pi/bme280_temperature/config",
                discovery.configTopic("sensor", HomeAssistantDiscovery.objectId(bme, bme.channels().get(0))));
    }

    @Test
    void shouldDescribeInputsAsBinarySensorsAndOutputsWithCommandTopics() {
        DebouncedInput pir = DebouncedInput.of(pi.input(22), "pir").deviceClass("motion");
        SwitchOutput led = SwitchOutput.of(pi.output(27), "led");
        PwmOutput dimmer = PwmOutput.of(pi.pwm(18), "dimmer");

        JsonNode binary = parse(discovery.binarySensorConfig(pir));
        JsonNode light = parse(discovery.switchConfig(led));
        JsonNode number = parse(discovery.numberConfig(dimmer));

        assertEntity(binary, "garage-pi_pir", "pipit/garage-pi/pir/state");
        assertEquals("motion", binary.get("device_class").asText());
        assertEquals("ON", binary.get("payload_on").asText());
        assertEntity(light, "garage-pi_led", "pipit/garage-pi/led/state");
        assertEquals("pipit/garage-pi/led/set", light.get("command_topic").asText());
        assertEntity(number, "garage-pi_dimmer", "pipit/garage-pi/dimmer/state");
        assertEquals("pipit/garage-pi/dimmer/set", number.get("command_topic").asText());
        assertEquals(100, number.get("max").asInt());
        assertFalse(parse(discovery.binarySensorConfig(DebouncedInput.of(pi.input(17), "button")))
                .has("device_class"), "no device class given: none sent");
    }

    @Test
    void shouldHonourAnotherDiscoveryPrefix() {
        assertEquals("ha/switch/garage-pi/led/config", discovery.prefix("ha").configTopic("switch", "led"));
    }

    private static void assertEntity(JsonNode config, String uniqueId, String stateTopic) {
        for (String key : ENTITY_KEYS) {
            assertTrue(config.has(key), "missing " + key + " in " + config);
        }
        assertEquals(uniqueId, config.get("unique_id").asText());
        assertEquals(stateTopic, config.get("state_topic").asText());
        assertEquals("pipit/garage-pi/availability", config.get("availability_topic").asText());
        JsonNode device = config.get("device");
        assertEquals("garage-pi", device.get("identifiers").get(0).asText());
        assertEquals("Garage \"Pi\"", device.get("name").asText(), "names are escaped");
        assertTrue(device.has("manufacturer") && device.has("model"), device.toString());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
