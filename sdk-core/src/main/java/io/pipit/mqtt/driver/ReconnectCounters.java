package io.pipit.mqtt.driver;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.engine.Engine;
import io.pipit.mqtt.keepalive.ReconnectCause;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts reconnects by {@link ReconnectCause}. The driving thread counts; any thread may read (the counts are
 * atomic, and counting allocates nothing).
 */
final class ReconnectCounters {
    private final AtomicLongArray counts = new AtomicLongArray(ReconnectCause.values().length);

    /**
     * Counts a connection end that a reconnect follows.
     *
     * @param reasonCode as {@link io.pipit.mqtt.engine.EngineListener#onConnectionClosed} gives it
     * @param established true when the connection had reached CONNACK
     * @param networkChanged true when the platform's network change ended it
     */
    void count(int reasonCode, boolean byServer, boolean established, boolean networkChanged) {
        counts.incrementAndGet(causeOf(reasonCode, byServer, established, networkChanged).ordinal());
    }

    static ReconnectCause causeOf(int reasonCode, boolean byServer, boolean established, boolean networkChanged) {
        if (networkChanged) {
            return ReconnectCause.NETWORK_CHANGED;
        }
        if (!established) {
            return ReconnectCause.CONNECT_FAILED;
        }
        if (reasonCode == Engine.NETWORK_FAILURE) {
            return ReconnectCause.NETWORK_ERROR;
        }
        if (byServer) {
            return ReconnectCause.SERVER_DISCONNECT;
        }
        return reasonCode == ReasonCode.KEEP_ALIVE_TIMEOUT ? ReconnectCause.KEEPALIVE_TIMEOUT
                : ReconnectCause.PROTOCOL_ERROR;
    }

    long[] snapshot() {
        long[] copy = new long[counts.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
    }
}
