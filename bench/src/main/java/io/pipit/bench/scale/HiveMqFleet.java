package io.pipit.bench.scale;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HiveMQ client 1.3.10 devices: one {@code Mqtt5AsyncClient} each, all on the library's shared Netty event loops.
 * Thread-safety as {@link Fleet}.
 */
final class HiveMqFleet implements Fleet {
    private final Mqtt5AsyncClient[] clients;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    HiveMqFleet(int devices) {
        this.clients = new Mqtt5AsyncClient[devices];
    }

    @Override
    public String name() {
        return "hivemq";
    }

    @Override
    public void connect(int index, String host, int port)
            throws InterruptedException, ExecutionException, TimeoutException {
        Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier("scale-" + index)
                .serverHost(host).serverPort(port).buildAsync();
        client.connectWith().cleanStart(true).keepAlive(60).send().get(30, TimeUnit.SECONDS);
        clients[index] = client;
    }

    @Override
    public boolean publish(int index, byte[] payload) {
        clients[index].publishWith().topic(TOPIC).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                .whenComplete((result, failure) -> {
                    if (failure != null || result.getError().isPresent()) {
                        errors.incrementAndGet();
                    }
                    completed.incrementAndGet();
                });
        return true;
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
