package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Our DISCONNECT: when it becomes due, the reason code and Session Expiry it carries, and the end it makes. */
class DisconnectionTest {
    private final ClosureRecorder listener = new ClosureRecorder();
    private final ConnectionState state = new ConnectionState(listener, new NextAttempt());
    private final Disconnection disconnection = new Disconnection(state);
    private final ByteBuffer dst = ByteBuffer.allocate(64);

    private void connected() {
        state.opened();
        state.connected();
        disconnection.onNewConnection();
    }

    private PacketDecoder decodeWritten() {
        PacketDecoder decoder = new PacketDecoder(ProtocolVersion.MQTT_5, FixedHeader.MAX_PACKET_SIZE);
        dst.flip();
        assertEquals(dst.limit(), decoder.decode(dst, 0, dst.limit()));
        assertEquals(PacketType.DISCONNECT, decoder.type());
        return decoder;
    }

    @Test
    void shouldWaitForTheQueueWhenConnectedAndNotAskedForNow() {
        connected();
        disconnection.request(ReasonCode.NORMAL_DISCONNECTION, false, -1);
        assertTrue(disconnection.isQuiescing());
        assertEquals(Engine.CONNECTED, state.get()); // still publishing what is queued
        disconnection.quiesced();
        assertEquals(Engine.DISCONNECTING, state.get());
        assertTrue(disconnection.writeTo(dst, ProtocolVersion.MQTT_5));
        assertEquals(Engine.CLOSED, state.get());
        assertEquals("0x00 byServer=false: client disconnected: "
                + ReasonCode.describe(ReasonCode.NORMAL_DISCONNECTION), listener.last());
    }

    @Test
    void shouldDisconnectAtOnceBeforeConnackOrWhenAskedTo() {
        state.opened();
        disconnection.request(ReasonCode.NORMAL_DISCONNECTION, false, -1);
        assertFalse(disconnection.isQuiescing());
        assertEquals(Engine.DISCONNECTING, state.get());

        connected();
        disconnection.request(ReasonCode.NORMAL_DISCONNECTION, true, -1);
        assertEquals(Engine.DISCONNECTING, state.get());
    }

    @Test
    void shouldSendUnspecifiedErrorForACodeDisconnectMayNotCarry() {
        connected();
        disconnection.closeWith(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "a CONNACK-only code");
        assertTrue(disconnection.writeTo(dst, ProtocolVersion.MQTT_5));
        assertEquals(ReasonCode.UNSPECIFIED_ERROR, decodeWritten().reason().reasonCode());
        assertEquals("0x80 byServer=false: a CONNACK-only code", listener.last());
    }

    @Test
    void shouldCarryTheNewSessionExpiryOn5() {
        connected();
        disconnection.request(ReasonCode.NORMAL_DISCONNECTION, true, 0);
        disconnection.writeTo(dst, ProtocolVersion.MQTT_5);
        assertEquals(0, decodeWritten().reason().properties().number(Property.SESSION_EXPIRY_INTERVAL, -1));
    }

    @Test
    void shouldWriteABare311DisconnectWhateverTheCodeAndExpiry() {
        connected();
        disconnection.request(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, true, 0);
        disconnection.writeTo(dst, ProtocolVersion.MQTT_3_1_1);
        dst.flip();
        assertArrayEquals(new byte[] {(byte) 0xE0, 0x00}, Arrays.copyOf(dst.array(), dst.limit())); // no body
    }

    @Test
    void shouldCloseWithoutDisconnectOn311WhenTheEngineEndsTheConnection() {
        connected();
        disconnection.closeWith(ReasonCode.PROTOCOL_ERROR, "bad packet");
        assertTrue(disconnection.writeTo(dst, ProtocolVersion.MQTT_3_1_1));
        assertEquals(0, dst.position(), "3.1.1's DISCONNECT means a normal end: the server would drop the Will");
        assertEquals(Engine.CLOSED, state.get());
        assertEquals("0x82 byServer=false: bad packet", listener.last());
    }

    @Test
    void shouldStayDueWhenThereIsNoRoomAndIgnoreRequestsOnceClosed() {
        connected();
        disconnection.closeWith(ReasonCode.PROTOCOL_ERROR, "bad packet");
        assertFalse(disconnection.writeTo(ByteBuffer.allocate(1), ProtocolVersion.MQTT_5));
        assertEquals(Engine.DISCONNECTING, state.get());
        assertTrue(disconnection.writeTo(dst, ProtocolVersion.MQTT_5));
        disconnection.closeWith(ReasonCode.PROTOCOL_ERROR, "after the end");
        assertEquals(Engine.CLOSED, state.get());
        assertEquals(1, listener.closes.size());
    }
}
