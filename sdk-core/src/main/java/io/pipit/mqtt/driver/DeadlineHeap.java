package io.pipit.mqtt.driver;

import java.util.Arrays;

/**
 * The loop's timers: a binary min-heap of {@link LoopEntry}s by deadline, each entry knowing its own index, so
 * rescheduling or removing one costs O(log n) and finding the next deadline O(1) however many connections share
 * the loop. Deadlines are {@link NanoClock} readings; {@link Long#MAX_VALUE} means none. Not thread-safe: the
 * loop's driving thread only.
 */
final class DeadlineHeap {
    private LoopEntry[] heap = new LoopEntry[4];
    private int size;

    /** Sets {@code entry}'s deadline, adding, moving or (for {@link Long#MAX_VALUE}) removing it. */
    void schedule(LoopEntry entry, long deadlineNs) {
        if (deadlineNs == Long.MAX_VALUE) {
            remove(entry);
            return;
        }
        if (entry.heapIndex < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            entry.deadlineNs = deadlineNs;
            entry.heapIndex = size;
            heap[size++] = entry;
            siftUp(entry.heapIndex);
            return;
        }
        long previous = entry.deadlineNs;
        entry.deadlineNs = deadlineNs;
        if (deadlineNs < previous) {
            siftUp(entry.heapIndex);
        } else if (deadlineNs > previous) {
            siftDown(entry.heapIndex);
        }
    }

    /** Forgets {@code entry}'s deadline, if it has one. */
    void remove(LoopEntry entry) {
        int index = entry.heapIndex;
        entry.deadlineNs = Long.MAX_VALUE;
        if (index < 0) {
            return;
        }
        entry.heapIndex = -1;
        LoopEntry last = heap[--size];
        heap[size] = null;
        if (index < size) {
            heap[index] = last;
            last.heapIndex = index;
            siftDown(index);
            siftUp(last.heapIndex);
        }
    }

    /** @return the earliest deadline, or {@link Long#MAX_VALUE} when there is none */
    long nextDeadlineNs() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadlineNs;
    }

    /** @return an entry whose deadline is at or before {@code nowNs}, now removed from the heap; null if none */
    LoopEntry pollDue(long nowNs) {
        if (size == 0 || heap[0].deadlineNs > nowNs) {
            return null;
        }
        LoopEntry due = heap[0];
        remove(due);
        return due;
    }

    int size() {
        return size;
    }

    private void siftUp(int index) {
        LoopEntry entry = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (heap[parent].deadlineNs <= entry.deadlineNs) {
                break;
            }
            place(heap[parent], index);
            index = parent;
        }
        place(entry, index);
    }

    private void siftDown(int index) {
        LoopEntry entry = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            if (child + 1 < size && heap[child + 1].deadlineNs < heap[child].deadlineNs) {
                child++;
            }
            if (entry.deadlineNs <= heap[child].deadlineNs) {
                break;
            }
            place(heap[child], index);
            index = child;
        }
        place(entry, index);
    }

    private void place(LoopEntry entry, int index) {
        heap[index] = entry;
        entry.heapIndex = index;
    }
}
