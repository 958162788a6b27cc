package io.pipit.mqtt.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * MQTT 5.0 properties to encode: a mutable, reusable holder that an encoder writes into the caller's
 * buffer in canonical order (ascending identifier; repeated properties in the order added). Not
 * thread-safe: fill it and encode on one thread, or fill it once and only read it afterwards.
 *
 * <p>Values are checked when set ({@link IllegalArgumentException} for a value no peer may receive);
 * which properties a packet may carry is checked when encoding. Strings are held as UTF-8 bytes, so a
 * holder filled once at start-up encodes any number of times without allocating; the {@code String}
 * convenience setters allocate the encoding. Integer properties use {@link #put(int, long)}, string
 * and binary ones {@link #put(int, byte[])}; User Properties and Subscription Identifiers repeat and
 * have their own adders.
 *
 * <p>Memory: an empty holder is about 40 bytes; each kind of storage (integers, strings and binaries, User
 * Properties, Subscription Identifiers) is allocated the first time a property of that kind is set, one slot
 * per property that exists, and is kept through {@link #clear()} so a refilled holder allocates nothing.
 */
public final class MqttProperties {
    private static final int MAX_ID = Property.MAX_ID;

    private long present;
    /** By {@link Property#slot}; null until the first integer property is set. */
    private long[] numbers;
    /** By {@link Property#slot}; null until the first string or binary property is set. */
    private byte[][] bytes;
    private byte[][] userKeys;
    private byte[][] userValues;
    private int userPropertyCount;
    private int[] subscriptionIdentifiers;
    private int subscriptionIdentifierCount;

    /** Removes every property; the holder can be refilled with no allocation. */
    public MqttProperties clear() {
        present = 0;
        if (bytes != null) {
            Arrays.fill(bytes, null);
        }
        forgetUserProperties();
        subscriptionIdentifierCount = 0;
        return this;
    }

    /** Removes property {@code id} (all its values, for User Property and Subscription Identifier). */
    public MqttProperties remove(int id) {
        if (has(id)) {
            present &= ~(1L << id);
            if (Property.isBytes(id)) {
                bytes[Property.slot(id)] = null;
            } else if (id == Property.USER_PROPERTY) {
                forgetUserProperties();
            } else if (id == Property.SUBSCRIPTION_IDENTIFIER) {
                subscriptionIdentifierCount = 0;
            }
        }
        return this;
    }

    /** Drops the references to User Property arrays (the caller's), keeping the holder's own arrays. */
    private void forgetUserProperties() {
        if (userPropertyCount > 0) {
            Arrays.fill(userKeys, 0, userPropertyCount, null);
            Arrays.fill(userValues, 0, userPropertyCount, null);
        }
        userPropertyCount = 0;
    }

    /** @return true when no property is set */
    public boolean isEmpty() {
        return present == 0;
    }

    /** @return true when property {@code id} is set */
    public boolean has(int id) {
        return id > 0 && id <= MAX_ID && (present & (1L << id)) != 0;
    }

    /**
     * Sets a Byte, Two Byte or Four Byte Integer property, e.g. {@code put(Property.TOPIC_ALIAS, 3)}.
     *
     * @throws IllegalArgumentException when {@code id} is not such a property or the value is out of range
     */
    public MqttProperties put(int id, long value) {
        int type = Property.isDefined(id) ? Property.type(id) : 0;
        if (type != Property.TYPE_BYTE && type != Property.TYPE_TWO_BYTE && type != Property.TYPE_FOUR_BYTE) {
            throw new IllegalArgumentException(Property.name(id) + " is not a Byte, Two or Four Byte Integer property");
        }
        String problem = Property.valueProblem(id, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (numbers == null) {
            numbers = new long[Property.NUMBER_SLOTS];
        }
        numbers[Property.slot(id)] = value;
        present |= 1L << id;
        return this;
    }

    /** @return the value of integer property {@code id}, or {@code absent} when unset */
    public long number(int id, long absent) {
        if (!has(id) || id == Property.SUBSCRIPTION_IDENTIFIER) {
            return absent;
        }
        return Property.isNumber(id) ? numbers[Property.slot(id)] : 0; // 0 for a string one set, as always
    }

    /**
     * Sets a UTF-8 string property from bytes already encoded (see {@link Utf8#encode}) or a Binary
     * Data property. The array is kept, not copied: do not change it while the holder is in use.
     *
     * @throws IllegalArgumentException when {@code id} is not such a property, or the value is over 65,535
     *     bytes, or a string value is not valid MQTT UTF-8
     */
    public MqttProperties put(int id, byte[] value) {
        int type = Property.isDefined(id) ? Property.type(id) : 0;
        if (type != Property.TYPE_UTF8 && type != Property.TYPE_BINARY) {
            throw new IllegalArgumentException(Property.name(id) + " is not a UTF-8 string or Binary Data property");
        }
        Wire.checkPrefixed(value, Property.name(id));
        if (type == Property.TYPE_UTF8) {
            checkUtf8(value, Property.name(id));
        }
        if (bytes == null) {
            bytes = new byte[Property.BYTES_SLOTS][];
        }
        bytes[Property.slot(id)] = value;
        present |= 1L << id;
        return this;
    }

    /** Sets a UTF-8 string property. Allocates the encoding. */
    public MqttProperties string(int id, String value) {
        return put(id, Utf8.encode(value, Property.name(id)));
    }

    /** @return the bytes of string or binary property {@code id} (not a copy), or null when unset */
    public byte[] bytes(int id) {
        return has(id) && Property.isBytes(id) ? bytes[Property.slot(id)] : null;
    }

    /** Adds a User Property from UTF-8 bytes (kept, not copied). May be called any number of times. */
    public MqttProperties addUserProperty(byte[] key, byte[] value) {
        Wire.checkPrefixed(key, "User Property name");
        Wire.checkPrefixed(value, "User Property value");
        checkUtf8(key, "User Property name");
        checkUtf8(value, "User Property value");
        if (userKeys == null) {
            userKeys = new byte[4][];
            userValues = new byte[4][];
        } else if (userPropertyCount == userKeys.length) {
            userKeys = Arrays.copyOf(userKeys, userPropertyCount * 2);
            userValues = Arrays.copyOf(userValues, userPropertyCount * 2);
        }
        userKeys[userPropertyCount] = key;
        userValues[userPropertyCount++] = value;
        present |= 1L << Property.USER_PROPERTY;
        return this;
    }

    /** Adds a User Property. Allocates the encodings. */
    public MqttProperties addUserProperty(String key, String value) {
        return addUserProperty(Utf8.encode(key, "User Property name"), Utf8.encode(value, "User Property value"));
    }

    /** @return the number of User Properties */
    public int userPropertyCount() {
        return userPropertyCount;
    }

    /** @return the UTF-8 name of User Property {@code i} */
    public byte[] userPropertyKey(int i) {
        checkIndex(i, userPropertyCount);
        return userKeys[i];
    }

    /** @return the UTF-8 value of User Property {@code i} */
    public byte[] userPropertyValue(int i) {
        checkIndex(i, userPropertyCount);
        return userValues[i];
    }

    /**
     * Adds a Subscription Identifier (1..268,435,455). SUBSCRIBE carries one; a PUBLISH from a server may
     * carry several.
     */
    public MqttProperties addSubscriptionIdentifier(int identifier) {
        String problem = Property.valueProblem(Property.SUBSCRIPTION_IDENTIFIER, identifier);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (subscriptionIdentifiers == null) {
            subscriptionIdentifiers = new int[2];
        } else if (subscriptionIdentifierCount == subscriptionIdentifiers.length) {
            subscriptionIdentifiers = Arrays.copyOf(subscriptionIdentifiers, subscriptionIdentifierCount * 2);
        }
        subscriptionIdentifiers[subscriptionIdentifierCount++] = identifier;
        present |= 1L << Property.SUBSCRIPTION_IDENTIFIER;
        return this;
    }

    /** @return the number of Subscription Identifiers */
    public int subscriptionIdentifierCount() {
        return subscriptionIdentifierCount;
    }

    /** @return Subscription Identifier {@code i}, in the order added */
    public int subscriptionIdentifier(int i) {
        checkIndex(i, subscriptionIdentifierCount);
        return subscriptionIdentifiers[i];
    }

    /**
     * @param scope the packet type that will carry these properties, or {@link Property#WILL_SCOPE}
     * @return the length of the properties without their Variable Byte Integer length prefix
     * @throws IllegalArgumentException when a property set here may not appear in {@code scope}
     */
    public int contentLength(int scope) {
        long illegal = present & ~Property.allowedIn(scope);
        if (illegal != 0) {
            throw new IllegalArgumentException(Property.name(Long.numberOfTrailingZeros(illegal))
                    + " is not allowed in " + Property.scopeName(scope));
        }
        if (subscriptionIdentifierCount > 1 && scope != PacketType.PUBLISH) {
            throw new IllegalArgumentException("only PUBLISH may carry more than one Subscription Identifier");
        }
        int length = 0;
        for (long rest = present; rest != 0; rest &= rest - 1) {
            length += valueLength(Long.numberOfTrailingZeros(rest));
        }
        return length;
    }

    /** @return the length of the whole section: Variable Byte Integer length prefix plus properties */
    public int sectionLength(int scope) {
        int content = contentLength(scope);
        return VarInt.sizeOf(content) + content;
    }

    /** Writes the section (length prefix, then properties) at the buffer's position. */
    public void write(ByteBuffer dst, int scope) {
        VarInt.write(dst, contentLength(scope));
        for (long rest = present; rest != 0; rest &= rest - 1) {
            writeValue(dst, Long.numberOfTrailingZeros(rest));
        }
    }

    /** Writes an empty section (a single 0 byte) when {@code properties} is null. */
    static void write(ByteBuffer dst, MqttProperties properties, int scope) {
        if (properties == null) {
            dst.put((byte) 0);
        } else {
            properties.write(dst, scope);
        }
    }

    /** @return {@link #sectionLength} of {@code properties}, or 1 for an empty section when null */
    static int sectionLength(MqttProperties properties, int scope) {
        return properties == null ? 1 : properties.sectionLength(scope);
    }

    private int valueLength(int id) {
        switch (Property.type(id)) {
            case Property.TYPE_BYTE: return 2;
            case Property.TYPE_TWO_BYTE: return 3;
            case Property.TYPE_FOUR_BYTE: return 5;
            case Property.TYPE_VAR_INT: {
                int length = 0;
                for (int i = 0; i < subscriptionIdentifierCount; i++) {
                    length += 1 + VarInt.sizeOf(subscriptionIdentifiers[i]);
                }
                return length;
            }
            case Property.TYPE_UTF8_PAIR: {
                int length = 0;
                for (int i = 0; i < userPropertyCount; i++) {
                    length += 5 + userKeys[i].length + userValues[i].length;
                }
                return length;
            }
            default: return 3 + bytes[Property.slot(id)].length;
        }
    }

    private void writeValue(ByteBuffer dst, int id) {
        switch (Property.type(id)) {
            case Property.TYPE_BYTE: dst.put((byte) id).put((byte) numbers[Property.slot(id)]); return;
            case Property.TYPE_TWO_BYTE: dst.put((byte) id); Wire.putU16(dst, (int) numbers[Property.slot(id)]); return;
            case Property.TYPE_FOUR_BYTE: dst.put((byte) id); Wire.putU32(dst, numbers[Property.slot(id)]); return;
            case Property.TYPE_VAR_INT:
                for (int i = 0; i < subscriptionIdentifierCount; i++) {
                    dst.put((byte) id);
                    VarInt.write(dst, subscriptionIdentifiers[i]);
                }
                return;
            case Property.TYPE_UTF8_PAIR:
                for (int i = 0; i < userPropertyCount; i++) {
                    dst.put((byte) id);
                    Wire.putPrefixed(dst, userKeys[i]);
                    Wire.putPrefixed(dst, userValues[i]);
                }
                return;
            default: dst.put((byte) id); Wire.putPrefixed(dst, bytes[Property.slot(id)]);
        }
    }

    /**
     * Replaces this holder's contents with those of {@code other}. Byte arrays are shared, not copied (both
     * holders treat them as read-only); allocates only if this holder must grow.
     */
    public MqttProperties copyFrom(MqttProperties other) {
        clear();
        for (long rest = other.present; rest != 0; rest &= rest - 1) {
            int id = Long.numberOfTrailingZeros(rest);
            switch (Property.type(id)) {
                case Property.TYPE_UTF8:
                case Property.TYPE_BINARY: put(id, other.bytes[Property.slot(id)]); break;
                case Property.TYPE_VAR_INT:
                    for (int i = 0; i < other.subscriptionIdentifierCount; i++) {
                        addSubscriptionIdentifier(other.subscriptionIdentifiers[i]);
                    }
                    break;
                case Property.TYPE_UTF8_PAIR:
                    for (int i = 0; i < other.userPropertyCount; i++) {
                        addUserProperty(other.userKeys[i], other.userValues[i]);
                    }
                    break;
                default: put(id, other.numbers[Property.slot(id)]);
            }
        }
        return this;
    }

    /**
     * Replaces this holder's contents with a copy of a decoded section, e.g. to forward or store a
     * received packet. Allocates a byte array per string, binary and User Property.
     */
    public MqttProperties copyFrom(PropertiesView view) {
        clear();
        for (long rest = view.presentMask(); rest != 0; rest &= rest - 1) {
            int id = Long.numberOfTrailingZeros(rest);
            switch (Property.type(id)) {
                case Property.TYPE_UTF8: put(id, copy(view.string(id).buffer(), view.string(id).byteOffset(),
                        view.string(id).byteLength())); break;
                case Property.TYPE_BINARY: put(id, view.binary(id).toByteArray()); break;
                case Property.TYPE_VAR_INT:
                    for (int i = 0; i < view.subscriptionIdentifierCount(); i++) {
                        addSubscriptionIdentifier(view.subscriptionIdentifier(i));
                    }
                    break;
                case Property.TYPE_UTF8_PAIR:
                    for (int i = 0; i < view.userPropertyCount(); i++) {
                        Utf8View key = view.userPropertyKey(i);
                        byte[] k = copy(key.buffer(), key.byteOffset(), key.byteLength());
                        Utf8View value = view.userPropertyValue(i);
                        addUserProperty(k, copy(value.buffer(), value.byteOffset(), value.byteLength()));
                    }
                    break;
                default: put(id, view.number(id, 0));
            }
        }
        return this;
    }

    private static byte[] copy(ByteBuffer buf, int offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = buf.get(offset + i);
        }
        return out;
    }

    private static void checkUtf8(byte[] value, String field) {
        if (Utf8.firstInvalid(ByteBuffer.wrap(value), 0, value.length) >= 0) {
            throw new IllegalArgumentException(field + " is not a valid MQTT UTF-8 string");
        }
    }

    private static void checkIndex(int i, int count) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("index " + i + " of " + count);
        }
    }
}
