package io.pipit.mqtt.codec;

import java.nio.ByteBuffer;

/**
 * Validation and matching of MQTT topic names and topic filters (MQTT 5.0 section 4.7, same rules in 3.1.1),
 * working on the UTF-8 bytes where they lie, so a receive buffer is checked and matched without a copy.
 *
 * <p>Thread-safety: stateless, safe to call from any thread. Allocation: none, in every method; only misuse
 * (a range outside the buffer) throws. Buffers are read by absolute index: position and limit never change.
 *
 * <p>Only the structural rules live here: UTF-8 well-formedness is checked elsewhere, once per string. Each
 * {@code ByteBuffer} method has a {@code byte[]} twin; both run the same code, which reads each byte through one
 * private accessor, so the rules are written once and neither form is wrapped (wrapping allocates).
 */
public final class TopicNames {
    /** The topic name or filter is valid. */
    public static final int VALID = 0;
    /** Zero bytes long: both names and filters need at least one character. */
    public static final int EMPTY = 1;
    /** Longer than 65,535 bytes, the most a UTF-8 string field can carry. */
    public static final int TOO_LONG = 2;
    /** Contains U+0000, which no MQTT string may hold. */
    public static final int NULL_CHARACTER = 3;
    /** A topic name contains '+' or '#', which only filters may use. */
    public static final int WILDCARD_IN_NAME = 4;
    /** A '#' is not the last character of the filter, or not alone in its level. */
    public static final int MISPLACED_MULTI_LEVEL_WILDCARD = 5;
    /** A '+' is not alone in its level. */
    public static final int MISPLACED_SINGLE_LEVEL_WILDCARD = 6;
    /** A filter starting with {@code $share/} is not {@code $share/{ShareName}/{filter}}. */
    public static final int INVALID_SHARED_SUBSCRIPTION = 7;

    /** The most bytes a UTF-8 encoded string field can hold (its length prefix is two bytes). */
    public static final int MAX_LENGTH = 65_535;

    private static final String SHARE_PREFIX = "$share/";
    private static final byte SEPARATOR = '/';
    private static final byte SINGLE_LEVEL = '+';
    private static final byte MULTI_LEVEL = '#';
    /** Indexed by result code. */
    private static final String[] DESCRIPTIONS = {
        "The topic is valid.",
        "A topic name or filter must be at least one character long.",
        "A topic name or filter must be at most 65535 bytes long in UTF-8.",
        "A topic name or filter must not contain the null character U+0000.",
        "A topic name must not contain the wildcards '+' or '#'; only topic filters may.",
        "The wildcard '#' must be the last character of a topic filter and alone in its level.",
        "The wildcard '+' must be alone in its topic level.",
        "A shared subscription must be $share/{ShareName}/{filter}, with a share name free of '/', '+' and '#' "
                + "and a non-empty filter.",
    };

    private TopicNames() {
    }

    /**
     * Checks the structural rules for a topic name (as in PUBLISH or a Will): no wildcards, no U+0000.
     *
     * @return {@link #VALID}, or the first problem found scanning from {@code offset}
     * @throws IndexOutOfBoundsException if the range is not inside {@code [0, buf.limit())}
     */
    public static int checkTopicName(ByteBuffer buf, int offset, int length) {
        return checkName(buf, offset, length);
    }

    /** Same as {@link #checkTopicName(ByteBuffer, int, int)} over {@code b[off, off + len)}. */
    public static int checkTopicName(byte[] b, int off, int len) {
        return checkName(b, off, len);
    }

    /**
     * Checks the structural rules for a topic filter (as in SUBSCRIBE / UNSUBSCRIBE), including the
     * {@code $share/{ShareName}/{filter}} form.
     *
     * @return {@link #VALID}, or the first problem found scanning from {@code offset}
     * @throws IndexOutOfBoundsException if the range is not inside {@code [0, buf.limit())}
     */
    public static int checkTopicFilter(ByteBuffer buf, int offset, int length) {
        return checkFilter(buf, offset, length);
    }

    /** Same as {@link #checkTopicFilter(ByteBuffer, int, int)} over {@code b[off, off + len)}. */
    public static int checkTopicFilter(byte[] b, int off, int len) {
        return checkFilter(b, off, len);
    }

    /** @return whether the filter starts with {@code $share/}, which marks it shared whether or not it is valid */
    public static boolean isSharedSubscription(ByteBuffer buf, int offset, int length) {
        return isShared(buf, offset, length);
    }

    /** Same as {@link #isSharedSubscription(ByteBuffer, int, int)} over {@code b[off, off + len)}. */
    public static boolean isSharedSubscription(byte[] b, int off, int len) {
        return isShared(b, off, len);
    }

