package io.pipit.bench.e2e;

/**
 * A publisher and a subscriber of one MQTT client library in this JVM, connected to one broker and one topic,
 * as the comparison drives them: the same calls for pipit, Eclipse Paho and the HiveMQ client, so every library
 * runs the same scenario. Each implementation bounds the publishes in flight with a window (the library's own,
 * or a permit per publish released on completion), so a fast publisher cannot queue without limit.
 *
 * <p>Thread-safety: {@link #connect}, {@link #publish} and {@link #close} on one thread; the counters are read
 * from any thread. The {@link Sink} is called on the library's receiving thread.
 */
interface ClientPair extends AutoCloseable {
    /** How long {@link #publish} waits for room in a full window before giving up. */
    long WINDOW_WAIT_MS = 100;

    /** The benchmark topic every pair publishes to and subscribes to. */
    String TOPIC = "bench/compare";

    /** Where the subscriber hands each received payload, on the library's receiving thread. */
    interface Sink {
        /** One payload, read from {@code offset} for {@code length} bytes of {@code buffer} by absolute index. */
        void received(java.nio.ByteBuffer buffer, int offset, int length, long nowNs);

        /** One payload a library hands over as an array. */
        void received(byte[] payload, long nowNs);
    }

    /** @return the library's name as the results print it */
    String name();

    /**
     * @return names of the library's threads whose allocation and CPU a run reports one by one beside the publishing
     *     thread (all threads are counted in the total either way); empty by default
     */
    default java.util.List<String> meteredThreads() {
        return java.util.List.of();
    }

    /**
     * Connects the subscriber (subscribed to {@link #TOPIC} at {@code qos}, granted exactly that) and then the
     * publisher, both with a clean start.
     *
     * @throws Exception whatever the library throws when it cannot connect or subscribe in 10 s
     */
    void connect(String host, int port, int qos, Sink sink) throws Exception;

    /**
     * Publishes {@code payload} to {@link #TOPIC} at the connected QoS. A library that keeps a reference to the
     * array until it is written gets a copy, as an application would hand it a fresh message. When the window is
     * full, the calling thread sleeps up to {@link #WINDOW_WAIT_MS} for room (on a semaphore released by
     * completions, or the library's own blocking publish), so no library's publisher spins and steals the CPU its
     * I/O threads and the broker need.
     *
     * @return false when the window stayed full: nothing was published, call again
     * @throws Exception whatever the library throws for a failed publish
     */
    boolean publish(byte[] payload) throws Exception;

    /**
     * @return the publisher's completions so far (written at QoS 0, acknowledged at QoS 1 and 2), failures
     *     included
     */
    PublishCompletions completions();

    /** Disconnects and releases both clients. */
    @Override
    void close() throws Exception;
}
