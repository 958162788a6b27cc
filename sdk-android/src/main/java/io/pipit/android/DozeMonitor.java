package io.pipit.android;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.os.Build;
import android.os.PowerManager;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;

/**
 * Watches Doze (API 23+: {@link PowerManager#isDeviceIdleMode()} and its change broadcast). In Doze an app's
 * network access is suspended except in maintenance windows, unless the app is exempt: it runs a foreground
 * service, or the user exempted it from battery optimisation. While a non-exempt app is dozing, reconnect
 * attempts pause (they could only fail and push the backoff out); a maintenance window or the end of Doze
 * resumes them at once. Keepalive alarms keep firing in Doze (allow-while-idle, at most about once per 9
 * minutes), so a live connection is still kept. Thread-safe.
 */
final class DozeMonitor extends BroadcastReceiver {
    /** {@code PowerManager.ACTION_DEVICE_IDLE_MODE_CHANGED} (API 23). */
    static final String ACTION_IDLE_CHANGED = "android.os.action.DEVICE_IDLE_MODE_CHANGED";

    private final Context context;
    private final PowerManager power;
    private final Reachability reachability;
    private volatile boolean foregroundService;
    private volatile boolean idle;
    private boolean registered;

    DozeMonitor(Context context, Reachability reachability) {
        this.context = context;
        this.power = (PowerManager) context.getSystemService(Context.POWER_SERVICE);
        this.reachability = reachability;
    }

    /** Starts watching (nothing to watch before API 23, which has no Doze). */
    synchronized void start() {
        if (Build.VERSION.SDK_INT < 23 || registered) {
            return;
        }
        Receivers.register(context, this, new IntentFilter(ACTION_IDLE_CHANGED));
        registered = true;
        update();
    }

    synchronized void stop() {
        if (registered) {
            context.unregisterReceiver(this);
            registered = false;
        }
    }

    /** The app runs (or stopped running) a foreground service, which keeps its network in Doze. */
    void foregroundService(boolean running) {
        foregroundService = running;
        if (Build.VERSION.SDK_INT >= 23) {
            update();
        }
    }

    /** @return true while the device is in Doze (deep idle) */
    boolean idle() {
        return idle;
    }

    @Override
    public void onReceive(Context context, Intent intent) {
        update();
    }

    @IgnoreJRERequirement // called on API 23+ only
    private void update() {
        idle = power != null && power.isDeviceIdleMode();
        boolean exempt = foregroundService
                || power != null && power.isIgnoringBatteryOptimizations(context.getPackageName());
        reachability.dozeBlocked(idle && !exempt);
    }
}
