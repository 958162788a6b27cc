package io.pipit.mqtt.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeadlineHeapTest {
    private final DeadlineHeap heap = new DeadlineHeap();

    private static LoopEntry entry() {
        return new LoopEntry(null);
    }

    @Test
    void shouldHandOutDueEntriesEarliestFirstAndKeepTheRest() {
        LoopEntry late = entry();
        LoopEntry early = entry();
        LoopEntry middle = entry();
        heap.schedule(late, 300);
        heap.schedule(early, 100);
        heap.schedule(middle, 200);

        assertEquals(100, heap.nextDeadlineNs());
        assertSame(early, heap.pollDue(250));
        assertSame(middle, heap.pollDue(250));
        assertNull(heap.pollDue(250), "300 is not due at 250");
        assertEquals(300, heap.nextDeadlineNs());
        assertEquals(-1, early.heapIndex, "a polled entry leaves the heap");
        assertEquals(Long.MAX_VALUE, early.deadlineNs);
    }

    @Test
    void shouldMoveAnEntryWhenRescheduledAndDropItForNoDeadline() {
        LoopEntry a = entry();
        LoopEntry b = entry();
        heap.schedule(a, 100);
        heap.schedule(b, 200);
        heap.schedule(a, 500);
        assertEquals(200, heap.nextDeadlineNs());
        heap.schedule(b, Long.MAX_VALUE);
        assertEquals(500, heap.nextDeadlineNs());
        assertEquals(1, heap.size());
        heap.remove(a);
        heap.remove(a); // twice is harmless
        assertEquals(Long.MAX_VALUE, heap.nextDeadlineNs());
        assertNull(heap.pollDue(Long.MAX_VALUE - 1));
    }

    @Test
    void shouldAgreeWithAPlainListOverManyRandomOperations() {
        Random random = new Random(42);
        List<LoopEntry> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            entries.add(entry());
        }
        for (int step = 0; step < 20_000; step++) {
            LoopEntry picked = entries.get(random.nextInt(entries.size()));
            int action = random.nextInt(10);
            if (action < 7) {
                heap.schedule(picked, random.nextInt(1_000_000) - 500_000L); // nanoTime may be negative
            } else if (action < 9) {
                heap.remove(picked);
            } else {
                long now = random.nextInt(1_000_000) - 500_000L;
                long earliest = earliest(entries);
                Map<LoopEntry, Long> before = new IdentityHashMap<>();
                entries.forEach(e -> before.put(e, e.deadlineNs));
                LoopEntry due = heap.pollDue(now);
                if (earliest <= now) {
                    assertEquals(earliest, (long) before.get(due), "the earliest deadline is handed out first");
                    assertEquals(-1, due.heapIndex);
                } else {
                    assertNull(due);
                }
            }
            assertEquals(earliest(entries), heap.nextDeadlineNs(), "step " + step);
            assertEquals(entries.stream().filter(e -> e.heapIndex >= 0).count(), heap.size());
        }
    }

    private static long earliest(List<LoopEntry> entries) {
        return entries.stream().filter(e -> e.heapIndex >= 0).mapToLong(e -> e.deadlineNs).min()
                .orElse(Long.MAX_VALUE);
    }
}
