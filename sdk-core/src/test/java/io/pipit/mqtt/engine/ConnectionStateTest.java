package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.Property;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** How a connection ends: reported once, and what a server's redirect means for the next attempt. */
class ConnectionStateTest {
    private final ClosureRecorder listener = new ClosureRecorder();
    private final NextAttempt nextAttempt = new NextAttempt();
    private final ConnectionState state = new ConnectionState(listener, nextAttempt);

    private static PropertiesView disconnectProperties(MqttProperties properties) {
        ByteBuffer section = ByteBuffer.allocate(properties.sectionLength(PacketType.DISCONNECT));
        properties.write(section, PacketType.DISCONNECT);
        section.flip();
        PropertiesView view = new PropertiesView();
        view.wrap(section, 0, section.limit(), PacketType.DISCONNECT);
        return view;
    }

    @Test
    void shouldReportALostConnectionOnlyWhileNotClosed() {
        state.lost("before any connection");
        assertTrue(listener.closes.isEmpty());
        state.opened();
        state.lost("reset by peer");
        state.lost("reset again");
        assertEquals(1, listener.closes.size());
        assertEquals("network byServer=false: reset by peer", listener.last());
        assertEquals(Engine.CLOSED, state.get());
    }

    @Test
    void shouldForgetThatConnectWasSentWhenANewConnectionOpens() {
        state.opened();
        state.connectSent();
        assertTrue(state.isConnectSent() && state.isOpen());
        state.close(ReasonCode.KEEP_ALIVE_TIMEOUT, false, "silent");
        state.opened();
        assertFalse(state.isConnectSent());
        assertTrue(state.is(Engine.CONNECTING));
    }

    @Test
    void shouldNoteTheServerReferenceBeforeReportingARedirect() {
        nextAttempt.followServerReference(true);
        state.opened();
        state.endedByServer("server sent DISCONNECT: ", ReasonCode.SERVER_MOVED, disconnectProperties(
                new MqttProperties().string(Property.SERVER_REFERENCE, "other:1883")
                        .string(Property.REASON_STRING, "maintenance")));
        assertEquals("0x9D byServer=true: server sent DISCONNECT: " + ReasonCode.describe(ReasonCode.SERVER_MOVED)
                + "; server says: maintenance; redirected to other:1883", listener.last());
        assertEquals("other:1883", nextAttempt.serverReference());
        assertTrue(nextAttempt.wantsImmediateRetry());

        nextAttempt.onNewConnection();
        assertNull(nextAttempt.serverReference());
        assertFalse(nextAttempt.wantsImmediateRetry());
    }

    @Test
    void shouldSayARedirectIsNotFollowedWhenFollowingIsOff() {
        state.opened();
        state.endedByServer("server sent DISCONNECT: ", ReasonCode.USE_ANOTHER_SERVER, disconnectProperties(
                new MqttProperties().string(Property.SERVER_REFERENCE, "other:1883")));
        assertEquals("0x9C byServer=true: server sent DISCONNECT: "
                + ReasonCode.describe(ReasonCode.USE_ANOTHER_SERVER) + "; the server suggests another server, "
                + "other:1883, not followed: following is off (MqttClientBuilder.followServerReference(true) turns it "
                + "on)", listener.last());
        assertFalse(listener.last().contains("redirected"), listener.last());
    }

    @Test
    void shouldKeepTheBackoffForARedirectNotFollowedOrWithoutReference() {
        nextAttempt.noteServerReference(ReasonCode.USE_ANOTHER_SERVER, disconnectProperties(
                new MqttProperties().string(Property.SERVER_REFERENCE, "other")));
        assertEquals("other", nextAttempt.serverReference());
        assertFalse(nextAttempt.wantsImmediateRetry()); // following is off

        nextAttempt.onNewConnection();
        nextAttempt.followServerReference(true);
        nextAttempt.noteServerReference(ReasonCode.SERVER_MOVED, disconnectProperties(new MqttProperties()));
        nextAttempt.noteServerReference(ReasonCode.SERVER_BUSY, disconnectProperties(
                new MqttProperties().string(Property.SERVER_REFERENCE, "ignored")));
        assertNull(nextAttempt.serverReference()); // no reference, or a code that is no redirect
        assertFalse(nextAttempt.wantsImmediateRetry());
    }
}
