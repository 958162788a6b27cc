package io.pipit.android;

import android.app.AlarmManager;
import android.app.PendingIntent;
import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.os.Build;
import android.os.PowerManager;
import android.os.SystemClock;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.driver.NanoClock;
import io.pipit.mqtt.keepalive.KeepAliveScheduler;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a client's timers (keepalive ping, PINGRESP timeout, reconnect) running while the device sleeps: an
 * {@link AlarmManager} alarm ({@code ELAPSED_REALTIME_WAKEUP}) at the next deadline wakes the device, and its
 * receiver calls {@link MqttClient#wakeUp()}. A partial wake lock is held from a due alarm until the exchange it
 * started is over (the client counts one more answered ping than when the alarm fired: the PINGREQ went out, or
 * was already out, and its answer came in), the connection has no timer left, or for at most
 * {@link #WAKE_LOCK_TIMEOUT_MS}.
 *
 * <p>Alarms: API 23+ {@code setExactAndAllowWhileIdle} when exact alarms are permitted (always before API 31;
 * from 31 when {@code canScheduleExactAlarms()}), else the inexact {@code setAndAllowWhileIdle}; API 21–22
 * {@code setExact} (there is no Doze). In Doze, allow-while-idle alarms fire at most about once per 9 minutes:
 * a shorter keepalive is then stretched, and the adaptive keepalive learns from the silence that really
 * passed. The PendingIntent is {@code FLAG_IMMUTABLE} on API 23+ (Android 12 refuses one without a mutability
 * flag) and names this app's package, so no other app's broadcast can trigger it.
 *
 * <p>A deadline moves with every packet sent, so {@link #schedule} re-arms for an earlier deadline, or for one
 * more than a second later; an alarm that fires before a later deadline re-arms itself for it. A fast stream of
 * messages therefore costs at most one {@code AlarmManager} call a second, not one per message. Thread-safe.
 */
public final class AlarmKeepAliveScheduler implements KeepAliveScheduler, AutoCloseable {
    /** The longest a wake lock is held for one exchange. */
    public static final long WAKE_LOCK_TIMEOUT_MS = 10_000;
    static final String ACTION_PREFIX = "io.pipit.android.action.KEEPALIVE.";
    /** {@code PendingIntent.FLAG_IMMUTABLE} (API 23). */
    static final int FLAG_IMMUTABLE = 0x04000000;
    private static final long NONE = Long.MAX_VALUE;
    /** An alarm this close to the deadline counts as due (alarms are delivered late, not early). */
    private static final long DUE_SLACK_NS = 5_000_000;
    /**
     * A deadline this much later than the armed alarm re-arms it (saving the device a wake-up for nothing);
     * a smaller move does not. Since keepalive deadlines move with real time, that is at most one re-arm per
     * second however fast messages go.
     */
    private static final long REARM_LATER_NS = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(AlarmKeepAliveScheduler.class);

    private final Context context;
    private final AlarmManager alarms;
    private final PowerManager.WakeLock wakeLock;
    private final NanoClock clock;
    private final String action;
    private final PendingIntent operation;
    private final BroadcastReceiver receiver = new BroadcastReceiver() {
        @Override
        public void onReceive(Context context, Intent intent) {
            onAlarm();
        }
    };
    private volatile MqttClient client;
    private long requestedNs = NONE;
    private long armedNs = NONE;
    /** The client's answered-ping count when a due alarm took the wake lock; -1: none held. */
    private long answeredAtAlarm = -1;
    private boolean exact;
    private boolean closed;

    /**
     * @param name tells apart the alarms of several clients in one app (e.g. the client id)
     * @param clock the client's clock (see {@link io.pipit.mqtt.client.MqttClientBuilder#clock})
     */
    public AlarmKeepAliveScheduler(Context context, String name, NanoClock clock) {
        this.context = context.getApplicationContext() == null ? context : context.getApplicationContext();
        this.alarms = (AlarmManager) this.context.getSystemService(Context.ALARM_SERVICE);
        PowerManager power = (PowerManager) this.context.getSystemService(Context.POWER_SERVICE);
        if (alarms == null || power == null) {
            throw new IllegalStateException("no AlarmManager or PowerManager in this context");
        }
        this.wakeLock = power.newWakeLock(PowerManager.PARTIAL_WAKE_LOCK, "pipit:keepalive");
        wakeLock.setReferenceCounted(false);
        this.clock = clock;
        this.action = ACTION_PREFIX + name;
        Intent intent = new Intent(action).setPackage(this.context.getPackageName());
        int flags = PendingIntent.FLAG_UPDATE_CURRENT | (Build.VERSION.SDK_INT >= 23 ? FLAG_IMMUTABLE : 0);
        this.operation = PendingIntent.getBroadcast(this.context, 0, intent, flags);
    }

    /** Starts delivering alarms to {@code mqttClient} (the client built with this scheduler). */
    public void attach(MqttClient mqttClient) {
        if (client != null) {
            throw new IllegalStateException("already attached to a client");
        }
        client = mqttClient;
        Receivers.register(context, receiver, new IntentFilter(action));
    }

    /** Called by the client's driving thread when its next timer deadline changes. */
    @Override
    public synchronized void schedule(long deadlineNs) {
        requestedNs = deadlineNs;
        if (closed) {
            return;
        }
        MqttClient target = client;
        if (answeredAtAlarm >= 0 && target != null && target.health().pingsAnswered() > answeredAtAlarm) {
            endExchange(); // the ping the alarm was for has its answer (a snapshot per exchange, not per message)
        }
        if (deadlineNs == NONE) {
            cancelAlarm();
            endExchange();
        } else if (armedNs == NONE || deadlineNs - armedNs < 0 || deadlineNs - armedNs > REARM_LATER_NS) {
            arm(deadlineNs, clock.nanoTime());
        }
    }

    /** Cancels the alarm, releases the wake lock and stops receiving alarms. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            cancelAlarm();
            endExchange();
        }
        if (client != null) {
            context.unregisterReceiver(receiver);
        }
    }

    /** @return the PendingIntent the alarms deliver (for tests and diagnostics) */
    PendingIntent operation() {
        return operation;
    }

    /** @return true when the last alarm was exact, false when the platform allowed only inexact ones */
    synchronized boolean exact() {
        return exact;
    }

    private void onAlarm() {
        MqttClient target = client;
        synchronized (this) {
            armedNs = NONE;
            if (closed || requestedNs == NONE) {
                return;
            }
            long nowNs = clock.nanoTime();
            if (requestedNs - nowNs > DUE_SLACK_NS) {
                arm(requestedNs, nowNs); // the deadline moved on since this alarm was set: nothing is due yet
                return;
            }
            holdForExchange(target);
            // a watchdog: if the work changes no deadline, this alarm still brings the next one
            arm(nowNs + WAKE_LOCK_TIMEOUT_MS * 1_000_000, nowNs);
        }
        if (target != null) {
            target.wakeUp();
        }
    }

    private void holdForExchange(MqttClient target) {
        if (target == null) {
            return; // not attached: nothing will be woken, so there is no exchange to hold the device awake for
        }
        try {
            wakeLock.acquire(WAKE_LOCK_TIMEOUT_MS);
            answeredAtAlarm = target.health().pingsAnswered();
        } catch (SecurityException e) {
            LOG.warn("no WAKE_LOCK permission: the ping runs without a wake lock and may be delayed by sleep", e);
        }
    }

    private void endExchange() {
        answeredAtAlarm = -1;
        if (wakeLock.isHeld()) {
            wakeLock.release();
        }
    }

    private void arm(long deadlineNs, long nowNs) {
        long delayMs = Math.max(0, (deadlineNs - nowNs + 999_999) / 1_000_000);
        long triggerAtMs = SystemClock.elapsedRealtime() + delayMs;
        if (Build.VERSION.SDK_INT >= 23) {
            armAllowWhileIdle(triggerAtMs);
        } else {
            alarms.setExact(AlarmManager.ELAPSED_REALTIME_WAKEUP, triggerAtMs, operation);
            exact = true;
        }
        armedNs = deadlineNs;
    }

    @IgnoreJRERequirement // called on API 23+ only; canScheduleExactAlarms on 31+ only
    private void armAllowWhileIdle(long triggerAtMs) {
        if (Build.VERSION.SDK_INT < 31 || alarms.canScheduleExactAlarms()) {
            try {
                alarms.setExactAndAllowWhileIdle(AlarmManager.ELAPSED_REALTIME_WAKEUP, triggerAtMs, operation);
                exact = true;
                return;
            } catch (SecurityException e) {
                LOG.warn("exact alarm refused (permission revoked?): falling back to an inexact one", e);
            }
        }
        alarms.setAndAllowWhileIdle(AlarmManager.ELAPSED_REALTIME_WAKEUP, triggerAtMs, operation);
        exact = false;
    }

    private void cancelAlarm() {
        if (armedNs != NONE) {
            alarms.cancel(operation);
            armedNs = NONE;
        }
    }
}
