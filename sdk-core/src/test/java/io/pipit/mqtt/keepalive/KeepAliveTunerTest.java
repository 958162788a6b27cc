package io.pipit.mqtt.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The adaptive state machine on hand-set time: growth, step back, bisection, hold, re-probe, per-network memory. */
class KeepAliveTunerTest {
    private static final long S = 1_000_000_000L;

    private final KeepAliveTuner tuner = KeepAlivePolicy.adaptive(30, 1800, TimeUnit.SECONDS).newTuner();
    private long now;

    /** Pings at the current interval until one is lost at {@code limit} or more; @return the interval then. */
    private long answerIdlePings(int count) {
        for (int i = 0; i < count; i++) {
            now += tuner.intervalNs();
            tuner.onPingAnswered(tuner.intervalNs(), now);
        }
        return tuner.intervalNs();
    }

    @Test
    void shouldGrowByHalfAfterTwoAnsweredPings() {
        assertEquals(30 * S, tuner.intervalNs());
        assertEquals(30 * S, answerIdlePings(1));
        assertEquals(45 * S, answerIdlePings(1));
        assertEquals(67_500_000_000L, answerIdlePings(2));
        assertFalse(tuner.isHolding());
    }

    @Test
    void shouldStepBackToTheLastGoodIntervalOnALossThenBisect() {
        answerIdlePings(4); // 30, 30, 45, 45 survived: now 67.5 s
        now += tuner.intervalNs();
        tuner.onPingLost(67_500_000_000L, now);
        assertEquals(45 * S, tuner.intervalNs(), "stepped back to the longest surviving interval");
        assertEquals(67_500_000_000L, tuner.badNs());
        assertEquals(56_250_000_000L, answerIdlePings(2), "then probes half way between good and bad");
    }

    @Test
    void shouldHoldOnceWithinPrecisionAndReprobeTheOldLimitAfterSixHours() {
        tuner.onPingAnswered(100 * S, now);
        tuner.onPingLost(105 * S, now);
        assertTrue(tuner.isHolding(), "100 s survived and 105 s failed: within 8 %");
        assertEquals(95 * S, tuner.intervalNs(), "held 5 % below the longest silence that survived");
        for (long t = 0; t < 6 * 3600 * S - 95 * S; t += 95 * S) {
            answerIdlePings(1);
            assertEquals(95 * S, tuner.intervalNs(), "holds for six hours");
        }
        answerIdlePings(1);
        assertEquals(105 * S, tuner.intervalNs(), "re-probes the old limit");
        tuner.onPingLost(105 * S, now);
        assertTrue(tuner.isHolding());
        assertEquals(95 * S, tuner.intervalNs(), "still failing: back to holding below the good one");
    }

    @Test
    void shouldReprobeUpwardWhenTheOldLimitNowSurvives() {
        KeepAliveTuner quick = KeepAlivePolicy.adaptive(30, 1800, TimeUnit.SECONDS)
                .reprobeAfter(1, TimeUnit.HOURS).newTuner();
        quick.onPingAnswered(100 * S, 0);
        quick.onPingLost(105 * S, 0);
        quick.onPingAnswered(100 * S, 3600 * S);
        assertEquals(105 * S, quick.intervalNs());
        quick.onPingAnswered(105 * S, 3700 * S);
        quick.onPingAnswered(105 * S, 3800 * S);
        assertEquals(157_500_000_000L, quick.intervalNs(), "the limit moved: growth resumes");
        assertEquals(Long.MAX_VALUE, quick.badNs());
    }

    @Test
    void shouldTreatOneLossBelowTheKnownGoodAsAnOutageButTwoAsAChangedPath() {
        tuner.onPingAnswered(600 * S, now);
        tuner.onPingLost(700 * S, now);
        long held = tuner.intervalNs();
        tuner.onPingLost(600 * S, now);
        assertEquals(held, tuner.intervalNs(), "one loss at a known-good interval: an outage");
        tuner.onPingLost(600 * S, now);
        assertEquals(30 * S, tuner.intervalNs(), "twice: the path changed, learn again from the minimum");
        assertEquals(600 * S, tuner.badNs());
    }

