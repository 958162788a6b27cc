package io.pipit.mqtt.testing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * An Eclipse Paho MQTT 5 client that records what arrives, so the fixtures' self-tests can prove a broker
 * really routes messages. (Paho is the reference peer here, not a model: see STYLE.md.)
 *
 * <p><b>Thread-safety:</b> Paho calls {@link #messageArrived} on its own callback thread; the received queue
 * is thread-safe, the rest is used from the test thread only.
 */
final class PahoProbe implements MqttCallback, AutoCloseable {
    private static final long TIMEOUT_S = 10;

    private final MqttClient client;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    PahoProbe(String serverUri, String clientId) throws MqttException {
        this.client = new MqttClient(serverUri, clientId, new MemoryPersistence());
        client.setCallback(this);
    }

    /** Connects with a clean start and no session kept. */
    PahoProbe connect() throws MqttException {
        return connect(true, 0);
    }

    /** Connects; a session expiry above 0 keeps the session (and queued QoS 1 messages) after disconnect. */
    PahoProbe connect(boolean cleanStart, long sessionExpirySeconds) throws MqttException {
        final MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(sessionExpirySeconds);
        options.setConnectionTimeout((int) TIMEOUT_S);
        client.connect(options);
        return this;
    }

    PahoProbe subscribe(String topicFilter, int qos) throws MqttException {
        client.subscribe(topicFilter, qos);
        return this;
    }

    PahoProbe publish(String topic, String payload, int qos) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
        return this;
    }

    /** @return the next payload received, or null after 10 s */
    String awaitMessage() throws InterruptedException {
        return received.poll(TIMEOUT_S, TimeUnit.SECONDS);
    }

    void disconnect() throws MqttException {
        client.disconnect();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        // The tests assert on messages; a disconnect shows up as a missing one.
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        // Paho reports the same failure to the blocking call the test made, which throws it.
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // Publishing is synchronous here (MqttClient blocks until the ack): nothing to track.
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        // connect() blocks until CONNACK: nothing to track.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // No enhanced authentication in the fixtures' self-tests.
    }
}
