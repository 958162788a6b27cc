package io.pipit.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Debouncing on a virtual clock: time is whatever the test says. */
class DebouncerTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Debouncer debouncer = new Debouncer(50 * MS, false, 0);

    @Test
    void shouldReportALevelOnceItHeldForTheDebounceTime() {
        debouncer.edge(true, 10 * MS);

        assertFalse(debouncer.settle(59 * MS));
        assertTrue(debouncer.settle(60 * MS));
        assertTrue(debouncer.level());
        assertFalse(debouncer.settle(500 * MS), "one change, reported once");
        assertEquals(1, debouncer.changeCount());
    }

    @Test
    void shouldIgnoreBounceAndGlitchesShorterThanTheDebounceTime() {
        long t = 10 * MS;
        for (int i = 0; i < 6; i++) { // contact bounce: 6 edges 2 ms apart, settling high
            debouncer.edge(i % 2 == 0, t);
            assertFalse(debouncer.settle(t + MS));
            t += 2 * MS;
        }
        debouncer.edge(true, t);
        assertFalse(debouncer.settle(t + 49 * MS), "the last edge restarts the wait");
        assertTrue(debouncer.settle(t + 50 * MS));

        debouncer.edge(false, t + 100 * MS); // a 5 ms glitch low, back high
        debouncer.edge(true, t + 105 * MS);
        assertFalse(debouncer.settle(t + 500 * MS));
        assertTrue(debouncer.level());
        assertEquals(1, debouncer.changeCount());
    }

    @Test
    void shouldCountEachPressAndRelease() {
        for (int press = 0; press < 3; press++) {
            long t = press * 1000 * MS;
            debouncer.edge(true, t);
            assertTrue(debouncer.settle(t + 50 * MS));
            debouncer.edge(false, t + 300 * MS);
            assertTrue(debouncer.settle(t + 350 * MS));
        }
        assertEquals(6, debouncer.changeCount());
        assertFalse(debouncer.level());
    }
}