    /**
     * Finds the filter that a shared subscription's messages are matched against.
     *
     * @return the absolute index of the first byte after {@code $share/{ShareName}/}, or -1 when the filter is
     *     not shared or has no '/' after its share name
     */
    public static int sharedFilterOffset(ByteBuffer buf, int offset, int length) {
        return sharedOffset(buf, offset, length);
    }

    /** Same as {@link #sharedFilterOffset(ByteBuffer, int, int)} over {@code b[off, off + len)}. */
    public static int sharedFilterOffset(byte[] b, int off, int len) {
        return sharedOffset(b, off, len);
    }

    /** @return whether the range holds a '+' or '#' (a share name cannot, so shared filters need no special case) */
    public static boolean containsWildcard(ByteBuffer buf, int offset, int length) {
        return hasWildcard(buf, offset, length);
    }

    /** Same as {@link #containsWildcard(ByteBuffer, int, int)} over {@code b[off, off + len)}. */
    public static boolean containsWildcard(byte[] b, int off, int len) {
        return hasWildcard(b, off, len);
    }

    /**
     * Tells whether a topic name matches a topic filter: '+' matches exactly one level (an empty one too),
     * '#' matches its parent level and any number of child levels, and a wildcard at the filter's first level
     * never matches a topic starting with '$' (spec 4.7.2). A {@code $share/{ShareName}/} prefix is ignored.
     * Both inputs must already have passed {@link #checkTopicFilter} and {@link #checkTopicName}.
     *
     * @throws IndexOutOfBoundsException if a range is not inside its buffer
     */
    public static boolean matches(ByteBuffer filterBuf, int filterOffset, int filterLength,
            ByteBuffer topicBuf, int topicOffset, int topicLength) {
        return match(filterBuf, filterOffset, filterLength, topicBuf, topicOffset, topicLength);
    }

    /** Same as {@link #matches(ByteBuffer, int, int, ByteBuffer, int, int)} over two arrays. */
    public static boolean matches(byte[] filter, int filterOffset, int filterLength,
            byte[] topic, int topicOffset, int topicLength) {
        return match(filter, filterOffset, filterLength, topic, topicOffset, topicLength);
    }

    /**
     * Same as {@link #matches(ByteBuffer, int, int, ByteBuffer, int, int)} for the usual pairing of a stored,
     * pre-encoded filter with a topic still in the receive buffer.
     */
    public static boolean matches(byte[] filter, int filterOffset, int filterLength,
            ByteBuffer topicBuf, int topicOffset, int topicLength) {
        return match(filter, filterOffset, filterLength, topicBuf, topicOffset, topicLength);
    }

    /** @return one sentence for a result code of {@link #checkTopicName} or {@link #checkTopicFilter} */
    public static String describe(int resultCode) {
        return resultCode >= 0 && resultCode < DESCRIPTIONS.length
                ? DESCRIPTIONS[resultCode] : "Unknown topic check result code.";
    }

    private static int checkName(Object src, int offset, int length) {
        final int result = checkLength(src, offset, length);
        if (result != VALID) {
            return result;
        }
        for (int i = offset, end = offset + length; i < end; i++) {
            final byte c = byteAt(src, i);
            if (c == 0) {
                return NULL_CHARACTER;
            }
            if (c == SINGLE_LEVEL || c == MULTI_LEVEL) {
                return WILDCARD_IN_NAME;
            }
        }
        return VALID;
    }

    private static int checkFilter(Object src, int offset, int length) {
        final int result = checkLength(src, offset, length);
        if (result != VALID) {
            return result;
        }
        final int end = offset + length;
        return isShared(src, offset, length)
                ? checkShared(src, offset + SHARE_PREFIX.length(), end) : checkLevels(src, offset, end);
    }

    /** Checks {@code {ShareName}/{filter}} in {@code [nameStart, end)}, the part after {@code $share/}. */
    private static int checkShared(Object src, int nameStart, int end) {
        for (int i = nameStart; i < end; i++) {
            final byte c = byteAt(src, i);
            if (c == 0) {
                return NULL_CHARACTER;
            } else if (c == SINGLE_LEVEL || c == MULTI_LEVEL) {
                return INVALID_SHARED_SUBSCRIPTION;
            } else if (c == SEPARATOR) {
                // An empty share name or an empty filter after it leaves nothing to share or to match.
                return i == nameStart || i + 1 == end ? INVALID_SHARED_SUBSCRIPTION : checkLevels(src, i + 1, end);
            }
        }
        return INVALID_SHARED_SUBSCRIPTION;
    }

