package io.pipit.mqtt.client;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.SubackView;
import io.pipit.mqtt.driver.ConnectionEvents;
import io.pipit.mqtt.engine.Engine;
import io.pipit.mqtt.queue.OutboundQueue;

/**
 * What a client knows of its connection, kept current from the engine's events on the I/O thread and read by the
 * application's threads: connected or not, the protocol version, what the server announced in its CONNACK. It
 * also passes each event on: to the queue (online or not), the pending connect future, pending subscription
 * requests, the publish staging (the server's limits) and the application's listeners. Thread-safe: events on the
 * I/O thread, reads from any thread.
 */
final class SessionState implements ConnectionEvents {
    private final OutboundQueue queue;
    private final PublishStaging staging;
    private final ConnectionListener connectionListener;
    private final PublishListener publishListener;
    private Engine engine;
    private SubscriptionRequests requests;
    private volatile ProtocolVersion version;
    private volatile boolean connected;
    private volatile String responseInformation;
    private volatile ServerCapabilities serverCapabilities = ServerCapabilities.NONE;
    private volatile MqttFuture<Void> connecting;
    /** Why the last attempt of a connect still being retried failed, or null. */
    private volatile MqttException lastAttemptFailure;

    SessionState(ProtocolVersion version, OutboundQueue queue, PublishStaging staging,
            ConnectionListener connectionListener, PublishListener publishListener) {
        this.version = version;
        this.queue = queue;
        this.staging = staging;
        this.connectionListener = connectionListener;
        this.publishListener = publishListener;
    }

    /** Completes construction: the engine and requests exist only once the connection that reports to us does. */
    void attach(Engine connectionEngine, SubscriptionRequests subscriptionRequests) {
        this.engine = connectionEngine;
        this.requests = subscriptionRequests;
    }

    /** The next CONNACK completes {@code future}; a failure without a retry fails it. */
    void connecting(MqttFuture<Void> future) {
        lastAttemptFailure = null;
        connecting = future;
    }

    /**
     * @param timedOut how waiting for {@code future} ended
     * @return what {@code connect()} throws when its wait ended before {@code future} did: while the attempts go on
     *     ({@code retryFirstConnect}), the last one's reason code and detail, rather than a bare timeout
     */
    MqttException connectFailure(MqttFuture<Void> future, MqttException timedOut, long waitedMs) {
        MqttException last = lastAttemptFailure;
        if (future.isDone() || last == null) {
            return timedOut;
        }
        return new MqttException(last.reasonCode(), "not connected within " + waitedMs + " ms (still retrying until"
                + " close()); last attempt: " + last.getMessage());
    }

    ProtocolVersion version() {
        return version;
    }

    boolean isConnected() {
        return connected;
    }

    String responseInformation() {
        return responseInformation;
    }

    ServerCapabilities serverCapabilities() {
        return serverCapabilities;
    }

    @Override
    public void onConnected(ConnackView connack) {
        version = engine.version();
        staging.serverLimits((int) connack.properties().number(Property.MAXIMUM_QOS, 2),
                connack.properties().number(Property.RETAIN_AVAILABLE, 1) == 1);
        serverCapabilities = ServerCapabilities.of(connack.properties());
        responseInformation = connack.properties().has(Property.RESPONSE_INFORMATION)
                ? connack.properties().string(Property.RESPONSE_INFORMATION).toString() : null;
        connected = true;
        queue.connected(true);
        connectionListener.onConnected(connack.sessionPresent());
        MqttFuture<Void> future = connecting;
        if (future != null) {
            future.complete(null);
        }
    }

    @Override
    public void onConnectionLost(int reasonCode, String detail, boolean willRetry) {
        connected = false;
        queue.connected(false);
        MqttFuture<Void> future = connecting;
        if (future != null && !future.isDone()) {
            MqttException failure = new MqttException(reasonCode, "connection failed: " + detail);
            if (willRetry) {
                lastAttemptFailure = failure; // a failed attempt of a connect being retried (or a 3.1.1 fallback)
            } else {
                future.fail(failure);
            }
        }
        requests.connectionLost(reasonCode, detail, willRetry);
        connectionListener.onDisconnected(reasonCode, detail, willRetry);
    }

    @Override
    public void onStopped() {
        MqttFuture<Void> future = connecting;
        if (future != null) {
            future.fail(new MqttException(MqttException.NO_REASON_CODE, "the client was closed before it connected"));
        }
    }

    @Override
    public void onPublishCompleted(long sequence, int reasonCode) {
        publishListener.onPublishCompleted(sequence, reasonCode);
    }

    @Override
    public void onSubscriptionAck(int packetId, SubackView ack) {
        requests.onAck(packetId, ack);
    }
}
