package io.pipit.pi4j;

/**
 * Turns a bouncing contact into clean level changes: a new level counts once it has held, without any further
 * edge, for the debounce time. Time is an argument (nanoseconds, compared by subtraction), so tests run it on a
 * virtual clock. Thread-safe: edges arrive on Pi4J's event thread, {@link #settle} runs on the sampling thread;
 * both are allocation-free.
 */
final class Debouncer {
    private final long debounceNs;
    private boolean raw;
    private boolean stable;
    private long lastEdgeNs;
    private long changeCount;

    Debouncer(long debounceNs, boolean initialLevel, long nowNs) {
        if (debounceNs < 0) {
            throw new IllegalArgumentException("debounce time must not be negative: " + debounceNs + " ns");
        }
        this.debounceNs = debounceNs;
        this.raw = initialLevel;
        this.stable = initialLevel;
        this.lastEdgeNs = nowNs;
    }

    /** The input now reads {@code level}. */
    synchronized void edge(boolean level, long nowNs) {
        if (level != raw) {
            raw = level;
            lastEdgeNs = nowNs;
        }
    }

    /** @return true when the debounced level changed with this call (read it with {@link #level()}) */
    synchronized boolean settle(long nowNs) {
        if (raw == stable || nowNs - lastEdgeNs < debounceNs) {
            return false;
        }
        stable = raw;
        changeCount++;
        return true;
    }

    /** @return the debounced level */
    synchronized boolean level() {
        return stable;
    }

    /** @return debounced changes so far */
    synchronized long changeCount() {
        return changeCount;
    }
}
