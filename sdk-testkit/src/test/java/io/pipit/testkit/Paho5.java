package io.pipit.testkit;

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

/** An Eclipse Paho v5 client that queues what it receives, for interop tests. One test thread. */
final class Paho5 implements AutoCloseable {
    /** A message as Paho delivered it. */
    static final class Received {
        final String topic;
        final MqttMessage message;

        Received(String topic, MqttMessage message) {
            this.topic = topic;
            this.message = message;
        }

        String text() {
            return new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return topic + " " + text();
        }
    }

    final MqttClient client;
    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();

    Paho5(MockBroker broker, String clientId) throws MqttException {
        client = new MqttClient(broker.uri(), clientId, new MemoryPersistence());
        client.setTimeToWait(5000);
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnects.add(response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                disconnects.add(new MqttDisconnectResponse(exception));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                messages.add(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
    }

    static Paho5 connect(MockBroker broker, String clientId) throws MqttException {
        return connect(broker, clientId, new MqttConnectionOptions());
    }

    static Paho5 connect(MockBroker broker, String clientId, MqttConnectionOptions options) throws MqttException {
        Paho5 p = new Paho5(broker, clientId);
        p.client.connect(options);
        return p;
    }

    /**
     * Like {@link #connect(MockBroker, String, MqttConnectionOptions)}, trying again every 20 ms while the connect
     * fails (e.g. a broker in its restart downtime), until {@code timeout}; then the last failure is thrown.
     */
    static Paho5 connectRetrying(MockBroker broker, String clientId, MqttConnectionOptions options,
            java.time.Duration timeout) throws MqttException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Paho5 p = new Paho5(broker, clientId);
            try {
                p.client.connect(options);
                return p;
            } catch (MqttException e) {
                p.client.close(true);
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    Received next() throws InterruptedException {
        Received r = messages.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no message arrived at Paho client " + client.getClientId() + " within 5 s");
        }
        return r;
    }

    /** @return the next message within {@code millis}, or null */
    Received poll(long millis) throws InterruptedException {
        return messages.poll(millis, TimeUnit.MILLISECONDS);
    }

    MqttDisconnectResponse awaitDisconnect() throws InterruptedException {
        MqttDisconnectResponse r = disconnects.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("Paho client " + client.getClientId() + " was not disconnected within 5 s");
        }
        return r;
    }

    void publish(String topic, String payload, int qos, boolean retain) throws MqttException {
        client.publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, retain);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close(true);
    }
}
