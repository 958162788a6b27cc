package io.pipit.pi4j;

/**
 * Home Assistant MQTT discovery: the retained config messages that make a device's sensors, inputs and outputs
 * appear in Home Assistant by themselves, on {@code <discovery prefix>/<component>/<device>/<object>/config}.
 * Every entity carries a unique id ({@code <device>_<object>}), the state topic, the availability topic
 * ({@code online}/{@code offline}) and the device block that groups them under one device. Components: each sensor
 * channel a {@code sensor} (value picked from the JSON payload by {@code value_template}), each
 * {@link DebouncedInput} a {@code binary_sensor}, each {@link SwitchOutput} a {@code switch} and each
 * {@link PwmOutput} a {@code number} (0..100 %), both with their {@code command_topic}.
 *
 * <p>Immutable; safe to share between threads. Building payloads allocates: it happens once, at start.
 */
public final class HomeAssistantDiscovery {
    /** Home Assistant's default discovery prefix. */
    public static final String DEFAULT_PREFIX = "homeassistant";

    private final DeviceTopics topics;
    private final String prefix;
    private final String deviceName;
    private final String model;

    private HomeAssistantDiscovery(DeviceTopics topics, String prefix, String deviceName, String model) {
        this.topics = topics;
        this.prefix = prefix;
        this.deviceName = deviceName;
        this.model = model;
    }

    /**
     * @param deviceName the name Home Assistant shows for the device, e.g. {@code Greenhouse Pi}
     * @param model the device model shown, e.g. {@code Raspberry Pi 4 + BME280}
     */
    public static HomeAssistantDiscovery of(DeviceTopics topics, String deviceName, String model) {
        return new HomeAssistantDiscovery(topics, DEFAULT_PREFIX, deviceName, model);
    }

    /** @return the same, with another discovery prefix (Home Assistant's {@code discovery_prefix}) */
    public HomeAssistantDiscovery prefix(String discoveryPrefix) {
        DeviceTopics.of(discoveryPrefix, "x"); // the same rules as a topic prefix
        return new HomeAssistantDiscovery(topics, discoveryPrefix, deviceName, model);
    }

    /** @return {@code <prefix>/<component>/<device>/<object>/config} */
    public String configTopic(String component, String object) {
        return prefix + '/' + component + '/' + topics.device() + '/' + object + "/config";
    }

    /** @return the object id of one sensor channel: {@code <sensor>_<channel>} */
    public static String objectId(Sensor sensor, Channel channel) {
        return sensor.id() + '_' + channel.key();
    }

    /** @return the {@code sensor} config of one channel of {@code sensor} */
    public String sensorConfig(Sensor sensor, Channel channel) {
        return entity(sensor.id() + ' ' + channel.key(), objectId(sensor, channel), topics.state(sensor.id()))
                .string("device_class", channel.deviceClass())
                .string("unit_of_measurement", channel.unit())
                .string("state_class", "measurement")
                .string("value_template", "{{ value_json." + channel.key() + " }}")
                .object("device", device())
                .toString();
    }

    /** @return the {@code binary_sensor} config of {@code input} */
    public String binarySensorConfig(DebouncedInput input) {
        return entity(input.id(), input.id(), topics.state(input.id()))
                .string("device_class", input.deviceClass())
                .string("payload_on", "ON")
                .string("payload_off", "OFF")
                .object("device", device())
                .toString();
    }

    /** @return the {@code switch} config of {@code output} */
    public String switchConfig(SwitchOutput output) {
        return entity(output.id(), output.id(), topics.state(output.id()))
                .string("command_topic", topics.command(output.id()))
                .string("payload_on", "ON")
                .string("payload_off", "OFF")
                .object("device", device())
                .toString();
    }

    /** @return the {@code number} config of {@code output}: a 0..100 % slider */
    public String numberConfig(PwmOutput output) {
        return entity(output.id(), output.id(), topics.state(output.id()))
                .string("command_topic", topics.command(output.id()))
                .number("min", 0)
                .number("max", 100)
                .number("step", 1)
                .string("unit_of_measurement", "%")
                .string("mode", "slider")
                .object("device", device())
                .toString();
    }

    private JsonText entity(String name, String object, String stateTopic) {
        return new JsonText()
                .string("name", name)
                .string("unique_id", topics.device() + '_' + object)
                .string("object_id", topics.device() + '_' + object)
                .string("state_topic", stateTopic)
                .string("availability_topic", topics.availability())
                .string("payload_available", DeviceTopics.ONLINE)
                .string("payload_not_available", DeviceTopics.OFFLINE);
    }

    private JsonText device() {
        return new JsonText()
                .stringArray("identifiers", topics.device())
                .string("name", deviceName)
                .string("manufacturer", "pipit")
                .string("model", model);
    }
}
