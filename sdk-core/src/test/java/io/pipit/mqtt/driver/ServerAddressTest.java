package io.pipit.mqtt.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerAddressTest {
    @Test
    void shouldDefaultToPort1883ForPlaintextAnd8883ForTls() {
        assertEquals(1883, ServerAddress.parse("mqtt://broker").port());
        assertFalse(ServerAddress.parse("tcp://broker").secure());
        ServerAddress tls = ServerAddress.parse("mqtts://broker");
        assertEquals(8883, tls.port());
        assertTrue(tls.secure());
        assertTrue(ServerAddress.parse("ssl://broker:443").secure());
        assertEquals(443, ServerAddress.parse("SSL://broker:443").port());
        assertEquals("mqtts://broker:8883", tls.toString());
    }

    @Test
    void shouldNameTheSupportedSchemesForAnUnknownOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerAddress.parse("http://broker"));
        assertTrue(e.getMessage().contains("mqtts://") && e.getMessage().contains("wss://"), e.getMessage());
    }

    @Test
    void shouldParseWebSocketUrisWithPortsAndPaths() {
        ServerAddress ws = ServerAddress.parse("ws://broker");
        assertTrue(ws.webSocket());
        assertFalse(ws.secure());
        assertEquals(80, ws.port());
        assertNull(ws.path(), "no path: WebSocketOptions.path() applies");
        ServerAddress wss = ServerAddress.parse("wss://broker:8443/mqtt/v1?token=a%20b");
        assertTrue(wss.webSocket() && wss.secure());
        assertEquals(8443, wss.port());
        assertEquals("/mqtt/v1?token=a%20b", wss.path(), "path and query kept raw, as sent on the wire");
        assertEquals("wss://broker:8443/mqtt/v1?token=a%20b", wss.toString());
        assertEquals(443, ServerAddress.parse("wss://broker/").port());
        assertFalse(ServerAddress.parse("mqtt://broker").webSocket());
    }

    @Test
    void shouldKeepARedirectOnTlsAndRefuseADowngrade() {
        ServerAddress kept = ServerAddress.fromReference("other:9883", true);
        assertTrue(kept.secure());
        assertEquals(9883, kept.port());
        assertNull(ServerAddress.fromReference("mqtt://other:1883", true));
        assertFalse(ServerAddress.fromReference("other", false).secure());
    }
}
