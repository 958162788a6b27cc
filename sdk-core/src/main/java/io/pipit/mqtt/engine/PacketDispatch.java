package io.pipit.mqtt.engine;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;

/**
 * Hands each packet the server sent to the collaborator that owns it, and enforces which packets may come
 * when: before CONNACK only CONNACK, AUTH, PINGRESP and DISCONNECT; never one that only clients send. A
 * server's DISCONNECT ends the connection here. Runs per received packet and allocates nothing on the PUBLISH,
 * ack and PINGRESP paths.
 *
 * <p>Not thread-safe: engine thread only.
 */
final class PacketDispatch {
    private final PacketDecoder decoder;
    private final ConnectionState state;
    private final ConnackHandler connack;
    private final Inbound inbound;
    private final Outbound outbound;
    private final Requests requests;
    private final PacketIdSet packetIds;
    private final KeepAlive keepAlive;
    private final EnhancedAuth auth;
    private final Disconnection disconnection;
    private final EngineListener listener;

    PacketDispatch(PacketDecoder decoder, ConnectionState state, ConnackHandler connack, Inbound inbound,
            Outbound outbound, Requests requests, PacketIdSet packetIds, KeepAlive keepAlive, EnhancedAuth auth,
            Disconnection disconnection, EngineListener listener) {
        this.decoder = decoder;
        this.state = state;
        this.connack = connack;
        this.inbound = inbound;
        this.outbound = outbound;
        this.requests = requests;
        this.packetIds = packetIds;
        this.keepAlive = keepAlive;
        this.auth = auth;
        this.disconnection = disconnection;
        this.listener = listener;
    }

    /**
     * Handles the packet {@link PacketDecoder#decode} just decoded, of {@code type}.
     *
     * @throws MqttCodecException with the reason code to DISCONNECT with, for a packet out of place
     */
    void dispatch(int type) {
        switch (type) {
            case PacketType.CONNACK: connack.onConnack(decoder.connack()); break;
            case PacketType.PUBLISH: requireConnected(type); inbound.onPublish(decoder.publish()); break;
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBCOMP:
                requireConnected(type);
                outbound.onAck(type, decoder.ack().packetId(), decoder.ack().reasonCode());
                break;
            case PacketType.PUBREL: requireConnected(type); inbound.onPubrel(decoder.ack().packetId()); break;
            case PacketType.SUBACK:
            case PacketType.UNSUBACK:
                requireConnected(type);
                requests.onAck(decoder.suback(), packetIds, inbound.subscriptions(), listener);
                break;
            case PacketType.PINGRESP: keepAlive.onPingResponse(); break;
            case PacketType.AUTH: onAuth(); break;
            case PacketType.DISCONNECT:
                state.endedByServer("server sent DISCONNECT: ", decoder.reason().reasonCode(),
                        decoder.reason().properties());
                break;
            default:
                throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1, "a server may not send "
                        + PacketType.name(type) + " to a client");
        }
    }

    private void requireConnected(int type) {
        if (!state.is(Engine.CONNECTED)) {
            throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1, PacketType.name(type) + " before CONNACK");
        }
    }

    private void onAuth() {
        try {
            auth.onAuth(decoder.reason().reasonCode(), decoder.reason().properties(), state.is(Engine.CONNECTED));
        } catch (MqttException e) {
            disconnection.closeWith(ReasonCode.NOT_AUTHORIZED, e.getMessage());
        }
    }
}
