package io.pipit.mqtt.codec;

import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;

/**
 * A flyweight over one packet's MQTT 5.0 property section, validated in place and read without copying.
 * Valid until the owning view is wrapped again. Not thread-safe: it belongs to the thread that decodes.
 *
 * <p>{@link #wrap} enforces every rule of spec 2.2.2: an identifier the packet may not carry, or a value
 * that runs past the section, is a Malformed Packet (0x81); a property that may appear once appearing
 * twice, or a value outside its range (a Receive Maximum of 0, a Maximum QoS of 2, ...), is a Protocol
 * Error (0x82); a Topic Alias of 0 is Topic Alias Invalid (0x94). UTF-8 values are checked per spec 1.5.4.
 *
 * <p>Allocation: none per packet. The view for a string or binary property is made the first time that
 * property is asked for, and the arrays that remember repeated User Properties and Subscription Identifiers
 * grow (by doubling) the first time a packet carries more than ever before, so a view that has only seen
 * small packets stays small (one per {@link PacketDecoder}, shared by its packet views).
 */
public final class PropertiesView {
    private static final int MAX_ID = Property.MAX_ID;
    private static final int[] NO_INTS = new int[0];

    private ByteBuffer buf;
    private int sectionOffset;
    private int sectionLength;
    private long present;
    /** Where each fixed-size integer's value starts, by {@link Property#slot}. */
    private final int[] numberIndex = new int[Property.NUMBER_SLOTS];
    /** Where each string's or binary's length prefix starts, by {@link Property#slot}. */
    private final int[] bytesIndex = new int[Property.BYTES_SLOTS];
    /** Made on first access; kept pointing at the current packet's value from then on. */
    private final Utf8View[] strings = new Utf8View[Property.BYTES_SLOTS];
    private final BinaryView[] binaries = new BinaryView[Property.BYTES_SLOTS];
    private int[] userPropertyIndex = NO_INTS;
    private int userPropertyCount;
    private int[] subscriptionIdentifiers = NO_INTS;
    private int subscriptionIdentifierCount;
    private Utf8View userKey;
    private Utf8View userValue;

    /**
     * Reads and validates the property section (Variable Byte Integer length, then properties) at
     * {@code index}.
     *
     * @param limit end of the packet; the section may not run past it
     * @param scope the packet type carrying the section, or {@link Property#WILL_SCOPE}
     * @return the index just after the section
     * @throws MqttCodecException for any rule of spec 2.2.2 broken
     */
    public int wrap(ByteBuffer buffer, int index, int limit, int scope) {
        clear();
        long packed = Wire.varInt(buffer, index, limit, "Property Length");
        int start = index + VarInt.size(packed);
        int length = VarInt.value(packed);
        Wire.require(start, length, limit, "Properties");
        this.buf = buffer;
        this.sectionOffset = start;
        this.sectionLength = length;
        int end = start + length;
        int i = start;
        while (i < end) {
            i = readOne(buffer, i, end, scope);
        }
        return end;
    }

    /** Forgets everything: the state of a packet that has no properties (all MQTT 3.1.1 packets). */
    public void clear() {
        buf = null;
        sectionOffset = 0;
        sectionLength = 0;
        present = 0;
        userPropertyCount = 0;
        subscriptionIdentifierCount = 0;
    }

