package io.pipit.bench.e2e;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * pipit: two {@link MqttClient}s, each on its own I/O thread, publishing with a pre-encoded {@link Topic} from the
 * caller's array (pipit copies the bytes into its queue during {@code publish}, so no copy is made here). The window
 * is pipit's own outbound queue: {@code publish} returns -1 when it is full. Thread-safety as {@link ClientPair}.
 */
final class PipitPair implements ClientPair {
    private final Topic topic = Topic.of(TOPIC);
    private final PublishCompletions completions = new PublishCompletions();
    private MqttClient subscriber;
    private MqttClient publisher;
    private QoS qos;

    @Override
    public String name() {
        return "pipit";
    }

    @Override
    public void connect(String host, int port, int qos, Sink sink)
            throws MqttException, InterruptedException, ExecutionException, TimeoutException {
        this.qos = QoS.of(qos);
        String uri = "mqtt://" + host + ":" + port;
        subscriber = MqttClient.builder().server(uri).clientId("compare-pipit-sub").build();
        subscriber.connect();
        int granted = subscriber.subscribe(TOPIC, this.qos, message -> sink.received(message.payloadBuffer(),
                message.payloadOffset(), message.payloadLength(), System.nanoTime())).get(10, TimeUnit.SECONDS);
        if (granted != qos) {
            throw new IllegalStateException("pipit: the broker granted " + granted + " for " + TOPIC + ", not QoS "
                    + qos);
        }
        publisher = MqttClient.builder().server(uri).clientId("compare-pipit-pub")
                .publishListener(completions).build();
        publisher.connect();
    }

    @Override
    public boolean publish(byte[] payload) {
        return publisher.publish(topic, payload, 0, payload.length, qos) >= 0;
    }

    @Override
    public long completedCount() {
        return completions.completedCount();
    }

    @Override
    public long errorCount() {
        return completions.errorCount();
    }

    @Override
    public long lastCompletionNs() {
        return completions.lastCompletionNs();
    }

    @Override
    public void close() throws MqttException {
        for (MqttClient client : new MqttClient[] {publisher, subscriber}) {
            if (client != null) {
                client.close();
            }
        }
    }
}
