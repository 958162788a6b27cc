package io.pipit.mqtt.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.client.MqttClient;
import org.junit.jupiter.api.Test;

/** Bad WebSocket settings fail when given, naming the problem. */
class WebSocketOptionsTest {
    @Test
    void shouldKeepHeadersInOrderAndDefaultToMqttOnSlashMqtt() {
        WebSocketOptions options = WebSocketOptions.builder().header("Authorization", "Bearer t")
                .header("X-Device", "42").build();
        assertEquals("[Authorization, X-Device]", options.headers().keySet().toString());
        assertEquals("/mqtt", options.path());
        assertEquals("mqtt", options.subprotocol());
    }

    @Test
    void shouldRefuseHeaderInjectionAndHeadersTheTransportWrites() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebSocketOptions.builder().header("X", "a\r\nHost: evil"));
        assertTrue(e.getMessage().contains("line break"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> WebSocketOptions.builder().header("Sec-WebSocket-Protocol", "x"));
        assertTrue(e.getMessage().contains("written by the WebSocket transport"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WebSocketOptions.builder().path("mqtt"));
        assertThrows(IllegalArgumentException.class, () -> WebSocketOptions.builder().subprotocol("mqtt, x"));
        assertThrows(IllegalArgumentException.class, () -> WebSocketOptions.builder().maxFrameLength(125));
    }

    @Test
    void shouldRefuseWebSocketOptionsForAServerThatIsNotWebSocket() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MqttClient.builder()
                .server("mqtt://broker").webSocket(WebSocketOptions.defaults()).build());
        assertTrue(e.getMessage().contains("ws://"), e.getMessage());
    }
}
