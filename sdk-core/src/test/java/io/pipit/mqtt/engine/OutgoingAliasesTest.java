package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Outgoing topic aliases: assigned on first use, reused after, least recently used reassigned when full. */
class OutgoingAliasesTest {
    private final OutgoingAliases aliases = new OutgoingAliases(16);

    private int aliasFor(String topic) {
        ByteBuffer buf = ByteBuffer.wrap(("xx" + topic).getBytes(StandardCharsets.UTF_8));
        return aliases.aliasFor(buf, 2, buf.capacity() - 2);
    }

    @Test
    void shouldAssignReuseAndReassignAcrossShortAndLongTopics() {
        assertFalse(aliases.isEnabled());
        aliases.reset(2);
        assertTrue(aliases.isEnabled());
        String longTopic = "sensors/building-7/floor-3/room-12/temperature/celsius";
        assertEquals(-1, aliasFor("a"));
        assertEquals(-2, aliasFor(longTopic));
        assertEquals(1, aliasFor("a"));
        assertEquals(2, aliasFor(longTopic));
        assertEquals(-1, aliasFor(longTopic + "/x"), "the least recently used slot is reassigned");
        assertEquals(1, aliasFor(longTopic + "/x"));
        aliases.reset(2);
        assertEquals(-1, aliasFor("b"), "a new connection starts over");
        assertEquals(-2, aliasFor(longTopic));
    }
}
