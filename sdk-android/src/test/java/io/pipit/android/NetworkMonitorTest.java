package io.pipit.android;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import android.net.Network;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.driver.NanoClock;
import io.pipit.mqtt.keepalive.ReconnectCause;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.annotation.Config;

/**
 * The default-network callback drives the client over a real loopback connection to the mock broker: no
 * reconnect attempts while there is no network, a reconnect as soon as one appears, and a new default network
 * moves the connection at once.
 */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = 35)
public class NetworkMonitorTest {
    private final AndroidFixture android = new AndroidFixture();

    @After
    public void tearDown() throws io.pipit.mqtt.MqttException {
        android.close();
    }

    @Test
    public void shouldMakeNoReconnectAttemptWhileTheNetworkIsLost() throws Exception {
        MqttClient client = android.attach(android.builder("net-lost", 20, 50), NanoClock.SYSTEM, "lost").client();
        Network wifi = android.networkAvailable(100);
        client.connect();
        android.networkLost(wifi);
        android.broker.drop("net-lost");
        AndroidFixture.waitFor(() -> !client.isConnected(), 5_000, "the drop noticed");
        Thread.sleep(1_500); // a 20–50 ms backoff would have made dozens of attempts by now
        assertEquals("no CONNECT while the network is lost", 1, android.connects("net-lost"));
        assertFalse(client.isConnected());
    }

    @Test
    public void shouldReconnectAtOnceWhenANetworkBecomesAvailable() throws Exception {
        // an hour of backoff: only the network callback can explain a reconnect within seconds
        MqttClient client = android.attach(android.builder("net-back", 3_600_000, 3_600_000), NanoClock.SYSTEM,
                "back").client();
        Network wifi = android.networkAvailable(100);
        client.connect();
        android.networkLost(wifi);
        android.broker.drop("net-back");
        AndroidFixture.waitFor(() -> !client.isConnected(), 5_000, "the drop noticed");
        android.networkAvailable(100);
        // Well inside the hour of backoff, so the network callback is what reconnected it; how fast is no part of
        // the claim, and a loaded machine must not fail it.
        AndroidFixture.waitFor(client::isConnected, AndroidFixture.RECONNECT_MS,
                "reconnected after the network came back");
        assertEquals(2, android.connects("net-back"));
    }

    @Test
    public void shouldMoveTheConnectionWhenTheDefaultNetworkChanges() throws Exception {
        MqttClient client = android.attach(android.builder("net-move", 3_600_000, 3_600_000), NanoClock.SYSTEM,
                "move").client();
        android.networkAvailable(100); // Wi-Fi
        client.connect();
        assertEquals("100", client.health().networkKey());
        android.networkAvailable(101); // Wi-Fi gone, cellular is the default now
        AndroidFixture.waitFor(() -> android.connects("net-move") == 2 && client.isConnected(), 5_000,
                "a new connection on the new network");
        assertEquals(1, client.health().reconnects(ReconnectCause.NETWORK_CHANGED));
        assertEquals("101", client.health().networkKey());
    }

    @Test
    public void shouldPauseWhileThePlatformBlocksTheAppAndResumeWhenItStops() throws Exception {
        MqttClient client = android.attach(android.builder("net-blocked", 20, 50), NanoClock.SYSTEM, "blocked")
                .client();
        Network wifi = android.networkAvailable(100);
        client.connect();
        android.blocked(wifi, true); // App Standby or Data Saver (API 29+)
        android.broker.drop("net-blocked");
        AndroidFixture.waitFor(() -> !client.isConnected(), 5_000, "the drop noticed");
        Thread.sleep(1_000);
        assertEquals("no CONNECT while blocked", 1, android.connects("net-blocked"));
        android.blocked(wifi, false);
        AndroidFixture.waitFor(client::isConnected, AndroidFixture.RECONNECT_MS, "reconnected once unblocked");
    }
}
