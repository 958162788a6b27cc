package io.pipit.bench.e2e;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ MQTT client 1.3.10: two {@code Mqtt5AsyncClient}s; a publish completes when its future does, which
 * frees its place in the window. Thread-safety as {@link ClientPair}.
 */
final class HiveMqPair implements ClientPair {
    private static final long TIMEOUT_S = 10;

    private final PairCounters counters = new PairCounters();
    private Mqtt5AsyncClient subscriber;
    private Mqtt5AsyncClient publisher;
    private MqttQos qos;

    @Override
    public String name() {
        return "hivemq";
    }

    @Override
    public void connect(String host, int port, int qos, Sink sink)
            throws InterruptedException, ExecutionException, TimeoutException {
        this.qos = MqttQos.fromCode(qos);
        subscriber = client(host, port, "compare-hivemq-sub");
        subscriber.connectWith().cleanStart(true).send().get(TIMEOUT_S, TimeUnit.SECONDS);
        Mqtt5SubAck ack = subscriber.subscribeWith().topicFilter(TOPIC).qos(this.qos)
                .callback(publish -> {
                    ByteBuffer payload = publish.getPayload().orElse(ByteBuffer.allocate(0));
                    sink.received(payload, payload.position(), payload.remaining(), System.nanoTime());
                })
                .send().get(TIMEOUT_S, TimeUnit.SECONDS);
        List<Mqtt5SubAckReasonCode> codes = ack.getReasonCodes();
        if (codes.size() != 1 || codes.get(0).getCode() != qos) {
            throw new IllegalStateException("hivemq: the broker granted " + codes + " for " + TOPIC + ", not QoS "
                    + qos);
        }
        publisher = client(host, port, "compare-hivemq-pub");
        publisher.connectWith().cleanStart(true).send().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static Mqtt5AsyncClient client(String host, int port, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost(host).serverPort(port).buildAsync();
    }

    @Override
    public boolean publish(byte[] payload) throws InterruptedException {
        if (!counters.tryStart()) {
            return false;
        }
        publisher.publishWith().topic(TOPIC).qos(qos).payload(payload.clone()).send()
                .whenComplete((result, failure) -> counters.completed(failure != null
                        || result.getError().isPresent()));
        return true;
    }

    @Override
    public PublishCompletions completions() {
        return counters.completions();
    }

    @Override
    public void close() throws InterruptedException, ExecutionException, TimeoutException {
        for (Mqtt5AsyncClient client : new Mqtt5AsyncClient[] {publisher, subscriber}) {
            if (client != null && client.getState().isConnected()) {
                client.disconnect().get(TIMEOUT_S, TimeUnit.SECONDS);
            }
        }
    }
}
