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
    /** The simulator's calibration: the datasheet example (BST-BME280-DS002) plus typical humidity trimming. */
    static final int[] T = Bme280Simulator.T;
    static final int[] P = Bme280Simulator.P;
    static final int[] H = Bme280Simulator.H;
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

    /**
     * An I2C device at 0x76 answering chip id 0x60 and the calibration above, ready for {@code Bme280.open}; the
     * simulator queues the calibration bytes, whose decoding the driver tests check against the datasheet.
     */
    I2C bme280() {
        I2C i2c = i2c(0x76);
        Bme280Simulator.install(i2c);
        return i2c;
    }

    /** Queues one burst of data registers 0xF7..0xFE: pressure, temperature, humidity, most significant first. */
    static void queueData(I2C i2c, int adcP, int adcT, int adcH) {
        i2c.writeRegister(0xF7, new byte[] {
            (byte) (adcP >> 12), (byte) (adcP >> 4), (byte) (adcP << 4),
            (byte) (adcT >> 12), (byte) (adcT >> 4), (byte) (adcT << 4),
            (byte) (adcH >> 8), (byte) adcH,
        });
    }

    @Override
    public void close() {
        pi4j.shutdown();
    }
}
