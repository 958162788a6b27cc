package io.pipit.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;

/**
 * A Pi4J context on the mock platform, with helpers that preload a mock BME280. {@code MockI2C} keeps a FIFO per
 * register, not a register map: each burst read takes its bytes from the FIFO of its start register, and a write
 * appends to the FIFO of its register, so every byte a read will take is preloaded here in order.
 */
final class MockPi implements AutoCloseable {
    /** Datasheet example trimming (BST-BME280-DS002 / BMP280 section 3.12) plus typical humidity trimming. */
    static final int[] T = {27504, 26435, -1000};
    static final int[] P = {36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000};
    static final int[] H = {75, 362, 0, 313, 50, 30};
    /** The datasheet's raw readings: 25.08 °C and 100653 Pa; 0x6A8C gives 39.81 %RH with the trimming above. */
    static final int ADC_T = 519888;
    static final int ADC_P = 415148;
    static final int ADC_H = 0x6A8C;

    final Context pi4j = Pi4J.newContextBuilder()
            .add(new MockPlatform())
            .add(MockI2CProvider.newInstance(), MockDigitalInputProvider.newInstance(),
                    MockDigitalOutputProvider.newInstance(), MockPwmProvider.newInstance())
            .build();

    I2C i2c(int address) {
        return pi4j.create(I2C.newConfigBuilder(pi4j).id("i2c-" + address).bus(1).device(address));
    }

    MockDigitalInput input(int bcm) {
        return (MockDigitalInput) pi4j.create(DigitalInput.newConfigBuilder(pi4j).id("in-" + bcm).address(bcm));
    }

    DigitalOutput output(int bcm) {
        return pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("out-" + bcm).address(bcm)
                .initial(DigitalState.LOW).shutdown(DigitalState.LOW));
    }

    Pwm pwm(int bcm) {
        return pi4j.create(Pwm.newConfigBuilder(pi4j).id("pwm-" + bcm).address(bcm).frequency(1000).initial(0));
    }

    /** An I2C device at 0x76 answering chip id 0x60 and the calibration above, ready for {@code Bme280.open}. */
    I2C bme280() {
        I2C i2c = i2c(0x76);
        i2c.writeRegister(0xD0, (byte) 0x60);
        byte[] block1 = new byte[26];
        putWords(block1, 0, T);
        putWords(block1, 6, P);
        block1[25] = (byte) H[0];
        i2c.writeRegister(0x88, block1);
        byte[] block2 = {
            (byte) H[1], (byte) (H[1] >> 8), (byte) H[2],
            (byte) (H[3] >> 4), (byte) ((H[3] & 0x0F) | (H[4] & 0x0F) << 4), (byte) (H[4] >> 4), (byte) H[5],
        };
        i2c.writeRegister(0xE1, block2);
        return i2c;
    }

    /** Queues one burst of data registers 0xF7..0xFE. */
    static void queueData(I2C i2c, int adcP, int adcT, int adcH) {
        i2c.writeRegister(0xF7, new byte[] {
            (byte) (adcP >> 12), (byte) (adcP >> 4), (byte) (adcP << 4),
            (byte) (adcT >> 12), (byte) (adcT >> 4), (byte) (adcT << 4),
            (byte) (adcH >> 8), (byte) adcH,
        });
    }

    private static void putWords(byte[] dst, int offset, int[] words) {
        for (int i = 0; i < words.length; i++) {
            dst[offset + 2 * i] = (byte) words[i];
            dst[offset + 2 * i + 1] = (byte) (words[i] >> 8);
        }
    }

    @Override
    public void close() {
        pi4j.shutdown();
    }
}
