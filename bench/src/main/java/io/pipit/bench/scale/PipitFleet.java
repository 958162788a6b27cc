package io.pipit.bench.scale;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.PublishListener;
import io.pipit.mqtt.driver.EventLoop;
import io.pipit.mqtt.queue.MemoryQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * pipit devices, all on one {@link EventLoop} (one selector thread for the whole fleet), each sized for small
 * telemetry: Maximum Packet Size {@value #MAX_PACKET} bytes (the builder's floor; it sizes the receive and send
 * buffers) and a {@value #QUEUE_BYTES}-byte {@link MemoryQueue} of at most {@value #QUEUE_RECORDS} messages.
 * Thread-safety as {@link Fleet}.
 */
final class PipitFleet implements Fleet {
    static final int MAX_PACKET = 1024;
    static final int QUEUE_BYTES = 2048;
    static final int QUEUE_RECORDS = 16;

    private final EventLoop loop;
    private final MqttClient[] clients;
    private final Topic topic = Topic.of(TOPIC);
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final PublishListener completions = (sequence, reasonCode) -> {
        if (reasonCode >= ReasonCode.UNSPECIFIED_ERROR) {
            errors.incrementAndGet();
        }
        completed.incrementAndGet();
    };

    /** @throws UncheckedIOException when the loop's selector cannot open */
    PipitFleet(int devices) {
        try {
            this.loop = new EventLoop("pipit-scale-loop");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the EventLoop's selector", e);
        }
        this.clients = new MqttClient[devices];
    }

    @Override
    public String name() {
        return "pipit";
    }

    @Override
    public void connect(int index, String host, int port) throws MqttException {
        clients[index] = MqttClient.builder().server("mqtt://" + host + ":" + port).clientId("scale-" + index)
                .eventLoop(loop).keepAlive(60, TimeUnit.SECONDS).maximumPacketSize(MAX_PACKET)
                .queue(new MemoryQueue(QUEUE_BYTES, QUEUE_RECORDS)).publishListener(completions).build();
        clients[index].connect();
    }

    @Override
    public boolean publish(int index, byte[] payload) {
        return clients[index].publish(topic, payload, 0, payload.length, QoS.AT_LEAST_ONCE) >= 0;
    }

    @Override
    public long completedCount() {
        return completed.get();
    }

    @Override
    public long errorCount() {
        return errors.get();
    }
}
