package io.pipit.mqtt.engine;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.Utf8View;

/**
 * What a CONNACK decides: a refusal ends the connection (or, for a 5.0 CONNECT a 3.1.1 server refused, falls
 * back through {@link VersionFallback}); an acceptance makes it {@link Engine#CONNECTED} and adopts what the
 * server said of itself: its Receive Maximum, Maximum Packet Size and Topic Alias Maximum (for
 * {@link Outbound}), Server Keep Alive, Assigned Client Identifier, whether it takes Subscription Identifiers
 * and whether it kept our session (what to subscribe again); with enhanced authentication, the server's final
 * proof is checked before the listener hears of the connection. Once per connection, so it may allocate.
 *
 * <p>Not thread-safe: engine thread only.
 */
final class ConnackHandler {
    private final ConnectEncoder connect;
    private final PacketDecoder decoder;
    private final ConnectionState state;
    private final VersionFallback fallback;
    private final Outbound outbound;
    private final KeepAlive keepAlive;
    private final Requests requests;
    private final PacketIdSet packetIds;
    private final SubscriptionTable subscriptions;
    private final EnhancedAuth auth;
    private final Disconnection disconnection;
    private final EngineListener listener;

    ConnackHandler(ConnectEncoder connect, PacketDecoder decoder, ConnectionState state, VersionFallback fallback,
            Outbound outbound, KeepAlive keepAlive, Requests requests, PacketIdSet packetIds,
            SubscriptionTable subscriptions, EnhancedAuth auth, Disconnection disconnection,
            EngineListener listener) {
        this.connect = connect;
        this.decoder = decoder;
        this.state = state;
        this.fallback = fallback;
        this.outbound = outbound;
        this.keepAlive = keepAlive;
        this.requests = requests;
        this.packetIds = packetIds;
        this.subscriptions = subscriptions;
        this.auth = auth;
        this.disconnection = disconnection;
        this.listener = listener;
    }

    /**
     * @throws MqttCodecException 0x82 for a CONNACK on a connection that already had one, or one that accepts a
     *     Clean Start with Session Present
     */
    void onConnack(ConnackView connack) {
        if (!state.is(Engine.CONNECTING)) {
            throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1, "a second CONNACK");
        }
        ProtocolVersion version = decoder.version();
        int code = version.isMqtt5() ? connack.reasonCode() : Mqtt311.reasonCodeFor(connack.reasonCode());
        if (ReasonCode.isError(code)) {
            if (fallback.isRefusalToFallBackOn(code)) {
                fallback.fallBack(null);
            } else {
                state.endedByServer("server refused CONNECT: ", code, connack.properties());
            }
            return;
        }
        if (connack.sessionPresent() && connect.cleanStart()) {
            // A server must start a new session on Clean Start (MQTT-3.2.2-2; 3.1.1: MQTT-3.2.2-1), and a client
            // without session state that hears Session Present must close (MQTT-3.2.2-4). Going on would be worse:
            // believing the session kept, we would not subscribe again, and nothing we subscribed would arrive.
            throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1,
                    "CONNACK with Session Present 1 in reply to Clean Start 1 (MQTT-3.2.2-4)");
        }
        state.connected();
        fallback.onAccepted();
        adoptServerLimits(connack.sessionPresent(), connack.properties(), version);
        requests.subscriptionIdentifiers(
                connack.properties().number(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) == 1);
        requests.resubscribe(packetIds, subscriptions, connack.sessionPresent());
        if (auth.isEnabled() && !completeAuthentication(connack.properties())) {
            return;
        }
        listener.onConnected(connack);
    }

    private void adoptServerLimits(boolean sessionPresent, PropertiesView properties, ProtocolVersion version) {
        outbound.onConnected(sessionPresent, properties.number(Property.RECEIVE_MAXIMUM, 65_535),
                properties.number(Property.MAXIMUM_PACKET_SIZE, FixedHeader.MAX_PACKET_SIZE),
                (int) properties.number(Property.TOPIC_ALIAS_MAXIMUM, 0), version);
        int serverKeepAlive = (int) properties.number(Property.SERVER_KEEP_ALIVE, -1);
        if (serverKeepAlive >= 0) {
            keepAlive.override(serverKeepAlive);
        }
        if (properties.has(Property.ASSIGNED_CLIENT_IDENTIFIER)) {
            // reconnects must present the identifier the server chose, or the session is lost
            Utf8View assigned = properties.string(Property.ASSIGNED_CLIENT_IDENTIFIER);
            byte[] id = new byte[assigned.byteLength()];
            assigned.copyTo(id, 0);
            connect.clientId(id);
        }
    }

    /** @return false when the server failed to prove itself, and the connection is being closed */
    private boolean completeAuthentication(PropertiesView properties) {
        try {
            auth.complete(properties);
            return true;
        } catch (MqttException e) {
            disconnection.closeWith(ReasonCode.NOT_AUTHORIZED, e.getMessage());
            return false;
        }
    }
}