    private int readOne(ByteBuffer buffer, int index, int end, int scope) {
        long packedId = Wire.varInt(buffer, index, end, "Property Identifier");
        int id = VarInt.value(packedId);
        int at = index + VarInt.size(packedId);
        if (!Property.isAllowedIn(id, scope)) {
            throw MqttCodecException.malformed(index, Property.name(id) + " is not allowed in "
                    + Property.scopeName(scope));
        }
        long bit = 1L << id;
        if ((present & bit) != 0 && !Property.mayRepeat(id, scope)) {
            throw MqttCodecException.protocolError(index, Property.name(id) + " appears more than once in "
                    + Property.scopeName(scope));
        }
        present |= bit;
        String field = Property.name(id);
        if (Property.isNumber(id)) {
            numberIndex[Property.slot(id)] = at;
        } else if (Property.isBytes(id)) {
            bytesIndex[Property.slot(id)] = at;
        }
        switch (Property.type(id)) {
            case Property.TYPE_BYTE:
                checkRange(id, Wire.u8(buffer, at, end, field), index);
                return at + 1;
            case Property.TYPE_TWO_BYTE:
                checkRange(id, Wire.u16(buffer, at, end, field), index);
                return at + 2;
            case Property.TYPE_FOUR_BYTE:
                checkRange(id, Wire.u32(buffer, at, end, field), index);
                return at + 4;
            case Property.TYPE_VAR_INT:
                return readSubscriptionIdentifier(buffer, at, end, index);
            case Property.TYPE_UTF8: {
                Utf8View view = strings[Property.slot(id)];
                return view == null ? Utf8View.skip(buffer, at, end, field) : view.read(buffer, at, end, field);
            }
            case Property.TYPE_BINARY: {
                BinaryView view = binaries[Property.slot(id)];
                return view == null ? BinaryView.skip(buffer, at, end, field) : view.read(buffer, at, end, field);
            }
            default:
                return readUserProperty(buffer, at, end);
        }
    }

    private static void checkRange(int id, long value, int index) {
        String problem = Property.valueProblem(id, value);
        if (problem != null) {
            int reason = id == Property.TOPIC_ALIAS ? ReasonCode.TOPIC_ALIAS_INVALID : ReasonCode.PROTOCOL_ERROR;
            throw new MqttCodecException(reason, index, problem);
        }
    }

    private int readSubscriptionIdentifier(ByteBuffer buffer, int at, int end, int index) {
        long packed = Wire.varInt(buffer, at, end, "Subscription Identifier");
        int value = VarInt.value(packed);
        checkRange(Property.SUBSCRIPTION_IDENTIFIER, value, index);
        if (subscriptionIdentifierCount == subscriptionIdentifiers.length) {
            subscriptionIdentifiers = java.util.Arrays.copyOf(subscriptionIdentifiers,
                    Math.max(2, subscriptionIdentifierCount * 2));
        }
        subscriptionIdentifiers[subscriptionIdentifierCount++] = value;
        return at + VarInt.size(packed);
    }

    private int readUserProperty(ByteBuffer buffer, int at, int end) {
        int next = Utf8View.skip(buffer, at, end, "User Property name");
        next = Utf8View.skip(buffer, next, end, "User Property value");
        if (userPropertyCount == userPropertyIndex.length) {
            userPropertyIndex = java.util.Arrays.copyOf(userPropertyIndex, Math.max(4, userPropertyCount * 2));
        }
        userPropertyIndex[userPropertyCount++] = at;
        return next;
    }

    /** @return true when the section holds property {@code id} */
    public boolean has(int id) {
        return id > 0 && id <= MAX_ID && (present & (1L << id)) != 0;
    }

    /** @return bit mask of the identifiers present (bit {@code id} set when present) */
    public long presentMask() {
        return present;
    }

    /** @return total encoded length of the properties, not counting the length prefix */
    public int sectionLength() {
        return sectionLength;
    }

    /** @return index of the first property in {@link #buffer()} */
    public int sectionOffset() {
        return sectionOffset;
    }

    /** @return the receive buffer, or null after {@link #clear()} */
    public ByteBuffer buffer() {
        return buf;
    }

