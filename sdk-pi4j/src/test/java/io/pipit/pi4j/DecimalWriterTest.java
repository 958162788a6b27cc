package io.pipit.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecimalWriterTest {
    private final byte[] buffer = new byte[32];

    @ParameterizedTest
    @CsvSource({
        "25.08, 2, 25.08",
        "25.084, 2, 25.08",
        "25.085001, 2, 25.09",
        "0.5, 0, 1",
        "-0.5, 0, -1",
        "-0.004, 2, 0.00",
        "-12.3456, 3, -12.346",
        "1006.5325, 2, 1006.53",
        "0.0001, 4, 0.0001",
        "7, 0, 7",
        "0.123456789, 9, 0.123456789",
        "-98765.4321, 4, -98765.4321",
        "0, 1, 0.0",
    })
    void shouldWriteFixedPointDecimals(double value, int decimals, String expected) {
        int end = DecimalWriter.write(value, decimals, buffer, 3);

        assertEquals(expected, new String(buffer, 3, end - 3, StandardCharsets.US_ASCII));
    }

    @Test
    void shouldWriteNullForValuesWithoutAFixedPointForm() {
        for (double value : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e18}) {
            int end = DecimalWriter.write(value, 0, buffer, 0);
            assertEquals("null", new String(buffer, 0, end, StandardCharsets.US_ASCII), "for " + value);
        }
    }

    @Test
    void shouldWriteWholeNumbersIncludingTheExtremes() {
        assertEquals("-9223372036854775808", text(DecimalWriter.write(Long.MIN_VALUE, buffer, 0)));
        assertEquals("9223372036854775807", text(DecimalWriter.write(Long.MAX_VALUE, buffer, 0)));
        assertEquals("0", text(DecimalWriter.write(0L, buffer, 0)));
    }

    @Test
    void shouldReportATooSmallBufferInsteadOfWritingPastIt() {
        assertEquals(-1, DecimalWriter.write(1234.5, 1, new byte[5], 0));
        assertEquals(-1, DecimalWriter.write(-1, 0, new byte[1], 1));
        assertEquals(-1, DecimalWriter.write(Double.NaN, 0, new byte[3], 0));
        assertEquals(6, DecimalWriter.write(1234.5, 1, new byte[6], 0));
    }

    @Test
    void shouldRefuseDecimalsOutsideZeroToNine() {
        assertThrows(IllegalArgumentException.class, () -> DecimalWriter.write(1.0, 10, buffer, 0));
        assertThrows(IllegalArgumentException.class, () -> Channel.of("t", null, null, -1));
    }

    @Test
    void shouldFormatJsonWithNullsAndReportOverflow() {
        Sensor sensor = new FixedSensor(List.of(Channel.of("a0", "V", "voltage", 4), Channel.of("x", null, null, 0)));
        double[] values = {1.23456, Double.NaN};

        int length = new JsonFormatter().format(sensor, values, buffer, 0);

        assertEquals("{\"a0\":1.2346,\"x\":null}", new String(buffer, 0, length, StandardCharsets.UTF_8));
        assertEquals(-1, new JsonFormatter().format(sensor, values, new byte[length - 1], 0));
    }

    private String text(int end) {
        return new String(buffer, 0, end, StandardCharsets.US_ASCII);
    }

    /** A sensor whose channels are given; sampling is not used here. */
    static final class FixedSensor implements Sensor {
        private final List<Channel> channels;

        FixedSensor(List<Channel> channels) {
            this.channels = channels;
        }

        @Override
        public String id() {
            return "fixed";
        }

        @Override
        public List<Channel> channels() {
            return channels;
        }

        @Override
        public void sample(double[] values) {
            throw new UnsupportedOperationException("not sampled in this test");
        }
    }
}
