package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TopicNamesPropertiesTest {
    @Property
    void shouldAcceptGeneratedTopicAsNameAndFilterWithoutWildcards(@ForAll("topics") String topic) {
        assertEquals(TopicNames.VALID, TopicNames.checkTopicName(utf8(topic), 0, utf8(topic).length));
        assertEquals(TopicNames.VALID, TopicNames.checkTopicFilter(utf8(topic), 0, utf8(topic).length));
        assertFalse(TopicNames.containsWildcard(utf8(topic), 0, utf8(topic).length));
    }

    @Property
    void shouldMatchTopicUsedAsItsOwnFilter(@ForAll("topics") String topic) {
        assertTrue(matches(topic, topic));
        assertTrue(matches("$share/group/" + topic, topic));
    }

    @Property
    void shouldMatchMultiLevelWildcardUnlessTopicStartsWithDollar(@ForAll("topics") String topic) {
        assertEquals(!topic.startsWith("$"), matches("#", topic));
    }

    @Property
    void shouldMatchFilterWithAnyOneLevelReplacedBySingleLevelWildcard(
            @ForAll("topics") String topic, @ForAll("indices") int anyIndex) {
        final String[] levels = topic.split("/", -1);
        final int replaced = anyIndex % levels.length;
        levels[replaced] = "+";
        final String filter = String.join("/", levels);
        assertEquals(TopicNames.VALID, TopicNames.checkTopicFilter(utf8(filter), 0, utf8(filter).length), filter);
        assertEquals(replaced > 0 || !topic.startsWith("$"), matches(filter, topic), filter);
    }

    @Property
    void shouldMatchFilterEndingInMultiLevelWildcardAtAnyLevel(
            @ForAll("topics") String topic, @ForAll("indices") int anyIndex) {
        final String[] levels = topic.split("/", -1);
        final int kept = anyIndex % (levels.length + 1);
        final List<String> filterLevels = new ArrayList<>(List.of(levels).subList(0, kept));
        filterLevels.add("#");
        final String filter = String.join("/", filterLevels);
        assertEquals(TopicNames.VALID, TopicNames.checkTopicFilter(utf8(filter), 0, utf8(filter).length), filter);
        assertEquals(kept > 0 || !topic.startsWith("$"), matches(filter, topic), filter);
    }

    /** Small alphabets make matches and near misses frequent, so the oracle's answer is both often. */
    @Property(tries = 2000)
    void shouldAgreeWithLevelSplittingOracle(
            @ForAll("smallFilters") String filter, @ForAll("smallTopics") String topic) {
        assertEquals(TopicNames.VALID, TopicNames.checkTopicFilter(utf8(filter), 0, utf8(filter).length), filter);
        assertEquals(oracle(filter, topic), matches(filter, topic), filter + " vs " + topic);
    }

    @Provide
    Arbitrary<String> topics() {
        final Arbitrary<String> level = Arbitraries.strings()
                .withChars("ab$ é日 ")
                .withCharRange('0', '9')
                .ofMaxLength(5);
        return level.list().ofMinSize(1).ofMaxSize(6)
                .map(levels -> String.join("/", levels))
                .filter(topic -> !topic.isEmpty());
    }

    @Provide
    Arbitrary<Integer> indices() {
        return Arbitraries.integers().between(0, 1000);
    }

    @Provide
    Arbitrary<String> smallFilters() {
        final Arbitrary<List<String>> levels = Arbitraries.of("a", "b", "", "+", "$a").list().ofMinSize(1).ofMaxSize(4);
        final Arbitrary<String> shared = Arbitraries.of("", "", "$share/g/");
        return Combinators.combine(shared, levels, Arbitraries.of(true, false))
                .as((prefix, list, multi) -> {
                    final List<String> all = new ArrayList<>(list);
                    if (multi) {
                        all.add("#");
                    }
                    return prefix + String.join("/", all);
                })
                .filter(filter -> !filter.isEmpty() && !filter.endsWith("$share/g/"));
    }

    @Provide
    Arbitrary<String> smallTopics() {
        return Arbitraries.of("a", "b", "", "$a").list().ofMinSize(1).ofMaxSize(5)
                .map(levels -> String.join("/", levels))
                .filter(topic -> !topic.isEmpty());
    }

    /** The spec's rules restated on Strings split into levels: slow and obvious, unlike the byte scanner. */
    private static boolean oracle(String filter, String topic) {
        String plain = filter;
        if (plain.startsWith("$share/")) {
            plain = plain.substring(plain.indexOf('/', "$share/".length()) + 1);
        }
        if (topic.startsWith("$") && (plain.startsWith("+") || plain.startsWith("#"))) {
            return false;
        }
        final String[] f = plain.split("/", -1);
        final String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    private static boolean matches(String filter, String topic) {
        final byte[] f = utf8(filter);
        final byte[] t = utf8(topic);
        final boolean result = TopicNames.matches(f, 0, f.length, t, 0, t.length);
        assertEquals(result, TopicNames.matches(ByteBuffer.wrap(f), 0, f.length, ByteBuffer.wrap(t), 0, t.length));
        return result;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
