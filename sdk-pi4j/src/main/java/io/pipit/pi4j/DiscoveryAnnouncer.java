package io.pipit.pi4j;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes a device's Home Assistant config messages (QoS 1, retained) once, at start. Not thread-safe. */
final class DiscoveryAnnouncer {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryAnnouncer.class);

    private final HomeAssistantDiscovery discovery;
    private final MqttClient client;

    DiscoveryAnnouncer(HomeAssistantDiscovery discovery, MqttClient client) {
        this.discovery = discovery;
        this.client = client;
    }

    void announce(Sensor[] sensors, List<DebouncedInput> inputs, List<CommandedOutput> outputs) {
        for (Sensor sensor : sensors) {
            for (Channel channel : sensor.channels()) {
                send("sensor", HomeAssistantDiscovery.objectId(sensor, channel),
                        discovery.sensorConfig(sensor, channel));
            }
        }
        for (DebouncedInput input : inputs) {
            send("binary_sensor", input.id(), discovery.binarySensorConfig(input));
        }
        for (CommandedOutput output : outputs) {
            if (output instanceof SwitchOutput) {
                send("switch", output.id(), discovery.switchConfig((SwitchOutput) output));
            } else {
                send("number", output.id(), discovery.numberConfig((PwmOutput) output));
            }
        }
    }

    private void send(String component, String object, String json) {
        String topic = discovery.configTopic(component, object);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (client.publish(Topic.of(topic), bytes, 0, bytes.length, QoS.AT_LEAST_ONCE, true) < 0) {
            LOG.warn("the client's queue is full; Home Assistant config {} not published", topic);
        }
    }
}
