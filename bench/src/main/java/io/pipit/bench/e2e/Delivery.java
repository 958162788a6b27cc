package io.pipit.bench.e2e;

import java.util.concurrent.TimeUnit;

/**
 * Waits for a phase's messages to arrive, without allocating (so the measured phase's wait adds no bytes to the
 * publishing thread's count). Stateless, so thread-safe.
 */
final class Delivery {
    /** What the publishing side reports while the benchmark waits; read from the waiting thread. */
    interface Sender {
        /** @return true once every publish of the phase completed (written, or acknowledged at QoS 1) */
        boolean done();

        /** @return {@link System#nanoTime()} of the publishing side's last progress */
        long lastActivityNs();
    }

    private Delivery() {
    }

    /**
     * Returns once {@code target} distinct messages arrived in {@code receipts} and the sender is done, or once
     * the sender is done and nothing arrived for {@code quietNs} (what is missing then is lost), or after
     * {@code timeoutNs}.
     *
     * @return false on the timeout
     */
    static boolean await(Receipts receipts, long target, Sender sender, long quietNs, long timeoutNs)
            throws InterruptedException {
        long startNs = System.nanoTime();
        while (true) {
            long received = receipts.distinctCount();
            boolean sent = sender.done();
            if (sent && received >= target) {
                return true;
            }
            long nowNs = System.nanoTime();
            long lastNs = Math.max(receipts.lastReceiveNs(), sender.lastActivityNs());
            if (sent && nowNs - lastNs > quietNs) {
                return true;
            }
            if (nowNs - startNs > timeoutNs) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }
}
