package io.pipit.bench.scale;

/**
 * Many device connections of one MQTT client library, as the scale test drives them: connect device by device,
 * publish QoS 1 from any device, count completions. Thread-safety: {@link #connect} and {@link #publish} on one
 * thread; the counters from any thread.
 */
interface Fleet {
    /** The topic every device publishes its telemetry to (one shared topic: its bytes are not per device). */
    String TOPIC = "scale/telemetry";

    /** @return the library's name as the results print it */
    String name();

    /**
     * Connects device {@code index} (client id {@code scale-<index>}, clean start, keepalive 60 s) and waits for
     * its CONNACK.
     *
     * @throws Exception whatever the library throws when the device cannot connect in 30 s
     */
    void connect(int index, String host, int port) throws Exception;

    /**
     * Publishes {@code payload} at QoS 1 from device {@code index}; the array's content never changes, so no
     * library needs a copy.
     *
     * @return false when the device's window or queue is full (the publish is skipped and counted by the caller)
     */
    boolean publish(int index, byte[] payload) throws Exception;

    /** @return publishes acknowledged (PUBACK) or failed so far */
    long completedCount();

    /** @return publishes completed with an error */
    long errorCount();
}
