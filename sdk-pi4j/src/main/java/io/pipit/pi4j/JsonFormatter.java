package io.pipit.pi4j;

import java.util.List;

/**
 * The default payload: one flat JSON object per sample, {@code {"temperature":25.08,"humidity":41.2}}, each
 * number with its channel's decimals and {@code null} for a missing value. Allocation-free; stateless and
 * safe to share between threads.
 */
public final class JsonFormatter implements PayloadFormatter {
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    @Override
    public int format(Sensor sensor, double[] values, byte[] dst, int offset) {
        List<Channel> channels = sensor.channels();
        int at = offset;
        if (at >= dst.length) {
            return -1;
        }
        dst[at++] = '{';
        for (int i = 0; i < channels.size(); i++) {
            Channel channel = channels.get(i);
            byte[] key = channel.jsonKey();
            if (at + key.length + 1 > dst.length) {
                return -1;
            }
            if (i > 0) {
                dst[at++] = ',';
            }
            System.arraycopy(key, 0, dst, at, key.length);
            at = DecimalWriter.write(values[i], channel.decimals(), dst, at + key.length);
            if (at < 0) {
                return -1;
            }
        }
        if (at >= dst.length) {
            return -1;
        }
        dst[at++] = '}';
        return at - offset;
    }

    /** Writes JSON {@code null}; @return the offset after it, or -1 when it does not fit. */
    static int writeNull(byte[] dst, int offset) {
        if (offset + NULL.length > dst.length) {
            return -1;
        }
        System.arraycopy(NULL, 0, dst, offset, NULL.length);
        return offset + NULL.length;
    }
}
