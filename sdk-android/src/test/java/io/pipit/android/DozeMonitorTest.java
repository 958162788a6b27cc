package io.pipit.android;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.robolectric.Shadows.shadowOf;

import android.content.Context;
import android.content.Intent;
import android.os.PowerManager;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.driver.NanoClock;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.annotation.Config;

/**
 * Doze: while the device idles, a client that is not exempt makes no reconnect attempts (its network is
 * suspended, so they could only fail and push the backoff out); leaving Doze, or a maintenance window, reconnects
 * at once; a foreground service keeps its network in Doze, so its client goes on reconnecting.
 */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = 35)
public class DozeMonitorTest {
    private final AndroidFixture android = new AndroidFixture();

    @After
    public void tearDown() throws io.pipit.mqtt.MqttException {
        android.close();
    }

    @Test
    public void shouldPauseReconnectsInDozeAndReconnectWhenItEnds() throws Exception {
        PipitAndroid pipit = android.attach(android.builder("doze", 20, 50), NanoClock.SYSTEM, "doze");
        MqttClient client = pipit.client();
        android.networkAvailable(100);
        client.connect();
        doze(true);
        assertTrue(pipit.deviceIdle());
        android.broker.drop("doze");
        AndroidFixture.waitFor(() -> !client.isConnected(), 5_000, "the drop noticed");
        Thread.sleep(1_000);
        assertEquals("no CONNECT in Doze", 1, android.connects("doze"));
        doze(false); // a maintenance window, or the user picked the phone up
        assertFalse(pipit.deviceIdle());
        AndroidFixture.waitFor(client::isConnected, AndroidFixture.RECONNECT_MS, "reconnected when Doze ended");
    }

    @Test
    public void shouldKeepReconnectingInDozeInAForegroundService() throws Exception {
        PipitAndroid pipit = android.attach(android.builder("doze-fgs", 20, 50), NanoClock.SYSTEM, "fgs")
                .foregroundService(true);
        MqttClient client = pipit.client();
        android.networkAvailable(100);
        client.connect();
        doze(true);
        android.broker.drop("doze-fgs");
        AndroidFixture.waitFor(() -> android.connects("doze-fgs") == 2 && client.isConnected(), 5_000,
                "reconnected in Doze: a foreground service keeps its network");
    }

    @Test
    public void shouldResumeAPausedClientWhenItsServiceGoesForeground() throws Exception {
        PipitAndroid pipit = android.attach(android.builder("doze-late", 20, 50), NanoClock.SYSTEM, "late");
        MqttClient client = pipit.client();
        android.networkAvailable(100);
        client.connect();
        doze(true);
        android.broker.drop("doze-late");
        AndroidFixture.waitFor(() -> !client.isConnected(), 5_000, "the drop noticed");
        pipit.foregroundService(true);
        AndroidFixture.waitFor(client::isConnected, AndroidFixture.RECONNECT_MS, "reconnected once exempt");
    }

    /** What DeviceIdleController does: flips the idle mode, then broadcasts the change. */
    private void doze(boolean idle) {
        PowerManager power = (PowerManager) android.context.getSystemService(Context.POWER_SERVICE);
        shadowOf(power).setIsDeviceIdleMode(idle);
        android.context.sendBroadcast(new Intent(PowerManager.ACTION_DEVICE_IDLE_MODE_CHANGED));
        AndroidFixture.idleMainLooper();
    }
}
