package io.pipit.pi4j;

import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The topic layout of one device: {@code <prefix>/<device>/<object>/state} for readings and states,
 * {@code .../set} for commands, {@code .../event} for input edges, and {@code <prefix>/<device>/availability}
 * holding {@code online} or {@code offline} (retained), kept right by the Will when the device vanishes.
 * Immutable; safe to share between threads.
 */
public final class DeviceTopics {
    /** Payload of the availability topic while the device runs. */
    public static final String ONLINE = "online";
    /** Payload of the availability topic once the device stopped or vanished. */
    public static final String OFFLINE = "offline";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String prefix;
    private final String device;

    private DeviceTopics(String prefix, String device) {
        this.prefix = prefix;
        this.device = device;
    }

    /**
     * @param prefix first topic levels, e.g. {@code pipit} or {@code home/garage}: no wildcards, no empty level
     * @param device the device id, one level of {@code [A-Za-z0-9_-]}, e.g. the host name
     * @throws IllegalArgumentException naming the bad argument
     */
    public static DeviceTopics of(String prefix, String device) {
        if (prefix == null || prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/")
                || prefix.contains("//") || prefix.contains("+") || prefix.contains("#")) {
            throw new IllegalArgumentException("topic prefix must be non-empty levels without wildcards: '"
                    + prefix + "'");
        }
        checkId("device id", device);
        return new DeviceTopics(prefix, device);
    }

    /** @throws IllegalArgumentException unless {@code id} is 1-64 of {@code [A-Za-z0-9_-]} */
    static String checkId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " must be 1-64 of [A-Za-z0-9_-]: '" + id + "'");
        }
        return id;
    }

    /** @return the topic prefix */
    public String prefix() {
        return prefix;
    }

    /** @return the device id */
    public String device() {
        return device;
    }

    /** @return {@code <prefix>/<device>/<object>/state} */
    public String state(String object) {
        return objectTopic(object, "state");
    }

    /** @return {@code <prefix>/<device>/<object>/set}, where commands for an output arrive */
    public String command(String object) {
        return objectTopic(object, "set");
    }

    /** @return {@code <prefix>/<device>/<object>/event}, where an input's edges are published (not retained) */
    public String event(String object) {
        return objectTopic(object, "event");
    }

    /** @return {@code <prefix>/<device>/availability} */
    public String availability() {
        return prefix + '/' + device + "/availability";
    }

    /**
     * Sets the client's Will to {@code offline} on the availability topic (QoS 1, retained), so the broker
     * marks the device offline when it vanishes without a clean shutdown.
     *
     * @return {@code builder}
     */
    public MqttClientBuilder will(MqttClientBuilder builder) {
        return builder.will(availability(), OFFLINE.getBytes(StandardCharsets.UTF_8), 1, true);
    }

    Topic stateTopic(String object) {
        return Topic.of(state(object));
    }

    private String objectTopic(String object, String leaf) {
        return prefix + '/' + device + '/' + checkId("object id", object) + '/' + leaf;
    }

    @Override
    public String toString() {
        return prefix + '/' + device;
    }
}
