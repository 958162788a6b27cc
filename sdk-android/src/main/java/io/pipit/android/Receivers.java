package io.pipit.android;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.IntentFilter;
import android.os.Build;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;

/** Registers the adapters' runtime receivers, not exported where the platform asks (API 33+). Stateless. */
final class Receivers {
    /** {@code Context.RECEIVER_NOT_EXPORTED} (API 33). */
    private static final int RECEIVER_NOT_EXPORTED = 0x4;

    private Receivers() {
    }

    /**
     * Registers {@code receiver} for broadcasts of this app (its own alarms) and of the system (which reach
     * unexported receivers too). Android 14 refuses a runtime receiver that does not say whether it is exported.
     */
    static void register(Context context, BroadcastReceiver receiver, IntentFilter filter) {
        if (Build.VERSION.SDK_INT >= 33) {
            registerNotExported(context, receiver, filter);
        } else {
            context.registerReceiver(receiver, filter);
        }
    }

    @IgnoreJRERequirement // called on API 33+ only
    private static void registerNotExported(Context context, BroadcastReceiver receiver, IntentFilter filter) {
        context.registerReceiver(receiver, filter, RECEIVER_NOT_EXPORTED);
    }
}