    /** Checks wildcard placement level by level over a non-empty, non-shared filter in {@code [start, end)}. */
    private static int checkLevels(Object src, int start, int end) {
        int levelStart = start;
        for (int i = start; i < end; i++) {
            final byte c = byteAt(src, i);
            if (c == 0) {
                return NULL_CHARACTER;
            } else if (c == SEPARATOR) {
                levelStart = i + 1;
            } else if (c == SINGLE_LEVEL || c == MULTI_LEVEL) {
                final int result = checkWildcard(src, c, i, levelStart, end);
                if (result != VALID) {
                    return result;
                }
            }
        }
        return VALID;
    }

    /** A wildcard must fill its level alone; '#' must also be the filter's last character. */
    private static int checkWildcard(Object src, byte wildcard, int index, int levelStart, int end) {
        final boolean last = index + 1 == end;
        if (wildcard == MULTI_LEVEL) {
            return index == levelStart && last ? VALID : MISPLACED_MULTI_LEVEL_WILDCARD;
        }
        return index == levelStart && (last || byteAt(src, index + 1) == SEPARATOR)
                ? VALID : MISPLACED_SINGLE_LEVEL_WILDCARD;
    }

    private static int checkLength(Object src, int offset, int length) {
        requireRange(src, offset, length);
        if (length == 0) {
            return EMPTY;
        }
        return length > MAX_LENGTH ? TOO_LONG : VALID;
    }

    private static boolean isShared(Object src, int offset, int length) {
        requireRange(src, offset, length);
        final int prefixLength = SHARE_PREFIX.length();
        if (length < prefixLength) {
            return false;
        }
        for (int i = 0; i < prefixLength; i++) {
            if (byteAt(src, offset + i) != SHARE_PREFIX.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int sharedOffset(Object src, int offset, int length) {
        if (!isShared(src, offset, length)) {
            return -1;
        }
        for (int i = offset + SHARE_PREFIX.length(), end = offset + length; i < end; i++) {
            if (byteAt(src, i) == SEPARATOR) {
                return i + 1;
            }
        }
        return -1;
    }

    private static boolean hasWildcard(Object src, int offset, int length) {
        requireRange(src, offset, length);
        for (int i = offset, end = offset + length; i < end; i++) {
            final byte c = byteAt(src, i);
            if (c == SINGLE_LEVEL || c == MULTI_LEVEL) {
                return true;
            }
        }
        return false;
    }

    private static boolean match(Object filter, int filterOffset, int filterLength,
            Object topic, int topicOffset, int topicLength) {
        requireRange(topic, topicOffset, topicLength);
        final int shared = sharedOffset(filter, filterOffset, filterLength);
        int f = shared < 0 ? filterOffset : shared;
        final int filterEnd = filterOffset + filterLength;
        final int topicEnd = topicOffset + topicLength;
        if (isReservedFromWildcard(filter, f, filterEnd, topic, topicOffset, topicEnd)) {
            return false;
        }
        int t = topicOffset;
        while (f < filterEnd) {
            final byte c = byteAt(filter, f);
            if (c == MULTI_LEVEL) {
                return true;  // validation put it alone at a level start, and last: it takes whatever remains
            } else if (c == SINGLE_LEVEL) {
                t = levelEnd(topic, t, topicEnd);
            } else if (t < topicEnd && byteAt(topic, t) == c) {
                t++;
            } else {
                // "a/#" also matches its parent "a": the topic ended exactly where the filter has "/#" left.
                return t == topicEnd && isParentWildcard(filter, f, filterEnd);
            }
            f++;
        }
        return t == topicEnd;
    }

    /** Server-reserved topics ($SYS/...) must not leak into subscriptions that start with a wildcard. */
    private static boolean isReservedFromWildcard(Object filter, int filterStart, int filterEnd,
            Object topic, int topicStart, int topicEnd) {
        if (filterStart == filterEnd || topicStart == topicEnd || byteAt(topic, topicStart) != '$') {
            return false;
        }
        final byte first = byteAt(filter, filterStart);
        return first == SINGLE_LEVEL || first == MULTI_LEVEL;
    }

    private static boolean isParentWildcard(Object filter, int index, int end) {
        return index + 2 == end && byteAt(filter, index) == SEPARATOR && byteAt(filter, index + 1) == MULTI_LEVEL;
    }

    private static int levelEnd(Object topic, int index, int end) {
        int i = index;
        while (i < end && byteAt(topic, i) != SEPARATOR) {
            i++;
        }
        return i;
    }

    /** The one place that tells the two buffer kinds apart, so every rule above is written once. */
    private static byte byteAt(Object src, int index) {
        return src instanceof byte[] ? ((byte[]) src)[index] : ((ByteBuffer) src).get(index);
    }

    private static void requireRange(Object src, int offset, int length) {
        final int limit = src instanceof byte[] ? ((byte[]) src).length : ((ByteBuffer) src).limit();
        if (offset < 0 || length < 0 || offset > limit - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + " + " + length
                    + ") is outside [0, " + limit + ")");
        }
    }
}
