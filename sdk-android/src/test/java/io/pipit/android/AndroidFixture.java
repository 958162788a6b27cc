package io.pipit.android;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.robolectric.Shadows.shadowOf;

import android.content.Context;
import android.net.ConnectivityManager;
import android.net.Network;
import android.os.Looper;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.RecordedPacket;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.robolectric.RuntimeEnvironment;
import org.robolectric.shadows.ShadowNetwork;

/**
 * One test's Android world: the Robolectric application context, a mock broker on loopback (real sockets), and
 * the hands of the platform (network callbacks, broadcasts on the main looper).
 */
final class AndroidFixture implements AutoCloseable {
    /**
     * How long a test waits for a reconnect it caused (network back, Doze over, unblocked): a failure bound for a
     * loaded machine, never a claim about speed (an awaited condition ends the wait as soon as it holds).
     */
    static final long RECONNECT_MS = 30_000;

    final Context context = RuntimeEnvironment.getApplication();
    final MockBroker broker = MockBroker.start();
    private PipitAndroid pipit;

    /** A client of the mock broker with automatic reconnect, keepalive 60 s. */
    MqttClientBuilder builder(String clientId, long reconnectMinMs, long reconnectMaxMs) {
        return MqttClient.builder().server(broker.uri()).clientId(clientId).automaticReconnect(true)
                .keepAlive(60, TimeUnit.SECONDS).connectTimeout(5, TimeUnit.SECONDS)
                .reconnectDelay(reconnectMinMs, reconnectMaxMs, TimeUnit.MILLISECONDS);
    }

    PipitAndroid attach(MqttClientBuilder builder, io.pipit.mqtt.driver.NanoClock clock, String name) {
        pipit = PipitAndroid.attach(context, builder, clock, name);
        return pipit;
    }

    /** The default network becomes {@code netId}, as ConnectivityService would report it. */
    Network networkAvailable(int netId) {
        Network network = ShadowNetwork.newInstance(netId);
        for (ConnectivityManager.NetworkCallback callback : shadowOf(connectivity()).getNetworkCallbacks()) {
            callback.onAvailable(network);
        }
        return network;
    }

    void networkLost(Network network) {
        for (ConnectivityManager.NetworkCallback callback : shadowOf(connectivity()).getNetworkCallbacks()) {
            callback.onLost(network);
        }
    }

    void blocked(Network network, boolean blocked) {
        for (ConnectivityManager.NetworkCallback callback : shadowOf(connectivity()).getNetworkCallbacks()) {
            callback.onBlockedStatusChanged(network, blocked);
        }
    }

    ConnectivityManager connectivity() {
        return (ConnectivityManager) context.getSystemService(Context.CONNECTIVITY_SERVICE);
    }

    /** Delivers the broadcasts and alarms queued on the main thread. */
    static void idleMainLooper() {
        shadowOf(Looper.getMainLooper()).idle();
    }

    /** @return how many CONNECT packets {@code clientId} has sent the broker */
    long connects(String clientId) {
        return broker.packets().stream().filter(p -> p.direction() == RecordedPacket.Direction.RECEIVED
                && clientId.equals(p.clientId()) && p.type() == PacketType.CONNECT).count();
    }

    static void waitFor(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            assertTrue(what + " within " + timeoutMs + " ms", System.nanoTime() - deadline < 0);
            Thread.sleep(10);
        }
    }

    /**
     * Watches {@code condition} for {@code windowMs} and fails as soon as it holds: how a test shows that something
     * does not happen. A bounded watch, never a claim about speed.
     */
    static void assertStaysFalse(BooleanSupplier condition, long windowMs, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(windowMs);
        do {
            assertFalse("unexpected: " + what, condition.getAsBoolean());
            Thread.sleep(10);
        } while (System.nanoTime() - deadline < 0);
        assertFalse("unexpected: " + what, condition.getAsBoolean());
    }

    @Override
    public void close() throws io.pipit.mqtt.MqttException {
        try {
            if (pipit != null) {
                pipit.close();
            }
        } finally {
            broker.close();
        }
    }
}
