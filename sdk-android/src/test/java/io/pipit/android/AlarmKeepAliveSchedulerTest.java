package io.pipit.android;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.robolectric.Shadows.shadowOf;

import android.app.AlarmManager;
import android.app.PendingIntent;
import android.content.Context;
import android.os.PowerManager;
import android.os.SystemClock;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.driver.NanoClock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.annotation.Config;
import org.robolectric.shadows.ShadowAlarmManager;
import org.robolectric.shadows.ShadowPowerManager;

/**
 * Keepalive alarms on SDK 34 and 35: the alarm sits at the keepalive deadline, wakes a dozing device
 * (allow-while-idle, exact when permitted), its broadcast makes the client ping the mock broker, and a wake lock
 * covers exactly that exchange. The client's clock is advanced by hand, as a device's elapsed realtime is while
 * it sleeps; the I/O thread itself would sleep on for the real minute.
 */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = {34, 35})
public class AlarmKeepAliveSchedulerTest {
    private static final long KEEPALIVE_MS = 60_000;

    private final AndroidFixture android = new AndroidFixture();
    private final AtomicLong slept = new AtomicLong();
    private final NanoClock clock = () -> System.nanoTime() + slept.get();
    /** {@link System#nanoTime()} right before {@code connect()}: no keepalive deadline is counted from earlier. */
    private long connectingNs;

    @After
    public void tearDown() throws io.pipit.mqtt.MqttException {
        android.close();
    }

    @Test
    public void shouldFireTheKeepaliveAlarmAndSendAPingUnderAWakeLock() throws Exception {
        ShadowAlarmManager.setCanScheduleExactAlarms(true); // Android 12+: SCHEDULE_EXACT_ALARM granted
        PipitAndroid pipit = android.attach(android.builder("alarm-ping", 50, 100), clock, "ping");
        android.networkAvailable(100);
        connect(pipit);
        ShadowAlarmManager.ScheduledAlarm alarm = keepAliveAlarm();
        assertEquals(AlarmManager.ELAPSED_REALTIME_WAKEUP, alarm.getType());
        assertTrue("fires while the device dozes", alarm.isAllowWhileIdle());
        assertDueIn(alarm, KEEPALIVE_MS, "at the keepalive deadline");
        assertTrue("exact: the permission is granted", scheduler(pipit).exact());

        slept.addAndGet(TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_MS + 1_000)); // the device slept past it
        shadowOf(alarms()).fireAlarm(alarm);
        AndroidFixture.idleMainLooper();

