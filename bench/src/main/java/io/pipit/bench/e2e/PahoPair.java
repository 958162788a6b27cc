package io.pipit.bench.e2e;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Eclipse Paho v5 1.2.5: two {@code MqttAsyncClient}s with in-memory persistence. A publish whose window is full
 * in Paho itself (reason 32202, "too many publishes in progress") counts as refused, like a full window here.
 * Thread-safety as {@link ClientPair}.
 */
final class PahoPair implements ClientPair {
    private static final long TIMEOUT_MS = 10_000;
    /**
     * Paho 1.2.5 logs every inbound PUBREL at INFO through java.util.logging; that would measure the console, not
     * the client. Held here so the level is not lost with a collected logger.
     */
    private static final java.util.logging.Logger PAHO_LOG = quiet("org.eclipse.paho.mqttv5");

    private final PairCounters counters = new PairCounters();
    private final MqttActionListener completion = new Completion();
    private MqttAsyncClient subscriber;
    private MqttAsyncClient publisher;
    private int qos;

    @Override
    public String name() {
        return "paho";
    }

    @Override
    public void connect(String host, int port, int qos, Sink sink) throws MqttException {
        this.qos = qos;
        String uri = "tcp://" + host + ":" + port;
        subscriber = new MqttAsyncClient(uri, "compare-paho-sub", new MemoryPersistence());
        subscriber.setCallback(new Receiver(sink));
        subscriber.connect(options()).waitForCompletion(TIMEOUT_MS);
        IMqttToken subscribed = subscriber.subscribe(TOPIC, qos);
        subscribed.waitForCompletion(TIMEOUT_MS);
        int[] granted = subscribed.getGrantedQos();
        if (granted == null || granted.length != 1 || granted[0] != qos) {
            throw new IllegalStateException("paho: the broker granted " + java.util.Arrays.toString(granted)
                    + " for " + TOPIC + ", not QoS " + qos);
        }
        publisher = new MqttAsyncClient(uri, "compare-paho-pub", new MemoryPersistence());
        publisher.connect(options()).waitForCompletion(TIMEOUT_MS);
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        return options;
    }

    @Override
    public boolean publish(byte[] payload) throws MqttException, InterruptedException {
        if (!counters.tryStart()) {
            return false;
        }
        try {
            publisher.publish(TOPIC, payload.clone(), qos, false, null, completion);
            return true;
        } catch (MqttException e) {
            counters.completed(false); // give the permit back: nothing was published
            if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public PublishCompletions completions() {
        return counters.completions();
    }

    @Override
    public void close() throws MqttException {
        for (MqttAsyncClient client : new MqttAsyncClient[] {publisher, subscriber}) {
            if (client != null) {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(TIMEOUT_MS);
                }
                client.close();
            }
        }
    }

    /** Counts completed publishes on Paho's callback thread. */
    private final class Completion implements MqttActionListener {
        @Override
        public void onSuccess(IMqttToken token) {
            counters.completed(false);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            counters.completed(true);
        }
    }

    /** Hands received payloads to the sink on Paho's callback thread. */
    private static final class Receiver implements MqttCallback {
        private final Sink sink;

        Receiver(Sink sink) {
            this.sink = sink;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            sink.received(message.getPayload(), System.nanoTime());
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            // the run notices missing messages; nothing to do here
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            throw new IllegalStateException("paho subscriber: " + exception.getMessage(), exception);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // the subscriber publishes nothing
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // connect() waits on its token instead
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication in the benchmark
        }
    }
}
