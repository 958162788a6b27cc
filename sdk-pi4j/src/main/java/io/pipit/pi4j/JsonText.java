package io.pipit.pi4j;

/**
 * A tiny JSON object writer for set-up payloads (Home Assistant discovery): string, number and nested members,
 * strings escaped per RFC 8259. Allocates; not for the message path. Not thread-safe.
 */
final class JsonText {
    private final StringBuilder out = new StringBuilder(256).append('{');
    private boolean first = true;

    /** Adds {@code "name":"value"}; a null value is left out. */
    JsonText string(String name, String value) {
        if (value != null) {
            name(name);
            quote(value);
        }
        return this;
    }

    /** Adds {@code "name":value} for a number. */
    JsonText number(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    /** Adds {@code "name":["value"]}. */
    JsonText stringArray(String name, String value) {
        name(name);
        out.append('[');
        quote(value);
        out.append(']');
        return this;
    }

    /** Adds {@code "name":{...}} from a finished writer. */
    JsonText object(String name, JsonText member) {
        name(name);
        out.append(member);
        return this;
    }

    @Override
    public String toString() {
        return out + "}";
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(name);
        out.append(':');
    }

    private void quote(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
