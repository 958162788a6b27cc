package io.pipit.android;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.robolectric.Shadows.shadowOf;

import android.app.AlarmManager;
import android.content.Context;
import io.pipit.mqtt.driver.NanoClock;
import java.io.File;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.annotation.Config;

/** The entry point's wiring and unwiring, and where a durable queue lives. */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = 35)
public class PipitAndroidTest {
    private final AndroidFixture android = new AndroidFixture();

    @After
    public void tearDown() throws io.pipit.mqtt.MqttException {
        android.close();
    }

    @Test
    public void shouldUnregisterEverythingOnClose() throws Exception {
        PipitAndroid pipit = android.attach(android.builder("wired", 50, 100), NanoClock.SYSTEM, "wired");
        android.networkAvailable(100);
        pipit.client().connect();
        assertEquals(1, shadowOf(android.connectivity()).getNetworkCallbacks().size());
        pipit.close();
        assertTrue(shadowOf(android.connectivity()).getNetworkCallbacks().isEmpty());
        AlarmManager alarms = (AlarmManager) android.context.getSystemService(Context.ALARM_SERVICE);
        assertNull("alarm cancelled", shadowOf(alarms).peekNextScheduledAlarm());
        pipit.close(); // idempotent
    }

    @Test
    public void shouldKeepDurableQueuesInTheNoBackupDirectory() {
        File dir = PipitAndroid.queueDirectory(android.context, "telemetry");
        assertEquals(new File(new File(android.context.getNoBackupFilesDir(), "pipit-queue"), "telemetry"), dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipitAndroid.queueDirectory(android.context, "../shared_prefs"));
        assertTrue(e.getMessage(), e.getMessage().contains("../shared_prefs"));
    }

    @Test
    public void shouldRefuseMissingArguments() {
        assertThrows(IllegalArgumentException.class, () -> PipitAndroid.attach(android.context,
                android.builder("x", 50, 100), null, "x"));
    }
}
