package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.Property;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** When a 5.0 CONNECT counts as refused by a 3.1.1-only server, and what switching to 3.1.1 changes. */
class VersionFallbackTest {
    private final ConnectEncoder connect = new ConnectEncoder().version(ProtocolVersion.MQTT_5).clientId("c1");
    private final PacketDecoder decoder = new PacketDecoder(ProtocolVersion.MQTT_5, FixedHeader.MAX_PACKET_SIZE);
    private final ClosureRecorder listener = new ClosureRecorder();
    private final NextAttempt nextAttempt = new NextAttempt();
    private final ConnectionState state = new ConnectionState(listener, nextAttempt);
    private final VersionFallback fallback = new VersionFallback(connect, decoder, state, nextAttempt);

    private static ByteBuffer bytes(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length);
        for (int value : values) {
            buffer.put((byte) value);
        }
        buffer.flip();
        return buffer;
    }

    @Test
    void shouldRecogniseARefusalOnlyWhileConnectingOn5() {
        ByteBuffer refusal = bytes(0x20, 0x02, 0x00, 0x01); // 3.1.1 CONNACK: unacceptable protocol version
        assertFalse(fallback.isRefusal(refusal)); // closed
        state.opened();
        assertTrue(fallback.isRefusal(refusal));
        assertFalse(fallback.isRefusal(bytes(0x20, 0x03, 0x00, 0x00, 0x00))); // a 5.0 CONNACK: Success
        decoder.version(ProtocolVersion.MQTT_3_1_1);
        assertFalse(fallback.isRefusal(refusal)); // on 3.1.1 it is an ordinary CONNACK
    }

    @Test
    void shouldTakeACloseBeforeConnackAsARefusalOnlyBeforeAny5ConnectWasAccepted() {
        fallback.enabled(true);
        state.opened();
        assertFalse(fallback.isRefusalByClose(false)); // CONNECT not written yet: nothing was refused
        state.connectSent();
        assertTrue(fallback.isRefusalByClose(false));
        assertFalse(fallback.isRefusalByClose(true)); // enhanced authentication: the server speaks 5.0
        fallback.enabled(false);
        assertFalse(fallback.isRefusalByClose(false));
        fallback.enabled(true);
        fallback.onAccepted();
        assertFalse(fallback.isRefusalByClose(false)); // a reconnect cut short is a network matter
    }

    @Test
    void shouldFallBackOnConnackUnsupportedProtocolVersionOnlyWhenEnabled() {
        assertFalse(fallback.isRefusalToFallBackOn(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION));
        fallback.enabled(true);
        assertTrue(fallback.isRefusalToFallBackOn(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION));
        assertFalse(fallback.isRefusalToFallBackOn(ReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void shouldSwitchConnectAndDecoderTo311ForGoodAndAskForAnImmediateRetry() {
        connect.properties().put(Property.RECEIVE_MAXIMUM, 10);
        connect.willProperties().put(Property.MESSAGE_EXPIRY_INTERVAL, 60);
        fallback.enabled(true);
        state.opened();
        ByteBuffer refusal = bytes(0x20, 0x03, 0x00, 0x01, 0x00); // Moquette's 5.0-shaped refusal
        fallback.fallBack(refusal);
        assertEquals(refusal.limit(), refusal.position()); // consumed: nothing after it is read
        assertEquals(ProtocolVersion.MQTT_3_1_1, connect.version());
        assertEquals(ProtocolVersion.MQTT_3_1_1, decoder.version());
        assertTrue(connect.properties().isEmpty() && connect.willProperties().isEmpty()); // 3.1.1 has none
        assertTrue(nextAttempt.wantsImmediateRetry());
        assertEquals(Engine.CLOSED, state.get());
        assertEquals("0x84 byServer=true: the server does not speak MQTT 5.0; retrying with MQTT 3.1.1",
                listener.last());
    }

    @Test
    void shouldOnlyEndTheConnectionWhenTheFallbackIsOff() {
        state.opened();
        ByteBuffer refusal = bytes(0x20, 0x02, 0x00, 0x01);
        fallback.fallBack(refusal);
        assertEquals(0, refusal.position());
        assertEquals(ProtocolVersion.MQTT_5, connect.version());
        assertFalse(nextAttempt.wantsImmediateRetry());
        assertEquals("0x84 byServer=true: the server speaks only MQTT 3.1.1 (enable the fallback to use it)",
                listener.last());
    }
}
