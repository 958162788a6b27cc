package io.pipit.mqtt.client;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.BinaryView;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.driver.Driver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MQTT 5 request/response (spec 4.10) for {@link MqttClient#request}: sends a request carrying a Response
 * Topic and a Correlation Data unique to it, and completes the request's future with the payload of the
 * response whose Correlation Data matches. One subscription per response topic serves every request.
 * Thread-safe. Convenience on top of the zero-allocation calls: it allocates per request.
 */
final class Requester {
    private final MqttClient client;
    private final Driver driver;
    private final ConcurrentHashMap<String, Boolean> subscribed = new ConcurrentHashMap<>();
    private final Map<Long, MqttFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextCorrelation = new AtomicLong(1);

    Requester(MqttClient client, Driver driver) {
        this.client = client;
        this.driver = driver;
    }

    MqttFuture<byte[]> request(Topic topic, byte[] payload, QoS qos, String responseTopic) throws MqttException {
        if (subscribed.putIfAbsent(responseTopic, Boolean.TRUE) == null) {
            client.subscribe(responseTopic, QoS.AT_LEAST_ONCE, this::onResponse);
        }
        long correlation = nextCorrelation.getAndIncrement();
        MqttFuture<byte[]> future = new MqttFuture<>(driver);
        pending.put(correlation, future);
        MqttProperties properties = new MqttProperties().string(Property.RESPONSE_TOPIC, responseTopic)
                .put(Property.CORRELATION_DATA, toBytes(correlation));
        if (client.publish(topic, payload, 0, payload.length, qos, false, properties) < 0) {
            pending.remove(correlation);
            throw new MqttException(MqttException.NO_REASON_CODE, "the outbound queue is full");
        }
        return future;
    }

    private void onResponse(Message message) {
        BinaryView correlation = message.properties().binary(Property.CORRELATION_DATA);
        if (correlation.length() != 8) {
            return; // not a response to one of ours
        }
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = id << 8 | (correlation.byteAt(i) & 0xFF);
        }
        MqttFuture<byte[]> future = pending.remove(id);
        if (future != null) {
            byte[] payload = new byte[message.payloadLength()];
            message.copyPayload(payload, 0);
            future.complete(payload);
        }
    }

    private static byte[] toBytes(long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (56 - 8 * i));
        }
        return bytes;
    }
}
