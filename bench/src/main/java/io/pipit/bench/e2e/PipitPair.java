package io.pipit.bench.e2e;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.transport.TlsOptions;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * pipit: two {@link MqttClient}s, each on its own I/O thread ({@code pipit-io-ID-sub}, {@code pipit-io-ID-pub}),
 * publishing with a pre-encoded {@link Topic} from the caller's array (pipit copies the bytes into its queue during
 * {@code publish}, so no copy is made here). The window is pipit's own outbound queue: the waiting {@code publish}
 * sleeps while it is full. Thread-safety as {@link ClientPair}.
 */
final class PipitPair implements ClientPair {
    private final String idPrefix;
    private final String topicName;
    private final Topic topic;
    /** TLS settings for an mqtts:// broker, or null for plaintext. */
    private final TlsOptions tls;
    private final int maxInflight;
    private final PublishCompletions completions = new PublishCompletions();
    private MqttClient subscriber;
    private MqttClient publisher;
    private QoS qos;

    /** The comparison's pair: plaintext, default window, topic {@link ClientPair#TOPIC}. */
    PipitPair() {
        this("compare-pipit", TOPIC, null, 0);
    }

    /**
     * @param idPrefix client ids are {@code idPrefix-sub} and {@code idPrefix-pub}
     * @param tls TLS settings for an mqtts:// broker, or null for plaintext
     * @param maxInflight the publisher's in-flight window, or 0 for the client's default
     */
    PipitPair(String idPrefix, String topicName, TlsOptions tls, int maxInflight) {
        this.idPrefix = idPrefix;
        this.topicName = topicName;
        this.topic = Topic.of(topicName);
        this.tls = tls;
        this.maxInflight = maxInflight;
    }

    @Override
    public String name() {
        return "pipit";
    }

    /** The two I/O threads, so a run counts what they allocate beside the publishing thread. */
    @Override
    public List<String> meteredThreads() {
        return List.of("pipit-io-" + idPrefix + "-pub", "pipit-io-" + idPrefix + "-sub");
    }

    @Override
    public void connect(String host, int port, int qos, Sink sink)
            throws MqttException, InterruptedException, ExecutionException, TimeoutException {
        this.qos = QoS.of(qos);
        subscriber = builder(host, port).clientId(idPrefix + "-sub").build();
        subscriber.connect();
        int granted = subscriber.subscribe(topicName, this.qos, message -> sink.received(message.payloadBuffer(),
                message.payloadOffset(), message.payloadLength(), System.nanoTime())).get(10, TimeUnit.SECONDS);
        if (granted != qos) {
            throw new IllegalStateException("pipit: the broker granted " + granted + " (SUBACK reason code) for "
                    + topicName + ", not QoS " + qos);
        }
        MqttClientBuilder publisherBuilder = builder(host, port).clientId(idPrefix + "-pub").publishListener(completions);
        if (maxInflight > 0) {
            publisherBuilder.maxInflight(maxInflight);
        }
        publisher = publisherBuilder.build();
        publisher.connect();
    }

    private MqttClientBuilder builder(String host, int port) {
        MqttClientBuilder builder = MqttClient.builder().server((tls == null ? "mqtt://" : "mqtts://") + host + ":" + port);
        return tls == null ? builder : builder.tls(tls);
    }

    @Override
    public boolean publish(byte[] payload) throws InterruptedException {
        return publisher.publish(topic, payload, 0, payload.length, qos, false, null, WINDOW_WAIT_MS,
                TimeUnit.MILLISECONDS) >= 0;
    }

    @Override
    public PublishCompletions completions() {
        return completions;
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
