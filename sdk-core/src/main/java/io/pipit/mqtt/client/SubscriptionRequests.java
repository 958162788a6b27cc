package io.pipit.mqtt.client;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.SubackView;
import io.pipit.mqtt.codec.SubscribeEncoder;
import io.pipit.mqtt.codec.TopicNames;
import io.pipit.mqtt.codec.Utf8;
import io.pipit.mqtt.driver.ClientConnection;
import io.pipit.mqtt.driver.Driver;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * SUBSCRIBE and UNSUBSCRIBE as futures: each request runs on the I/O thread, which records the future under the
 * packet's identifier and completes it from the SUBACK or UNSUBACK, or fails it when the connection it was written
 * to is lost (see {@link #connectionLost}). Allocates (set-up work, not the message path). Thread-safety:
 * {@link #send} from any thread; the rest on the I/O thread.
 */
final class SubscriptionRequests {
    private final ClientConnection connection;
    private final Driver driver;
    private final Map<Integer, MqttFuture<Integer>> pending = new HashMap<>();

    /** Sends one request packet on the I/O thread (java.util.function is Android API 24+). */
    interface Request {
        /** @return the packet's Packet Identifier, or 0 when none was free */
        int send();
    }

    SubscriptionRequests(ClientConnection connection, Driver driver) {
        this.connection = connection;
        this.driver = driver;
    }

    /**
     * @param request runs on the I/O thread
     * @return completes with the first reason code of the acknowledgement
     */
    MqttFuture<Integer> send(Request request) {
        MqttFuture<Integer> future = new MqttFuture<>(driver);
        connection.execute(() -> {
            int packetId;
            try {
                packetId = request.send();
            } catch (IllegalArgumentException e) {
                // the caller's checks should have refused it already; an I/O thread that threw would stop the client
                future.fail(new MqttException(MqttException.NO_REASON_CODE, "request refused: " + e.getMessage()));
                return;
            }
            if (packetId == 0) {
                future.fail(new MqttException(ReasonCode.PACKET_IDENTIFIER_IN_USE,
                        "all 65,535 Packet Identifiers are in use"));
            } else {
                pending.put(packetId, future);
            }
        });
        driver.signal();
        return future;
    }

    /** A SUBACK or UNSUBACK arrived for {@code packetId}. */
    void onAck(int packetId, SubackView ack) {
        MqttFuture<Integer> future = pending.remove(packetId);
        if (future != null) {
            future.complete(ack.reasonCodeCount() > 0 ? ack.reasonCode(0) : ReasonCode.SUCCESS);
        }
    }

    /**
     * The connection is gone: no acknowledgement will come on it for the requests written to it, so those fail.
     * A request not yet written (made before the connection had its CONNACK, e.g. {@code subscribe} before
     * {@code connect}, or during the fallback to MQTT 3.1.1) is not lost: when another connection follows, the
     * engine writes it there and its future completes from that SUBACK. With no connection to follow, all fail.
     */
    void connectionLost(int reasonCode, String detail, boolean willRetry) {
        Iterator<Map.Entry<Integer, MqttFuture<Integer>>> requests = pending.entrySet().iterator();
        while (requests.hasNext()) {
            Map.Entry<Integer, MqttFuture<Integer>> request = requests.next();
            if (!willRetry || !connection.engine().isRequestPending(request.getKey())) {
                request.getValue().fail(new MqttException(reasonCode, "connection lost: " + detail));
                requests.remove();
            }
        }
    }

    /**
     * @return the Subscription Options byte for {@code filter}, checked on the caller's thread like the filter: No
     *     Local on a shared subscription is a Protocol Error (MQTT-3.8.3-4), refused whatever the protocol version
     *     turns out to be, since the option means nothing there
     * @throws IllegalArgumentException for No Local on a {@code $share/} filter, or Retain Handling outside 0..2
     */
    static int checkedOptions(byte[] filter, QoS qos, boolean noLocal, boolean retainAsPublished,
            int retainHandling) {
        if (noLocal && TopicNames.isSharedSubscription(filter, 0, filter.length)) {
            throw new IllegalArgumentException("No Local must not be set on a shared subscription ("
                    + Utf8.decode(java.nio.ByteBuffer.wrap(filter), 0, filter.length)
                    + "): a Protocol Error by MQTT-3.8.3-4");
        }
        return SubscribeEncoder.options(qos.value(), noLocal, retainAsPublished, retainHandling);
    }

    /** @return {@code filter} as UTF-8, once checked against the topic filter rules */
    static byte[] checkedFilter(String filter) {
        byte[] bytes = Utf8.encode(filter, "topic filter");
        int problem = TopicNames.checkTopicFilter(bytes, 0, bytes.length);
        if (problem != TopicNames.VALID) {
            throw new IllegalArgumentException("invalid topic filter '" + filter + "': "
                    + TopicNames.describe(problem));
        }
        return bytes;
    }
}
