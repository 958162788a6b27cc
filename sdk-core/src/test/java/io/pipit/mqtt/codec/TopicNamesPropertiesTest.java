package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.testing.PropertyCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TopicNamesPropertiesTest {
    private static final int RANDOM_TRIES = 1000;
    /** Letters, digits, '$', a space and multi-byte UTF-8; never '/', '+', '#' or U+0000. */
    private static final String LEVEL_CHARS = "ab$ \u00e9\u65e5" + PropertyCheck.chars('0', '9');
    private static final int MAX_LEVEL_LENGTH = 5;
    private static final int MAX_LEVELS = 6;
    /** A topic of one character for each of {@link #LEVEL_CHARS}, empty levels, a '$' topic, the longest topic. */
    private static final List<String> EDGE_TOPICS = edgeTopics();
    private static final List<Integer> EDGE_INDICES = PropertyCheck.edgeInts(0, 1000);

    /** A topic, and a number from 0 to 1000 to pick one of its levels with. */
    record TopicAndIndex(String topic, int anyIndex) {
        static TopicAndIndex next(SplittableRandom random) {
            return new TopicAndIndex(anyTopic(random), random.nextInt(1001));
        }

        static List<TopicAndIndex> edgeCases() {
            List<TopicAndIndex> edgeCases = new ArrayList<>();
            for (String topic : EDGE_TOPICS) {
                for (int index : EDGE_INDICES) {
                    edgeCases.add(new TopicAndIndex(topic, index));
                }
            }
            return edgeCases;
        }
    }

    @Test
    void shouldAcceptGeneratedTopicAsNameAndFilterWithoutWildcards() {
        PropertyCheck.forAll("shouldAcceptGeneratedTopicAsNameAndFilterWithoutWildcards", EDGE_TOPICS, RANDOM_TRIES,
                TopicNamesPropertiesTest::anyTopic, topic -> {
                    assertEquals(TopicNames.VALID, TopicNames.checkTopicName(utf8(topic), 0, utf8(topic).length));
                    assertEquals(TopicNames.VALID, TopicNames.checkTopicFilter(utf8(topic), 0, utf8(topic).length));
                    assertFalse(TopicNames.containsWildcard(utf8(topic), 0, utf8(topic).length));
                });
    }

    @Test
    void shouldMatchTopicUsedAsItsOwnFilter() {
        PropertyCheck.forAll("shouldMatchTopicUsedAsItsOwnFilter", EDGE_TOPICS, RANDOM_TRIES,
                TopicNamesPropertiesTest::anyTopic, topic -> {
                    assertTrue(matches(topic, topic));
                    assertTrue(matches("$share/group/" + topic, topic));
                });
    }

    @Test
    void shouldMatchMultiLevelWildcardUnlessTopicStartsWithDollar() {
        PropertyCheck.forAll("shouldMatchMultiLevelWildcardUnlessTopicStartsWithDollar", EDGE_TOPICS, RANDOM_TRIES,
                TopicNamesPropertiesTest::anyTopic, topic -> assertEquals(!topic.startsWith("$"), matches("#", topic)));
    }

    @Test
    void shouldMatchFilterWithAnyOneLevelReplacedBySingleLevelWildcard() {
        PropertyCheck.forAll("shouldMatchFilterWithAnyOneLevelReplacedBySingleLevelWildcard",
                TopicAndIndex.edgeCases(), RANDOM_TRIES, TopicAndIndex::next, generated -> {
                    final String topic = generated.topic();
                    final String[] levels = topic.split("/", -1);
                    final int replaced = generated.anyIndex() % levels.length;
                    levels[replaced] = "+";
                    final String filter = String.join("/", levels);
                    assertEquals(TopicNames.VALID, TopicNames.checkTopicFilter(utf8(filter), 0, utf8(filter).length),
                            filter);
                    assertEquals(replaced > 0 || !topic.startsWith("$"), matches(filter, topic), filter);
                });
    }

    @Test
    void shouldMatchFilterEndingInMultiLevelWildcardAtAnyLevel() {
        PropertyCheck.forAll("shouldMatchFilterEndingInMultiLevelWildcardAtAnyLevel", TopicAndIndex.edgeCases(),
                RANDOM_TRIES, TopicAndIndex::next, generated -> {
                    final String topic = generated.topic();
                    final String[] levels = topic.split("/", -1);
                    final int kept = generated.anyIndex() % (levels.length + 1);
                    final List<String> filterLevels = new ArrayList<>(List.of(levels).subList(0, kept));
                    filterLevels.add("#");
                    final String filter = String.join("/", filterLevels);
                    assertEquals(TopicNames.VALID, TopicNames.checkTopicFilter(utf8(filter), 0, utf8(filter).length),
                            filter);
                    assertEquals(kept > 0 || !topic.startsWith("$"), matches(filter, topic), filter);
                });
    }

    /** A filter and a topic from small alphabets, so that matches and near misses are both frequent. */
    record FilterAndTopic(String filter, String topic) {
        private static final String[] FILTER_LEVELS = {"a", "b", "", "+", "$a"};
        private static final String[] TOPIC_LEVELS = {"a", "b", "", "$a"};
        /** Two in three filters are not shared. */
        private static final String[] SHARE_PREFIXES = {"", "", "$share/g/"};
        private static final int MAX_FILTER_LEVELS = 4;  // besides a closing '#'
        private static final int MAX_TOPIC_LEVELS = 5;
        /** Every filter and topic of up to this many levels is an edge case. */
        private static final int EXHAUSTIVE_LEVELS = 3;

        static FilterAndTopic next(SplittableRandom random) {
            String filter;
            do {
                final String levels = join(random, FILTER_LEVELS, 1 + random.nextInt(MAX_FILTER_LEVELS));
                filter = filter(SHARE_PREFIXES[random.nextInt(SHARE_PREFIXES.length)], levels, random.nextBoolean());
            } while (!isGeneratedFilter(filter));
            String topic;
            do {
                topic = join(random, TOPIC_LEVELS, 1 + random.nextInt(MAX_TOPIC_LEVELS));
            } while (topic.isEmpty());
            return new FilterAndTopic(filter, topic);
        }

        /** Every pair of filter and topic of up to {@link #EXHAUSTIVE_LEVELS} levels: about 51,000. */
        static List<FilterAndTopic> edgeCases() {
            final List<String> filters = new ArrayList<>();
            for (String prefix : new String[] {"", "$share/g/"}) {
                for (String levels : allJoins(FILTER_LEVELS, EXHAUSTIVE_LEVELS)) {
                    for (boolean multiLevel : new boolean[] {false, true}) {
                        final String filter = filter(prefix, levels, multiLevel);
                        if (isGeneratedFilter(filter)) {
                            filters.add(filter);
                        }
                    }
                }
            }
            final List<FilterAndTopic> edgeCases = new ArrayList<>();
            for (String filter : filters) {
                for (String topic : allJoins(TOPIC_LEVELS, EXHAUSTIVE_LEVELS)) {
                    if (!topic.isEmpty()) {
                        edgeCases.add(new FilterAndTopic(filter, topic));
                    }
                }
            }
            return edgeCases;
        }

        private static String filter(String prefix, String levels, boolean multiLevel) {
            return prefix + levels + (multiLevel ? "/#" : "");
        }

        /** Leaves out what the levels make that is no filter: the empty string, and a share of nothing. */
        private static boolean isGeneratedFilter(String filter) {
            return !filter.isEmpty() && !filter.endsWith("$share/g/");
        }

        private static String join(SplittableRandom random, String[] alphabet, int levelCount) {
            final List<String> levels = new ArrayList<>();
            for (int i = 0; i < levelCount; i++) {
                levels.add(alphabet[random.nextInt(alphabet.length)]);
            }
            return String.join("/", levels);
        }

        /** @return every topic of 1 to {@code maxLevels} levels from {@code alphabet}, fewer levels first */
        private static List<String> allJoins(String[] alphabet, int maxLevels) {
            final List<String> all = new ArrayList<>(List.of(alphabet));
            List<String> longest = List.of(alphabet);
            for (int levels = 2; levels <= maxLevels; levels++) {
                final List<String> longer = new ArrayList<>();
                for (String shorter : longest) {
                    for (String level : alphabet) {
                        longer.add(shorter + "/" + level);
                    }
                }
                all.addAll(longer);
                longest = longer;
            }
            return all;
        }
    }

    @Test
    void shouldAgreeWithLevelSplittingOracle() {
        PropertyCheck.forAll("shouldAgreeWithLevelSplittingOracle", FilterAndTopic.edgeCases(), 2000,
                FilterAndTopic::next, pair -> {
                    final String filter = pair.filter();
                    final String topic = pair.topic();
                    assertEquals(TopicNames.VALID, TopicNames.checkTopicFilter(utf8(filter), 0, utf8(filter).length),
                            filter);
                    assertEquals(oracle(filter, topic), matches(filter, topic), filter + " vs " + topic);
                });
    }

    /** 1 to {@link #MAX_LEVELS} levels of up to {@link #MAX_LEVEL_LENGTH} of {@link #LEVEL_CHARS}; never empty. */
    private static String anyTopic(SplittableRandom random) {
        String topic;
        do {
            final List<String> levels = new ArrayList<>();
            for (int i = 1 + random.nextInt(MAX_LEVELS); i > 0; i--) {
                levels.add(PropertyCheck.string(random, LEVEL_CHARS, MAX_LEVEL_LENGTH));
            }
            topic = String.join("/", levels);
        } while (topic.isEmpty());
        return topic;
    }

    private static List<String> edgeTopics() {
        final List<String> topics = new ArrayList<>();
        for (char c : LEVEL_CHARS.toCharArray()) {
            topics.add(String.valueOf(c));
        }
        topics.addAll(List.of("/", "/".repeat(MAX_LEVELS - 1), "a/", "/a", "$/"));
        final String cycled = LEVEL_CHARS.repeat(MAX_LEVELS);
        final List<String> longestLevels = new ArrayList<>();
        for (int i = 0; i < MAX_LEVELS; i++) {
            longestLevels.add(cycled.substring(i * MAX_LEVEL_LENGTH, (i + 1) * MAX_LEVEL_LENGTH));
        }
        topics.add(String.join("/", longestLevels));
        return topics;
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
