package io.pipit.pi4j;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A pipit client that records every message on its filters, with bounded waits. Thread-safe. */
final class Subscriber implements AutoCloseable {
    /** One received message, copied out of the client's view. */
    static final class Received {
        final String topic;
        final String payload;
        final boolean retain;

        Received(String topic, String payload, boolean retain) {
            this.topic = topic;
            this.payload = payload;
            this.retain = retain;
        }

        @Override
        public String toString() {
            return topic + (retain ? " (retained)" : "") + ": " + payload;
        }
    }

    private final MqttClient client;
    private final List<Received> received = new ArrayList<>();

    Subscriber(String uri, String... filters) throws Exception {
        client = MqttClient.builder().server(uri).clientId("subscriber").build();
        client.connect();
        for (String filter : filters) {
            client.subscribe(filter, QoS.AT_LEAST_ONCE, message -> record(
                    new Received(message.topic().toString(), message.payloadAsString(), message.retain())))
                    .get(5, TimeUnit.SECONDS);
        }
    }

    private synchronized void record(Received message) {
        received.add(message);
        notifyAll();
    }

    /** @return the first {@code count} messages on {@code topic}, waiting up to 10 s for them */
    synchronized List<Received> await(String topic, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<Received> matching = new ArrayList<>();
            for (Received message : received) {
                if (message.topic.equals(topic)) {
                    matching.add(message);
                }
            }
            if (matching.size() >= count) {
                return matching.subList(0, count);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(count + " message(s) on " + topic + " expected; received: " + received);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
