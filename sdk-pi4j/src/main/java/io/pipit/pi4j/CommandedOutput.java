package io.pipit.pi4j;

import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;

/**
 * What the {@link TelemetryPublisher} needs of an output driven by its {@code .../set} topic. Commands arrive on
 * the client's I/O thread; {@link #release} runs on the thread shutting the publisher down.
 */
interface CommandedOutput extends MessageListener {
    /** @return the object id */
    String id();

    /** Prepares the state topic and publishes the current state. */
    void attach(MqttClient client, DeviceTopics topics, QoS qos);

    /** Puts the hardware in its safe state (off) and reports it. */
    void release();

    /** @return commands refused as unreadable or failed on the hardware */
    long rejectedCount();
}
