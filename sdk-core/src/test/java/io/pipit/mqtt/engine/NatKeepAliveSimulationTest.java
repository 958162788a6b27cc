package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.keepalive.KeepAlivePolicy;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The adaptive keepalive against NATs that silently forget an idle connection after T ∈ {45, 120, 300, 900} s,
 * for 24 simulated hours each (milliseconds of test time), beside a fixed 30 s keepalive on the same path. The
 * adaptive policy must settle within 15 % below T, never stay above it, and wake the radio less. Prints the
 * table quoted in bench/README.md ("Keepalive on NAT'd paths").
 */
class NatKeepAliveSimulationTest {
    private static final long S = 1_000_000_000L;
    private static final long DAY = 24 * 3600 * S;
    private static final long[] NAT_IDLE_SECONDS = {45, 120, 300, 900};

    @Test
    void shouldConvergeBelowEachNatTimeoutAndWakeTheRadioLessThanFixed30s() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%6s | %13s | %11s | %18s | %10s | %7s | %10s | %6s | %9s%n", "NAT T", "fixed 30 s /h", "adaptive /h",
                "adaptive /h 12-24h", "learned", "% of T", "settled at", "losses", "blind s/d"));
        for (long t : NAT_IDLE_SECONDS) {
            NatPath fixed = new NatPath(t * S, KeepAlivePolicy.fixed(30, TimeUnit.SECONDS));
            fixed.run(DAY);
            NatPath adaptive = new NatPath(t * S, KeepAlivePolicy.adaptive(30, 1800, TimeUnit.SECONDS));
            adaptive.run(DAY);

            long learned = adaptive.engine().keepAliveIntervalNs();
            long lossesLateInTheDay = NatPath.sum(adaptive.losses, 12, 24);
            double fixedPerHour = NatPath.perHour(fixed.wakeups, 0, 24);
            double adaptivePerHour = NatPath.perHour(adaptive.wakeups, 0, 24);
            double steadyPerHour = NatPath.perHour(adaptive.wakeups, 12, 24);
            table.append(String.format(Locale.ROOT, "%4d s | %13.1f | %11.1f | %18.1f | %8.1f s | %6.1f%% | %8.1f h | %6d | %9.0f%n",
                    t, fixedPerHour, adaptivePerHour, steadyPerHour, learned / (double) S, 100.0 * learned / (t * S),
                    adaptive.convergedAtNs / (3600.0 * S), NatPath.sum(adaptive.losses, 0, 24),
                    adaptive.unawareNs / (double) S));

            assertEquals(0, NatPath.sum(fixed.losses, 0, 24), "30 s never outlasts a " + t + " s NAT");
            assertTrue(adaptive.tuner().isHolding(), "settled on the " + t + " s NAT: " + adaptive.tuner());
            assertTrue(learned < t * S && learned >= t * S * 85 / 100,
                    "within 15 % below T = " + t + " s: " + adaptive.tuner());
            assertTrue(lossesLateInTheDay <= 2, "once settled, only the 6-hourly re-probe may fail: "
                    + lossesLateInTheDay);
            assertTrue(adaptive.convergedAtNs > 0 && adaptive.convergedAtNs < 6 * 3600 * S,
                    "settled within 6 h on the " + t + " s NAT");
            assertTrue(steadyPerHour < fixedPerHour, "fewer wakeups than fixed 30 s behind a " + t + " s NAT");
        }
        System.out.print(table);
    }

    @Test
    void shouldRelearnWhenThePathShortensItsTimeout() {
        NatPath path = new NatPath(900 * S, KeepAlivePolicy.adaptive(30, 1800, TimeUnit.SECONDS));
        path.run(DAY);
        assertTrue(path.engine().keepAliveIntervalNs() > 765 * S);
        NatPath shorter = path.natIdle(120 * S);
        shorter.run(DAY);
        long learned = path.engine().keepAliveIntervalNs();
        assertTrue(learned < 120 * S && learned >= 102 * S, "relearned below the new 120 s: " + path.tuner());
    }
}