    /**
     * @param id a Byte, Two Byte or Four Byte Integer property (not Subscription Identifier)
     * @return its value, or {@code absent} when the packet does not carry it
     */
    public long number(int id, long absent) {
        if (!has(id)) {
            return absent;
        }
        int at = numberIndex[Property.slot(id)];
        switch (Property.type(id)) {
            case Property.TYPE_BYTE: return buf.get(at) & 0xFF;
            case Property.TYPE_TWO_BYTE: return Wire.u16(buf, at, at + 2, Property.name(id));
            case Property.TYPE_FOUR_BYTE: return Wire.u32(buf, at, at + 4, Property.name(id));
            default: throw new IllegalArgumentException(Property.name(id) + " is not a fixed-size integer");
        }
    }

    /**
     * @param id a UTF-8 string property, e.g. {@link Property#REASON_STRING}
     * @return a view of its value; {@link Utf8View#isPresent()} is false when the packet lacks it
     */
    public Utf8View string(int id) {
        int slot = bytesSlot(id, Property.TYPE_UTF8, " is not a UTF-8 string property");
        if (strings[slot] == null) {
            // First access: point the new view at this packet's value; from now on wrap keeps it current.
            strings[slot] = new Utf8View();
            if (has(id)) {
                strings[slot].read(buf, bytesIndex[slot], sectionEnd(), Property.name(id));
            }
        }
        if (!has(id)) {
            strings[slot].clear();
        }
        return strings[slot];
    }

    /**
     * @param id a Binary Data property: {@link Property#CORRELATION_DATA} or {@link Property#AUTHENTICATION_DATA}
     * @return a view of its value; {@link BinaryView#isPresent()} is false when the packet lacks it
     */
    public BinaryView binary(int id) {
        int slot = bytesSlot(id, Property.TYPE_BINARY, " is not a Binary Data property");
        BinaryView view = binaries[slot];
        if (view == null) {
            view = new BinaryView();
            binaries[slot] = view;
            if (has(id)) {
                view.read(buf, bytesIndex[slot], sectionEnd(), Property.name(id));
            }
        }
        if (!has(id)) {
            view.clear();
        }
        return view;
    }

    private static int bytesSlot(int id, int type, String notThatType) {
        if (!Property.isDefined(id) || Property.type(id) != type) {
            throw new IllegalArgumentException(Property.name(id) + notThatType);
        }
        return Property.slot(id);
    }

    private int sectionEnd() {
        return sectionOffset + sectionLength;
    }

    /** @return how many User Properties the packet carries, in wire order */
    public int userPropertyCount() {
        return userPropertyCount;
    }

    /**
     * Points the shared key view at User Property {@code i}'s name and returns it. The same object is
     * returned each call: read it before the next call.
     */
    public Utf8View userPropertyKey(int i) {
        checkUserIndex(i);
        if (userKey == null) {
            userKey = new Utf8View();
        }
        userKey.read(buf, userPropertyIndex[i], sectionEnd(), "User Property name");
        return userKey;
    }

    /** Like {@link #userPropertyKey} for the value of User Property {@code i}. */
    public Utf8View userPropertyValue(int i) {
        checkUserIndex(i);
        int limit = sectionEnd();
        int valueAt = userPropertyIndex[i] + 2 + Wire.u16(buf, userPropertyIndex[i], limit, "User Property name");
        if (userValue == null) {
            userValue = new Utf8View();
        }
        userValue.read(buf, valueAt, limit, "User Property value");
        return userValue;
    }

    private void checkUserIndex(int i) {
        if (i < 0 || i >= userPropertyCount) {
            throw new IndexOutOfBoundsException("User Property " + i + " of " + userPropertyCount);
        }
    }

    /** @return how many Subscription Identifiers the packet carries (PUBLISH may carry several) */
    public int subscriptionIdentifierCount() {
        return subscriptionIdentifierCount;
    }

    /** @return Subscription Identifier {@code i}, in wire order */
    public int subscriptionIdentifier(int i) {
        if (i < 0 || i >= subscriptionIdentifierCount) {
            throw new IndexOutOfBoundsException("Subscription Identifier " + i + " of " + subscriptionIdentifierCount);
        }
        return subscriptionIdentifiers[i];
    }
}
