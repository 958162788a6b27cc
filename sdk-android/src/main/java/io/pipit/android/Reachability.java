package io.pipit.android;

import io.pipit.mqtt.client.MqttClient;

/**
 * Decides from the platform's signals whether the client may use the network, and tells it only on change:
 * a default network exists ({@link NetworkMonitor}) and the app's traffic is not blocked (Doze, App Standby or
 * Data Saver, from {@code onBlockedStatusChanged} on API 29+ and from {@link DozeMonitor} before). While it may
 * not, reconnect attempts pause ({@link MqttClient#networkLost()}); when it may again, or the default network
 * changes, {@link MqttClient#networkAvailable} reconnects at once or moves the connection. Thread-safe: the
 * callbacks arrive on the framework's threads.
 */
final class Reachability {
    private final MqttClient client;
    private String networkKey;
    private boolean networkBlocked;
    private boolean dozeBlocked;
    private boolean reported;
    private String reportedKey;

    Reachability(MqttClient client) {
        this.client = client;
    }

    /** The default network is now {@code key}; null: there is none. */
    synchronized void network(String key) {
        networkKey = key;
        report();
    }

    /** The platform blocks (or unblocks) this app's traffic on the default network (API 29+). */
    synchronized void networkBlocked(boolean blocked) {
        networkBlocked = blocked;
        report();
    }

    /** Doze blocks (or unblocks) this app's traffic: the device is idle and the app is not exempt. */
    synchronized void dozeBlocked(boolean blocked) {
        dozeBlocked = blocked;
        report();
    }

    /** @return the default network's key, or null when there is none */
    synchronized String networkKey() {
        return networkKey;
    }

    /** @return true while the client may use the network */
    synchronized boolean usable() {
        return networkKey != null && !networkBlocked && !dozeBlocked;
    }

    private void report() {
        boolean usable = usable();
        if (usable && (!reported || !networkKey.equals(reportedKey))) {
            client.networkAvailable(networkKey);
        } else if (!usable && (reported || reportedKey == null)) {
            client.networkLost();
        }
        reported = usable;
        reportedKey = usable ? networkKey : "";
    }
}
