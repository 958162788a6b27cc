package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact packet-identifier set: membership, the acquire cursor, growth and removal. */
class PacketIdSetTest {
    private final PacketIdSet ids = new PacketIdSet();

    @Test
    void shouldAddContainAndRemove() {
        assertTrue(ids.add(7));
        assertFalse(ids.add(7));
        assertTrue(ids.contains(7));
        assertFalse(ids.contains(8));
        assertEquals(1, ids.size());
        assertTrue(ids.remove(7));
        assertFalse(ids.remove(7));
        assertFalse(ids.contains(7));
        assertEquals(0, ids.size());
    }

    @Test
    void shouldRefuseIdentifiersOutsideTheRange() {
        assertThrows(IllegalArgumentException.class, () -> ids.add(0));
        assertThrows(IllegalArgumentException.class, () -> ids.add(65_536));
        assertThrows(IllegalArgumentException.class, () -> ids.remove(-1));
        assertFalse(ids.contains(0));
        assertFalse(ids.contains(65_536));
    }

    @Test
    void shouldAcquireInOrderSkippingIdsInUseAndNotReuseAReleasedOneAtOnce() {
        ids.add(2);
        assertEquals(1, ids.acquire());
        assertEquals(3, ids.acquire());
        ids.remove(1);
        assertEquals(4, ids.acquire());
    }

    @Test
    void shouldWrapTheCursorAfter65535() {
        ids.add(65_534);
        for (int i = 1; i <= 65_533; i++) {
            assertEquals(i, ids.acquire());
            ids.remove(i);
        }
        assertEquals(65_535, ids.acquire());
        assertEquals(1, ids.acquire());
    }

    @Test
    void shouldFillAll65535AndThenReturnZero() {
        for (int i = 1; i <= 65_535; i++) {
            assertEquals(i, ids.acquire());
        }
        assertEquals(65_535, ids.size());
        assertEquals(0, ids.acquire());
        assertTrue(ids.remove(40_000));
        assertEquals(40_000, ids.acquire());
        for (int i = 1; i <= 65_535; i++) {
            assertTrue(ids.contains(i));
        }
    }

    @Test
    void shouldStartSmallAndGrowOnlyPastHalfFull() {
        assertEquals(16, ids.capacity());
        for (int i = 1; i <= 8; i++) {
            ids.acquire();
        }
        assertEquals(16, ids.capacity());
        ids.acquire();
        assertEquals(32, ids.capacity());
        ids.clear();
        assertEquals(0, ids.size());
        assertFalse(ids.contains(1));
        assertEquals(32, ids.capacity());
    }

    @Test
    void shouldNotGrowWhenAWindowCyclesThroughAllIdentifiers() {
        int[] window = new int[16];
        for (int i = 0; i < window.length; i++) {
            window[i] = ids.acquire();
        }
        int capacity = ids.capacity();
        for (int n = 0; n < 200_000; n++) {
            int slot = n % window.length;
            assertTrue(ids.remove(window[slot]));
            window[slot] = ids.acquire();
        }
        assertEquals(capacity, ids.capacity());
        assertEquals(window.length, ids.size());
    }

    @Test
    void shouldAgreeWithABitSetUnderRandomAddsAndRemoves() {
        Random random = new Random(11);
        BitSet model = new BitSet();
        int size = 0;
        for (int n = 0; n < 300_000; n++) {
            // A narrow range collides often, so removal keeps shifting probe runs back.
            int id = 1 + random.nextInt(n < 150_000 ? 300 : 65_535);
            if (random.nextBoolean()) {
                boolean added = !model.get(id);
                assertEquals(added, ids.add(id));
                size += added ? 1 : 0;
                model.set(id);
            } else {
                boolean removed = model.get(id);
                assertEquals(removed, ids.remove(id));
                size -= removed ? 1 : 0;
                model.clear(id);
            }
            assertEquals(size, ids.size());
        }
        for (int id = 1; id <= 65_535; id++) {
            assertEquals(model.get(id), ids.contains(id), "id " + id);
        }
    }
}
