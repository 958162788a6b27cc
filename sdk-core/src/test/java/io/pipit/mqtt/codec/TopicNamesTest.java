package io.pipit.mqtt.codec;

import static io.pipit.mqtt.codec.TopicNames.EMPTY;
import static io.pipit.mqtt.codec.TopicNames.INVALID_SHARED_SUBSCRIPTION;
import static io.pipit.mqtt.codec.TopicNames.MAX_LENGTH;
import static io.pipit.mqtt.codec.TopicNames.MISPLACED_MULTI_LEVEL_WILDCARD;
import static io.pipit.mqtt.codec.TopicNames.MISPLACED_SINGLE_LEVEL_WILDCARD;
import static io.pipit.mqtt.codec.TopicNames.NULL_CHARACTER;
import static io.pipit.mqtt.codec.TopicNames.TOO_LONG;
import static io.pipit.mqtt.codec.TopicNames.VALID;
import static io.pipit.mqtt.codec.TopicNames.WILDCARD_IN_NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicNamesTest {
    /** Bytes around every range under test: a read outside the range would see wildcards, '/' and U+0000. */
    private static final byte[] BEFORE = {'#', '+', 0, '/'};
    private static final byte[] AFTER = {'/', '#', 0, '+', '$'};

    @Test
    void shouldReportEmptyNameAndFilter() {
        assertEquals(EMPTY, name(""));
        assertEquals(EMPTY, filter(""));
    }

    @Test
    void shouldAcceptLongestAndRejectLongerStrings() {
        assertEquals(VALID, name("a".repeat(MAX_LENGTH)));
        assertEquals(VALID, filter("a/".repeat(MAX_LENGTH / 2) + "#"));
        assertEquals(TOO_LONG, name("a".repeat(MAX_LENGTH + 1)));
        assertEquals(TOO_LONG, filter("a".repeat(MAX_LENGTH + 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "a\u0000b", "a/\u0000", "\u0000/+"})
    void shouldRejectNullCharacter(String topic) {
        assertEquals(NULL_CHARACTER, filter(topic));
        if (topic.indexOf('+') < 0) {
            assertEquals(NULL_CHARACTER, name(topic));
        }
    }

    @Test
    void shouldRejectNullCharacterInsideSharedSubscription() {
        assertEquals(NULL_CHARACTER, filter("$share/g\u0000/a"));
        assertEquals(NULL_CHARACTER, filter("$share/g/a\u0000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "#", "a/+", "a/#", "sport/+/player1", "a+b", "a#", "$share/g/+"})
    void shouldRejectWildcardInTopicName(String topic) {
        assertEquals(WILDCARD_IN_NAME, name(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sport/tennis/player1", "sport/tennis/player1/ranking", "/finance", "finance/", "/", "//",
        "$SYS/monitor/Clients", "Accounts payable", "sport/ténnis/joueur", "日本/東京"})
    void shouldAcceptValidTopicNames(String topic) {
        assertEquals(VALID, name(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "#", "sport/tennis/#", "sport/tennis/player1/#", "sport/#", "+", "+/tennis/#", "sport/+/player1", "+/+",
        "/+", "+/", "a/+/#", "$SYS/#", "$SYS/monitor/+", "/", "//", "$share", "$sharex/a", "$SHARE/+/a", "a/$share/#"})
    void shouldAcceptValidTopicFilters(String topic) {
        assertEquals(VALID, filter(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport/tennis#", "sport/tennis/#/ranking", "##", "#/", "#/a", "a/#b", "a/b#/c", "#+"})
    void shouldRejectMisplacedMultiLevelWildcard(String topic) {
        assertEquals(MISPLACED_MULTI_LEVEL_WILDCARD, filter(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport+", "+sport", "a/b+/c", "a/+b", "++", "+#"})
    void shouldRejectMisplacedSingleLevelWildcard(String topic) {
        assertEquals(MISPLACED_SINGLE_LEVEL_WILDCARD, filter(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "$share/", "$share//a", "$share/g", "$share/g/", "$share/g+/a", "$share/g#/a", "$share/+/a", "$share/#",
        "$share/#/a"})
    void shouldRejectInvalidSharedSubscription(String topic) {
        assertEquals(INVALID_SHARED_SUBSCRIPTION, filter(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/g/a", "$share/g/#", "$share/group/+/x", "$share/g//", "$share/g/$SYS/#"})
    void shouldAcceptValidSharedSubscription(String topic) {
        assertEquals(VALID, filter(topic));
    }

    @Test
    void shouldCheckWildcardsInFilterOfSharedSubscription() {
        assertEquals(MISPLACED_MULTI_LEVEL_WILDCARD, filter("$share/g/a#"));
        assertEquals(MISPLACED_SINGLE_LEVEL_WILDCARD, filter("$share/g/a+"));
        assertEquals(MISPLACED_MULTI_LEVEL_WILDCARD, filter("$share/g/#/a"));
    }

    @Test
    void shouldDescribeEveryResultCodeDifferently() {
        final int[] codes = {VALID, EMPTY, TOO_LONG, NULL_CHARACTER, WILDCARD_IN_NAME, MISPLACED_MULTI_LEVEL_WILDCARD,
            MISPLACED_SINGLE_LEVEL_WILDCARD, INVALID_SHARED_SUBSCRIPTION};
        final Set<String> descriptions = new HashSet<>();
        for (final int code : codes) {
            final String description = TopicNames.describe(code);
            assertTrue(description.endsWith("."), description);
            assertTrue(descriptions.add(description), description);
        }
        final String unknown = TopicNames.describe(-1);
        assertFalse(descriptions.contains(unknown));
        assertEquals(unknown, TopicNames.describe(INVALID_SHARED_SUBSCRIPTION + 1));
    }

    @Test
    void shouldRecognizeSharedSubscription() {
        assertTrue(shared("$share/g/a"));
        assertTrue(shared("$share/"));  // marked shared, though invalid: checkTopicFilter says why
        assertFalse(shared("$share"));
        assertFalse(shared("$SHARE/g/a"));
        assertFalse(shared("a/$share/g/a"));
        assertFalse(shared(""));
    }

    @Test
    void shouldFindFilterInsideSharedSubscription() {
        assertEquals(13, sharedOffset("$share/group/a/b", 0));
        assertEquals(BEFORE.length + 9, sharedOffset("$share/g/#", BEFORE.length));
        assertEquals(9, sharedOffset("$share/g/", 0));
        assertEquals(-1, sharedOffset("$share/group", 0));
        assertEquals(-1, sharedOffset("a/b", 0));
        assertEquals(-1, sharedOffset("$sharegroup/a", 0));
    }

    @Test
    void shouldTellWhetherRangeContainsWildcard() {
        for (final String topic : new String[] {"a/b", "$share/g/a", "/", "$SYS/x"}) {
            final byte[] b = padded(topic);
            assertFalse(TopicNames.containsWildcard(b, BEFORE.length, utf8(topic).length), topic);
            assertFalse(TopicNames.containsWildcard(ByteBuffer.wrap(b), BEFORE.length, utf8(topic).length), topic);
        }
        for (final String topic : new String[] {"a/+", "#", "$share/g/+/b", "a/#"}) {
            final byte[] b = padded(topic);
            assertTrue(TopicNames.containsWildcard(b, BEFORE.length, utf8(topic).length), topic);
            assertTrue(TopicNames.containsWildcard(ByteBuffer.wrap(b), BEFORE.length, utf8(topic).length), topic);
        }
    }

    @ParameterizedTest(name = "\"{0}\" matches \"{1}\": {2}")
    @CsvSource(delimiter = '|', value = {
        // 4.7.1.2 multi-level wildcard
        "sport/tennis/player1/#      | sport/tennis/player1                 | true",
        "sport/tennis/player1/#      | sport/tennis/player1/ranking         | true",
        "sport/tennis/player1/#      | sport/tennis/player1/score/wimbledon | true",
        "sport/#                     | sport                                | true",
        "sport/#                     | sport/                               | true",
        "sport/#                     | sports                               | false",
        "sport/#                     | spor                                 | false",
        "#                           | sport/tennis                         | true",
        "#                           | /                                    | true",
        // 4.7.1.3 single-level wildcard
        "sport/tennis/+              | sport/tennis/player1                 | true",
        "sport/tennis/+              | sport/tennis/player2                 | true",
        "sport/tennis/+              | sport/tennis/player1/ranking         | false",
        "sport/+                     | sport                                | false",
        "sport/+                     | sport/                               | true",
        "+/+                         | /finance                             | true",
        "/+                          | /finance                             | true",
        "+                           | /finance                             | false",
        "+                           | finance                              | true",
        "sport/+/player1             | sport/tennis/player1                 | true",
        "sport/+/player1             | sport//player1                       | true",
        "sport/+/player1             | sport/tennis/player2                 | false",
        "+/tennis/#                  | sport/tennis                         | true",
        "+/tennis/#                  | sport/tennis/player1/ranking         | true",
        "a/+/#                       | a                                    | false",
        "a/+/#                       | a/b                                  | true",
        "+/#                         | a                                    | true",
        // 4.7.2 topics beginning with $
        "#                           | $SYS/x                               | false",
        "+/monitor/Clients           | $SYS/monitor/Clients                 | false",
        "$SYS/#                      | $SYS/x                               | true",
        "$SYS/monitor/+              | $SYS/monitor/Clients                 | true",
        "+                           | $SYS                                 | false",
        "a/#                         | a/$SYS                               | true",
        // 4.7.3 topic semantics: case-sensitive, a leading '/' makes a distinct level
        "ACCOUNTS                    | Accounts                             | false",
        "Accounts payable            | Accounts payable                     | true",
        "finance                     | /finance                             | false",
        "/finance                    | finance                              | false",
        "sport/tennis                | sport/tennis/                        | false",
        "sport/tennis/               | sport/tennis                         | false",
        "sport/ténnis/+              | sport/ténnis/joueur                  | true",
        "sport/ténnis/+              | sport/tennis/joueur                  | false",
        // shared subscriptions match by the filter after $share/{ShareName}/
        "$share/g/sport/+            | sport/tennis                         | true",
        "$share/g/sport/+            | g/sport/tennis                       | false",
        "$share/group/#              | anything/at/all                      | true",
        "$share/group/#              | $SYS/x                               | false",
        "$share/group/$SYS/#         | $SYS/x                               | true",
    })
    void shouldMatchLikeTheSpecExamples(String filter, String topic, boolean expected) {
        assertEquals(VALID, filter(filter), filter);
        assertEquals(VALID, name(topic), topic);
        assertEquals(expected, matches(filter, topic));
    }

    @Test
    void shouldLeavePositionAndLimitAlone() {
        final ByteBuffer buf = ByteBuffer.allocateDirect(64);
        buf.put(utf8("xx$share/g/a/+yya/b"));
        buf.position(3).limit(17);
        TopicNames.checkTopicFilter(buf, 2, 12);
        TopicNames.checkTopicName(buf, 17 - 3, 3);
        TopicNames.sharedFilterOffset(buf, 2, 12);
        TopicNames.containsWildcard(buf, 2, 12);
        assertTrue(TopicNames.matches(buf, 2, 12, ByteBuffer.wrap(utf8("a/b")), 0, 3));
        assertEquals(3, buf.position());
        assertEquals(17, buf.limit());
    }

    @Test
    void shouldThrowForRangeOutsideBuffer() {
        final byte[] b = utf8("a/b");
        final ByteBuffer buf = ByteBuffer.wrap(b).limit(2);
        assertThrows(IndexOutOfBoundsException.class, () -> TopicNames.checkTopicName(b, 1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> TopicNames.checkTopicName(b, -1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> TopicNames.checkTopicFilter(b, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> TopicNames.checkTopicFilter(buf, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> TopicNames.containsWildcard(b, 3, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> TopicNames.isSharedSubscription(buf, 2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> TopicNames.matches(b, 0, 3, b, 2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> TopicNames.matches(b, 0, 4, buf, 0, 1));
        assertEquals(VALID, TopicNames.checkTopicFilter(buf, 0, 2));
    }

    @Test
    void shouldAgreeAcrossBufferKinds() {
        final byte[] filter = padded("sport/+");
        final byte[] topic = padded("sport/tennis");
        final int fOff = BEFORE.length;
        final ByteBuffer topicBuf = ByteBuffer.allocateDirect(topic.length).put(topic);
        assertTrue(TopicNames.matches(filter, fOff, 7, topic, fOff, 12));
        assertTrue(TopicNames.matches(filter, fOff, 7, topicBuf, fOff, 12));
        assertTrue(TopicNames.matches(ByteBuffer.wrap(filter), fOff, 7, topicBuf, fOff, 12));
        assertFalse(TopicNames.matches(filter, fOff, 7, topic, fOff, 5));
    }

    /** Runs each check on a byte[] and on heap and direct buffers, all inside padding, and insists they agree. */
    private static int name(String topic) {
        final int length = utf8(topic).length;
        final byte[] b = padded(topic);
        final int result = TopicNames.checkTopicName(b, BEFORE.length, length);
        assertEquals(result, TopicNames.checkTopicName(ByteBuffer.wrap(b), BEFORE.length, length));
        assertEquals(result, TopicNames.checkTopicName(direct(b), BEFORE.length, length));
        return result;
    }

    private static int filter(String topic) {
        final int length = utf8(topic).length;
        final byte[] b = padded(topic);
        final int result = TopicNames.checkTopicFilter(b, BEFORE.length, length);
        assertEquals(result, TopicNames.checkTopicFilter(ByteBuffer.wrap(b), BEFORE.length, length));
        assertEquals(result, TopicNames.checkTopicFilter(direct(b), BEFORE.length, length));
        return result;
    }

    private static boolean shared(String topic) {
        final byte[] b = padded(topic);
        final boolean result = TopicNames.isSharedSubscription(b, BEFORE.length, utf8(topic).length);
        assertEquals(result, TopicNames.isSharedSubscription(direct(b), BEFORE.length, utf8(topic).length));
        return result;
    }

    private static int sharedOffset(String topic, int offset) {
        final byte[] bytes = utf8(topic);
        final byte[] b = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, b, offset, bytes.length);
        final int result = TopicNames.sharedFilterOffset(b, offset, bytes.length);
        assertEquals(result, TopicNames.sharedFilterOffset(ByteBuffer.wrap(b), offset, bytes.length));
        return result;
    }

    private static boolean matches(String filter, String topic) {
        final byte[] f = padded(filter);
        final byte[] t = padded(topic);
        final int fLength = utf8(filter).length;
        final int tLength = utf8(topic).length;
        final int at = BEFORE.length;
        final boolean result = TopicNames.matches(f, at, fLength, t, at, tLength);
        assertEquals(result, TopicNames.matches(f, at, fLength, direct(t), at, tLength));
        assertEquals(result, TopicNames.matches(ByteBuffer.wrap(f), at, fLength, direct(t), at, tLength));
        return result;
    }

    private static byte[] padded(String topic) {
        final byte[] bytes = utf8(topic);
        final byte[] b = new byte[BEFORE.length + bytes.length + AFTER.length];
        System.arraycopy(BEFORE, 0, b, 0, BEFORE.length);
        System.arraycopy(bytes, 0, b, BEFORE.length, bytes.length);
        System.arraycopy(AFTER, 0, b, BEFORE.length + bytes.length, AFTER.length);
        return b;
    }

    private static ByteBuffer direct(byte[] b) {
        return ByteBuffer.allocateDirect(b.length).put(b).clear();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