    @Test
    void shouldIgnorePingsCutShortByTraffic() {
        tuner.onPingAnswered(10 * S, now);
        tuner.onPingAnswered(10 * S, now);
        assertEquals(30 * S, tuner.intervalNs(), "10 s of silence says nothing about 30 s");
    }

    @Test
    void shouldStopGrowingAtTheMaximum() {
        KeepAliveTuner small = KeepAlivePolicy.adaptive(30, 40, TimeUnit.SECONDS).confirmations(1).newTuner();
        small.onPingAnswered(30 * S, 0);
        assertEquals(40 * S, small.intervalNs());
        small.onPingAnswered(40 * S, 0);
        assertEquals(40 * S, small.intervalNs());
        assertTrue(small.isHolding());
    }

    @Test
    void shouldRememberEachNetworksResult() {
        tuner.network("wifi-home");
        tuner.onPingAnswered(300 * S, now);
        tuner.onPingLost(320 * S, now);
        assertEquals(285 * S, tuner.intervalNs());
        tuner.network("lte");
        assertEquals(30 * S, tuner.intervalNs(), "a new network starts from the start interval");
        assertFalse(tuner.isHolding());
        tuner.network("wifi-home");
        assertEquals(285 * S, tuner.intervalNs(), "the home network's result came back");
        assertTrue(tuner.isHolding());
        assertEquals("wifi-home", tuner.networkKey());
    }

    @Test
    void shouldForgetTheLeastRecentlyUsedNetworkBeyondSixteen() {
        tuner.network("first");
        tuner.onPingAnswered(300 * S, now);
        tuner.onPingLost(320 * S, now);
        for (int i = 0; i < KeepAliveTuner.NETWORKS_REMEMBERED + 1; i++) {
            tuner.network("net-" + i);
        }
        tuner.network("first");
        assertEquals(30 * S, tuner.intervalNs());
    }

    @Test
    void shouldKeepAFixedIntervalWhateverHappens() {
        KeepAliveTuner fixed = KeepAlivePolicy.fixed(60, TimeUnit.SECONDS).newTuner();
        fixed.onPingAnswered(60 * S, 0);
        fixed.onPingAnswered(60 * S, 0);
        fixed.onPingLost(60 * S, 0);
        assertEquals(60 * S, fixed.intervalNs());
        assertEquals(30 * S, fixed.pingTimeoutNs(60 * S), "half the interval by default");
        assertEquals(5 * S, KeepAlivePolicy.fixed(60, TimeUnit.SECONDS).pingTimeout(5, TimeUnit.SECONDS).newTuner()
                .pingTimeoutNs(60 * S));
        assertFalse(fixed.isAdaptive());
    }

    @Test
    void shouldAnnounceTheMaximumInConnect() {
        assertEquals(1800, KeepAlivePolicy.adaptive(30, 1800, TimeUnit.SECONDS).connectSeconds());
        assertEquals(60, KeepAlivePolicy.fixed(1, TimeUnit.MINUTES).connectSeconds());
        assertEquals("adaptive keepalive 30..1800 s", KeepAlivePolicy.adaptive(30, 1800, TimeUnit.SECONDS).toString());
    }

    @Test
    void shouldRefuseSettingsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> KeepAlivePolicy.fixed(70_000, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> KeepAlivePolicy.fixed(1500, TimeUnit.MILLISECONDS));
        assertThrows(IllegalArgumentException.class, () -> KeepAlivePolicy.adaptive(60, 30, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> KeepAlivePolicy.adaptive(0, 30, TimeUnit.SECONDS));
        KeepAlivePolicy adaptive = KeepAlivePolicy.adaptive(30, 600, TimeUnit.SECONDS);
        assertThrows(IllegalArgumentException.class, () -> adaptive.start(10, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> adaptive.growth(1.0));
        assertThrows(IllegalArgumentException.class, () -> adaptive.confirmations(0));
        assertThrows(IllegalArgumentException.class, () -> adaptive.precision(0.9));
        assertThrows(IllegalArgumentException.class, () -> adaptive.reprobeAfter(-1, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> adaptive.pingTimeout(0, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> KeepAlivePolicy.fixed(60, TimeUnit.SECONDS).growth(2));
        assertThrows(IllegalArgumentException.class, () -> adaptive.newTuner().network(null));
        assertEquals(60 * S, adaptive.start(60, TimeUnit.SECONDS).newTuner().intervalNs());
    }
}
