package io.pipit.pi4j;

import io.pipit.mqtt.Message;
import java.nio.ByteBuffer;

/**
 * Reads command payloads in place from a received {@link Message}, allocation-free: switch words and plain
 * decimal numbers. Stateless; safe from any thread.
 */
final class Commands {
    static final int OFF = 0;
    static final int ON = 1;
    static final int TOGGLE = 2;
    static final int INVALID = -1;

    private Commands() {
    }

    /** @return {@link #ON} for ON/1/true, {@link #OFF} for OFF/0/false, {@link #TOGGLE}, or {@link #INVALID} */
    static int switchWord(Message message) {
        if (is(message, "ON") || is(message, "1") || is(message, "TRUE")) {
            return ON;
        }
        if (is(message, "OFF") || is(message, "0") || is(message, "FALSE")) {
            return OFF;
        }
        return is(message, "TOGGLE") ? TOGGLE : INVALID;
    }

    /** @return the payload as a decimal number ({@code 42}, {@code -3.5}), or NaN when it is not one */
    static double number(Message message) {
        ByteBuffer buffer = message.payloadBuffer();
        int at = message.payloadOffset();
        int end = at + message.payloadLength();
        boolean negative = at < end && buffer.get(at) == '-';
        if (negative) {
            at++;
        }
        double value = 0;
        double scale = 0; // 0 until the point is seen, then the place value of the next digit
        int digits = 0;
        for (; at < end; at++) {
            int b = buffer.get(at);
            if (b == '.' && scale == 0) {
                scale = 0.1;
            } else if (b >= '0' && b <= '9' && digits < 15) {
                digits++;
                if (scale == 0) {
                    value = value * 10 + (b - '0');
                } else {
                    value += (b - '0') * scale;
                    scale /= 10;
                }
            } else {
                return Double.NaN;
            }
        }
        return digits == 0 ? Double.NaN : negative ? -value : value;
    }

    /** @return true when the payload is {@code word}, ignoring ASCII case */
    private static boolean is(Message message, String word) {
        if (message.payloadLength() != word.length()) {
            return false;
        }
        ByteBuffer buffer = message.payloadBuffer();
        int offset = message.payloadOffset();
        for (int i = 0; i < word.length(); i++) {
            int b = buffer.get(offset + i);
            if (b != word.charAt(i) && b != Character.toLowerCase(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
