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
                () -> ServerAddress.parse("wss://broker"));
        assertTrue(e.getMessage().contains("mqtts://"), e.getMessage());
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
