package io.pipit.bench.scale;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Eclipse Paho v5 1.2.5 devices: one {@code MqttAsyncClient} with in-memory persistence each (Paho starts its
 * own threads per client). Thread-safety as {@link Fleet}.
 */
final class PahoFleet implements Fleet {
    /** Paho logs every PUBREL at INFO; held so the level is not lost with a collected logger. */
    private static final Logger PAHO_LOG = Logger.getLogger("org.eclipse.paho.mqttv5");

    private final MqttAsyncClient[] clients;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final MqttActionListener completion = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            completed.incrementAndGet();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            errors.incrementAndGet();
            completed.incrementAndGet();
        }
    };

    PahoFleet(int devices) {
        PAHO_LOG.setLevel(Level.WARNING);
        this.clients = new MqttAsyncClient[devices];
    }

    @Override
    public String name() {
        return "paho";
    }

    @Override
    public void connect(int index, String host, int port) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("tcp://" + host + ":" + port, "scale-" + index,
                new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setKeepAliveInterval(60);
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(30_000);
        clients[index] = client;
    }

    @Override
    public boolean publish(int index, byte[] payload) throws MqttException {
        clients[index].publish(TOPIC, payload, 1, false, null, completion);
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