        assertNotNull(android.broker.awaitReceived("alarm-ping", PacketType.PINGREQ));
        PowerManager.WakeLock wakeLock = ShadowPowerManager.getLatestWakeLock();
        assertNotNull("a wake lock was taken for the exchange", wakeLock);
        assertEquals(1, shadowOf(wakeLock).getTimesHeld());
        AndroidFixture.waitFor(() -> pipit.client().health().lastPingRttNs() >= 0 && !wakeLock.isHeld(), 5_000,
                "PINGRESP received and the wake lock released");
        assertEquals(1, pipit.client().health().pingsSent());
        assertNotNull("the next keepalive is armed", shadowOf(alarms()).peekNextScheduledAlarm());
    }

    @Test
    public void shouldRearmWithoutPingingWhenAnAlarmFiresBeforeTheDeadline() throws Exception {
        PipitAndroid pipit = android.attach(android.builder("alarm-early", 50, 100), clock, "early");
        android.networkAvailable(100);
        connect(pipit);
        ShadowAlarmManager.ScheduledAlarm alarm = keepAliveAlarm();
        slept.addAndGet(TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_MS / 2));
        shadowOf(alarms()).fireAlarm(alarm); // half-way: delivered early, nothing is due
        AndroidFixture.idleMainLooper();
        // Wait for the re-armed alarm rather than for a fixed time (the receiver re-arms it, and the client's I/O
        // thread may arm it too): the one armed at connect is due in about the whole interval, the re-armed one in
        // at most the half that is left.
        AndroidFixture.waitFor(() -> latestAlarmDueIn() >= 0 && latestAlarmDueIn() <= KEEPALIVE_MS / 2 + 1, 5_000,
                "the alarm re-armed for the rest of the interval");
        assertDueIn(shadowOf(alarms()).peekNextScheduledAlarm(), KEEPALIVE_MS / 2, "for the rest of the interval");
        AndroidFixture.assertStaysFalse(() -> pipit.client().health().pingsSent() > 0, 200,
                "a ping for an alarm that came before the deadline");
        assertTrue(ShadowPowerManager.getLatestWakeLock() == null
                || !ShadowPowerManager.getLatestWakeLock().isHeld());
    }

    @Test
    public void shouldUseImmutablePendingIntentsForThisAppOnly() throws Exception {
        PipitAndroid pipit = android.attach(android.builder("alarm-flags", 50, 100), clock, "flags");
        PendingIntent operation = scheduler(pipit).operation();
        assertTrue(shadowOf(operation).isImmutable());
        assertEquals(AlarmKeepAliveScheduler.FLAG_IMMUTABLE, shadowOf(operation).getFlags()
                & PendingIntent.FLAG_IMMUTABLE);
        assertTrue(shadowOf(operation).isBroadcast());
        assertEquals(android.context.getPackageName(), shadowOf(operation).getSavedIntent().getPackage());
    }

    @Test
    public void shouldFallBackToAnInexactAlarmWhenExactAlarmsAreNotPermitted() throws Exception {
        ShadowAlarmManager.setCanScheduleExactAlarms(false); // Android 12+: SCHEDULE_EXACT_ALARM not granted
        PipitAndroid pipit = android.attach(android.builder("alarm-inexact", 50, 100), clock, "inexact");
        android.networkAvailable(100);
        connect(pipit);
        ShadowAlarmManager.ScheduledAlarm alarm = keepAliveAlarm();
        assertFalse(scheduler(pipit).exact());
        assertTrue(alarm.isAllowWhileIdle());
    }

    private void connect(PipitAndroid pipit) throws io.pipit.mqtt.MqttException {
        connectingNs = System.nanoTime();
        pipit.client().connect();
    }

    /**
     * Waits for the keepalive alarm: the first due in more than half the interval (the connect timeout's is due in
     * 5 s at most). The CONNECT's send time, where the keepalive deadline counts from, is not known to the test.
     */
    private ShadowAlarmManager.ScheduledAlarm keepAliveAlarm() throws InterruptedException {
        AndroidFixture.waitFor(() -> latestAlarmDueIn() > KEEPALIVE_MS / 2, 10_000, "the keepalive alarm armed");
        return shadowOf(alarms()).peekNextScheduledAlarm();
    }

    /**
     * Asserts that {@code alarm} is due in {@code expectedMs} counted from the moment of {@link #connect}, give or
     * take when exactly the client sent its CONNECT and armed the alarm: at most {@code expectedMs}, and at least
     * that less the real time passed since right before {@code connect()} (measured, so a slow machine loosens
     * the bound instead of failing it).
     */
    private void assertDueIn(ShadowAlarmManager.ScheduledAlarm alarm, long expectedMs, String what) {
        long dueInMs = alarm.getTriggerAtMs() - SystemClock.elapsedRealtime();
        long sinceConnectingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectingNs) + 1;
        assertTrue("due " + what + ": in " + dueInMs + " ms, expected " + expectedMs + " ms less at most the "
                + sinceConnectingMs + " ms since connecting", dueInMs >= expectedMs - sinceConnectingMs
                && dueInMs <= expectedMs + 1);
    }

    private long latestAlarmDueIn() {
        ShadowAlarmManager.ScheduledAlarm alarm = shadowOf(alarms()).peekNextScheduledAlarm();
        return alarm == null ? -1 : alarm.getTriggerAtMs() - SystemClock.elapsedRealtime();
    }

    private AlarmManager alarms() {
        return (AlarmManager) android.context.getSystemService(Context.ALARM_SERVICE);
    }

    private static AlarmKeepAliveScheduler scheduler(PipitAndroid pipit) {
        return pipit.scheduler();
    }
}
