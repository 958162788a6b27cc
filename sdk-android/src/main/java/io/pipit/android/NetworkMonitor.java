package io.pipit.android;

import android.content.Context;
import android.net.ConnectivityManager;
import android.net.Network;
import android.net.NetworkCapabilities;
import android.net.NetworkRequest;
import android.os.Build;
import java.util.ArrayList;
import java.util.List;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;

/**
 * Follows the device's default network with a {@link ConnectivityManager.NetworkCallback} and reports it to
 * {@link Reachability}: a usable network reconnects the client at once, losing it pauses reconnect attempts,
 * and a new default network (Wi-Fi to cellular and back) moves the connection instead of waiting for a
 * keepalive timeout to notice that the old socket is dead. The network key (for the adaptive keepalive's
 * per-network results) is the {@link Network}'s {@code toString()}, its netId.
 *
 * <p>API 24+: {@code registerDefaultNetworkCallback}, and on API 29+ {@code onBlockedStatusChanged} also
 * pauses the client while Doze, App Standby or Data Saver block the app. API 21–23 have no default-network
 * callback: every network with internet capability is followed and the most recent one to appear is taken as
 * the default. Thread-safe.
 */
final class NetworkMonitor extends ConnectivityManager.NetworkCallback {
    private final ConnectivityManager connectivity;
    private final Reachability reachability;
    /** API 21–23 only: the networks seen available, most recent last. */
    private final List<Network> available = new ArrayList<>();
    private boolean registered;

    NetworkMonitor(Context context, Reachability reachability) {
        this.connectivity = (ConnectivityManager) context.getSystemService(Context.CONNECTIVITY_SERVICE);
        if (connectivity == null) {
            throw new IllegalStateException("no ConnectivityManager in this context");
        }
        this.reachability = reachability;
    }

    /** Registers the callback; the framework reports the current default network at once. */
    synchronized void start() {
        if (registered) {
            return;
        }
        if (Build.VERSION.SDK_INT >= 24) {
            registerDefault();
        } else {
            NetworkRequest request = new NetworkRequest.Builder()
                    .addCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET).build();
            connectivity.registerNetworkCallback(request, this);
        }
        registered = true;
    }

    /** Unregisters the callback. Idempotent. */
    synchronized void stop() {
        if (registered) {
            connectivity.unregisterNetworkCallback(this);
            registered = false;
            available.clear();
        }
    }

    @IgnoreJRERequirement // called on API 24+ only
    private void registerDefault() {
        connectivity.registerDefaultNetworkCallback(this);
    }

    @Override
    public void onAvailable(Network network) {
        synchronized (this) {
            if (Build.VERSION.SDK_INT >= 24) {
                available.clear(); // one default network at a time: the new one replaces the old
            }
            available.remove(network);
            available.add(network);
        }
        reachability.network(key(network));
    }

    @Override
    public void onLost(Network network) {
        String key = key(network);
        String next;
        synchronized (this) {
            available.remove(network);
            if (!key.equals(reachability.networkKey())) {
                return; // not the one in use (API 21–23 follow several)
            }
            next = available.isEmpty() ? null : key(available.get(available.size() - 1));
        }
        reachability.network(next);
    }

    /** API 29+: Doze, App Standby or Data Saver block (or unblock) this app on the default network. */
    @Override
    public void onBlockedStatusChanged(Network network, boolean blocked) {
        reachability.networkBlocked(blocked);
    }

    static String key(Network network) {
        return network.toString();
    }
}
