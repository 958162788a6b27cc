package io.pipit.pi4j;

import com.pi4j.io.i2c.I2C;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Texas Instruments ADS1115 16-bit ADC over I2C (address 0x48..0x4B), read single-ended in single-shot mode at
 * 128 samples/s: each {@link #sample} converts each configured input (AIN0..AIN3) in turn and reports volts with
 * 4 decimals as channels {@code a0}..{@code a3}. Voltage = code × full scale / 32768 (datasheet section 9.3.3).
 *
 * <p>Not thread-safe: one sampling thread. {@link #sample} allocates nothing unless it fails.
 */
public final class Ads1115 implements Sensor {
    private static final int CONVERSION = 0x00;
    private static final int CONFIG = 0x01;
    /** OS = 1: start a conversion (write) / no conversion running (read). */
    private static final int OS = 0x8000;
    /** MUX 1xx: AINx against GND. */
    private static final int MUX_SINGLE_ENDED = 0x4000;
    /** MODE = 1 (single-shot), DR = 100 (128 SPS), comparator off (COMP_QUE = 11). */
    private static final int SINGLE_SHOT_128SPS = 0x0100 | 0x0080 | 0x0003;
    /** One conversion at 128 SPS takes 7.8 ms; poll for up to twice that. */
    private static final int READY_POLLS = 16;

    /** Programmable gain: the input range; pick the smallest that covers the signal. */
    public enum Gain {
        /** ±6.144 V (inputs still must stay within VDD + 0.3 V). */
        FSR_6_144(0, 6.144),
        /** ±4.096 V: the usual choice at 3.3 V. */
        FSR_4_096(1, 4.096),
        /** ±2.048 V (the chip's default). */
        FSR_2_048(2, 2.048),
        /** ±1.024 V. */
        FSR_1_024(3, 1.024),
        /** ±0.512 V. */
        FSR_0_512(4, 0.512),
        /** ±0.256 V. */
        FSR_0_256(5, 0.256);

        private final int bits;
        private final double fullScaleVolts;

        Gain(int bits, double fullScaleVolts) {
            this.bits = bits;
            this.fullScaleVolts = fullScaleVolts;
        }

        /** @return the full-scale voltage */
        public double fullScaleVolts() {
            return fullScaleVolts;
        }
    }

    private final String id;
    private final I2cRegisters registers;
    private final Gain gain;
    private final int[] inputs;
    private final List<Channel> channels;
    private final byte[] word = new byte[2];

    private Ads1115(String id, I2cRegisters registers, Gain gain, int[] inputs) {
        this.id = id;
        this.registers = registers;
        this.gain = gain;
        this.inputs = inputs;
        List<Channel> list = new ArrayList<>();
        for (int input : inputs) {
            list.add(Channel.of("a" + input, "V", "voltage", 4));
        }
        this.channels = Collections.unmodifiableList(list);
    }

    /**
     * @param i2c the device, e.g. {@code pi4j.create(I2C.newConfigBuilder(pi4j).bus(1).device(0x48))}
     * @param inputs the single-ended inputs to read, each 0..3, no repeats
     * @throws IllegalArgumentException naming a bad input
     */
    public static Ads1115 open(I2C i2c, String id, Gain gain, int... inputs) {
        DeviceTopics.checkId("sensor id", id);
        if (inputs.length == 0) {
            throw new IllegalArgumentException("ADS1115 '" + id + "': give at least one input (0..3)");
        }
        int seen = 0;
        for (int input : inputs) {
            if (input < 0 || input > 3 || (seen & 1 << input) != 0) {
                throw new IllegalArgumentException("ADS1115 '" + id + "': inputs must be distinct, 0..3: " + input);
            }
            seen |= 1 << input;
        }
        return new Ads1115(id, new I2cRegisters(i2c, "ADS1115 '" + id + "'"), gain, inputs.clone());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Channel> channels() {
        return channels;
    }

    /** Fills the voltage of each input, in the order given to {@link #open}. */
    @Override
    public void sample(double[] values) throws IOException {
        for (int i = 0; i < inputs.length; i++) {
            values[i] = convert(inputs[i]) * gain.fullScaleVolts / 32768.0;
        }
    }

    /** @return the signed conversion code of one input */
    private int convert(int input) throws IOException {
        int config = OS | MUX_SINGLE_ENDED | input << 12 | gain.bits << 9 | SINGLE_SHOT_128SPS;
        word[0] = (byte) (config >> 8);
        word[1] = (byte) config;
        registers.write(CONFIG, word, 0, 2);
        try {
            for (int i = 0; !ready(); i++) {
                if (i == READY_POLLS) {
                    throw new IOException(registers + ": conversion of AIN" + input + " not done after "
                            + READY_POLLS + " ms");
                }
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(registers + ": interrupted while converting", e);
        }
        registers.read(CONVERSION, word, 0, 2);
        return (short) ((word[0] & 0xFF) << 8 | (word[1] & 0xFF));
    }

    private boolean ready() throws IOException {
        registers.read(CONFIG, word, 0, 2);
        return (word[0] & 0x80) != 0;
    }

    @Override
    public String toString() {
        return registers + " " + gain;
    }
}
