package io.pipit.mqtt.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Java SE network key: the default route's interface and address, or "none" when offline. */
class NetworkKeysTest {
    @Test
    void shouldNameTheDefaultRouteTheSameWayTwice() {
        String key = NetworkKeys.current();
        assertTrue(key.equals("none") || key.matches("[^/]+/[0-9a-fA-F.:%a-z]+"), key);
        assertEquals(key, NetworkKeys.current(), "a key is stable while the network is");
    }
}
