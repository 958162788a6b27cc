package io.pipit.mqtt.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reconnect backoff on a virtual clock: growth, cap, full-jitter bounds, reset after a stable connection. */
class BackoffTest {
    private static final long S = 1_000_000_000L;

    @Test
    void shouldDoubleTheCeilingUpToTheCapWithDelaysWithinIt() {
        Backoff backoff = new Backoff(S, 60 * S, 10 * S, new Random(7));
        long[] ceilings = {1, 2, 4, 8, 16, 32, 60, 60, 60};
        for (long ceiling : ceilings) {
            assertEquals(ceiling * S, backoff.ceilingNs());
            long delay = backoff.nextDelayNs(0);
            assertTrue(delay >= 0 && delay <= ceiling * S, "delay " + delay + " within [0, " + ceiling + " s]");
        }
    }

    @Test
    void shouldSpreadDelaysOverTheWholeCeiling() {
        Backoff backoff = new Backoff(60 * S, 60 * S, new Random(11));
        long min = Long.MAX_VALUE;
        long max = 0;
        long sum = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            long delay = backoff.nextDelayNs(0);
            min = Math.min(min, delay);
            max = Math.max(max, delay);
            sum += delay;
        }
        assertTrue(min < 60 * S / 100 && max > 60 * S * 99 / 100, "full jitter covers [0, cap]: " + min + ".." + max);
        assertEquals(30.0, sum / (double) n / S, 1.0, "mean of a uniform [0, 60 s]");
    }

    @Test
    void shouldResetOnlyAfterAConnectionStayedUpForTheStableTime() {
        Backoff backoff = new Backoff(S, 60 * S, 10 * S, new Random(3));
        long now = 0;
        for (int i = 0; i < 4; i++) {
            now += backoff.nextDelayNs(now);
        }
        assertEquals(16 * S, backoff.ceilingNs());
        backoff.onConnected(now);
        backoff.nextDelayNs(now + 9 * S);
        assertEquals(32 * S, backoff.ceilingNs(), "dropped after 9 s: not stable, keeps growing");
        backoff.onConnected(now + 20 * S);
        backoff.nextDelayNs(now + 30 * S);
        assertEquals(2 * S, backoff.ceilingNs(), "up for 10 s: reset, then one attempt's doubling");
        backoff.nextDelayNs(now + 40 * S);
        assertEquals(4 * S, backoff.ceilingNs(), "a failed attempt without a connection does not reset");
    }

    @Test
    void shouldRefuseBoundsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, S, new Random()));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(2 * S, S, new Random()));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(S, 2 * S, -1, new Random()));
    }
}
