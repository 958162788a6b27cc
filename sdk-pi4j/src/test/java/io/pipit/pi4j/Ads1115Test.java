package io.pipit.pi4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.io.i2c.I2C;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ADS1115 driver on the mock I2C. The mock's config register is a FIFO: the driver's own config write is
 * what its ready poll reads back, and its OS bit (1 = conversion done on read) ends the wait at once.
 */
class Ads1115Test {
    private final MockPi pi = new MockPi();

    @AfterEach
    void close() {
        pi.close();
    }

    @Test
    void shouldConvertCodesToVoltsAtTheChosenGain() throws IOException {
        I2C i2c = pi.i2c(0x48);
        Ads1115 adc = Ads1115.open(i2c, "adc", Ads1115.Gain.FSR_4_096, 0, 3);
        i2c.writeRegister(0x00, new byte[] {0x40, 0x00, (byte) 0xC0, 0x00}); // 16384, then -16384
        double[] values = new double[2];

        adc.sample(values);

        assertArrayEquals(new double[] {2.048, -2.048}, values, 1e-12);
        assertEquals("a0", adc.channels().get(0).key());
        assertEquals("a3", adc.channels().get(1).key());
    }

    @Test
    void shouldPollWhileTheChipIsBusy() throws IOException {
        I2C i2c = pi.i2c(0x49);
        Ads1115 adc = Ads1115.open(i2c, "adc", Ads1115.Gain.FSR_2_048, 2);
        i2c.writeRegister(0x00, new byte[] {0x7F, (byte) 0xFF});
        i2c.writeRegister(0x01, new byte[] {0x00, 0x00}); // "busy" read once, before the driver's own word
        double[] values = new double[1];

        adc.sample(values);

        assertEquals(2.048 * 32767 / 32768, values[0], 1e-12);
        assertEquals(-1, i2c.readRegister(0x01, new byte[2], 0, 2), "both config reads were taken");
    }

    @Test
    void shouldGiveUpOnAConversionThatNeverEndsAfterWritingASingleShotConfig() {
        I2C i2c = pi.i2c(0x4B);
        Ads1115 adc = Ads1115.open(i2c, "adc", Ads1115.Gain.FSR_2_048, 2);
        i2c.writeRegister(0x01, new byte[17 * 2]); // 17 "busy" answers: the first poll and 16 retries

        IOException e = assertThrows(IOException.class, () -> adc.sample(new double[1]));

        assertTrue(e.getMessage().contains("conversion of AIN2 not done"), e.getMessage());
        byte[] written = new byte[2];
        assertEquals(2, i2c.readRegister(0x01, written, 0, 2), "the driver's config word is left in the FIFO");
        // OS=1, MUX=110 (AIN2), PGA=010 (2.048 V), MODE=1, DR=100 (128 SPS), COMP_QUE=11
        assertEquals(0b1_110_010_1_100_0_0_0_11, (written[0] & 0xFF) << 8 | (written[1] & 0xFF));
    }

    @Test
    void shouldRefuseBadInputs() {
        I2C i2c = pi.i2c(0x4A);
        assertThrows(IllegalArgumentException.class, () -> Ads1115.open(i2c, "adc", Ads1115.Gain.FSR_4_096, 4));
        assertThrows(IllegalArgumentException.class, () -> Ads1115.open(i2c, "adc", Ads1115.Gain.FSR_4_096, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Ads1115.open(i2c, "adc", Ads1115.Gain.FSR_4_096));
    }
}
