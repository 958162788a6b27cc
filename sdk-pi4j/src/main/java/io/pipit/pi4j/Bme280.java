package io.pipit.pi4j;

import com.pi4j.io.i2c.I2C;
import java.io.IOException;
import java.util.List;

/**
 * Bosch BME280 temperature / humidity / pressure sensor over I2C (address 0x76, or 0x77 with SDO high). Opening
 * checks the chip id (0x60), reads the factory calibration (0x88..0xA1, 0xE1..0xE7) and sets 1× oversampling on
 * every quantity with the IIR filter off. In {@link Mode#FORCED} each {@link #sample} starts one measurement and
 * waits for it (about 10 ms; the chip sleeps in between, the datasheet's choice for weather monitoring); in
 * {@link Mode#NORMAL} the chip measures every second on its own and {@link #sample} reads the latest result.
 * Readings use the datasheet's integer compensation: °C with 2 decimals, %RH and hPa with 2.
 *
 * <p>Not thread-safe: one sampling thread (the {@link TelemetryPublisher}'s). {@link #sample} allocates nothing
 * unless it fails.
 */
public final class Bme280 implements Sensor {
    /** Register addresses and values from the datasheet's memory map (section 5.3). */
    private static final int CHIP_ID_REGISTER = 0xD0;
    private static final int CHIP_ID = 0x60;
    private static final int CALIBRATION1 = 0x88;
    private static final int CALIBRATION2 = 0xE1;
    private static final int CTRL_HUM = 0xF2;
    private static final int STATUS = 0xF3;
    private static final int CTRL_MEAS = 0xF4;
    private static final int CONFIG = 0xF5;
    private static final int DATA = 0xF7;
    private static final int DATA_LENGTH = 8;
    /** ctrl_meas osrs_t = ×1, osrs_p = ×1; the low two bits are the mode. */
    private static final int OVERSAMPLING_X1 = 0b001_001_00;
    /** config: t_sb = 1000 ms (normal mode's period), filter off, no 3-wire SPI. */
    private static final int STANDBY_1000_MS = 0b101_000_00;
    /** status bit 3: a conversion is running. */
    private static final int MEASURING = 0b1000;
    /** Datasheet appendix B: ×1 on all three takes at most 9.3 ms. */
    private static final long MEASUREMENT_MS = 10;
    private static final int STATUS_POLLS = 20;
    /** The chip reports 0x80000 for a quantity it skipped. */
    private static final int SKIPPED = 0x80000;

    /** How the chip schedules its measurements. */
    public enum Mode {
        /** One measurement per {@link #sample}; the chip sleeps in between. */
        FORCED(0b01),
        /** The chip measures every second by itself; {@link #sample} reads the latest. */
        NORMAL(0b11);

        private final int bits;

        Mode(int bits) {
            this.bits = bits;
        }
    }

    private final String id;
    private final I2cRegisters registers;
    private final Mode mode;
    private final Bme280Calibration calibration;
    private final List<Channel> channels = List.of(
            Channel.of("temperature", "°C", "temperature", 2),
            Channel.of("humidity", "%", "humidity", 2),
            Channel.of("pressure", "hPa", "pressure", 2));
    private final byte[] data = new byte[DATA_LENGTH];

    private Bme280(String id, I2cRegisters registers, Mode mode, Bme280Calibration calibration) {
        this.id = id;
        this.registers = registers;
        this.mode = mode;
        this.calibration = calibration;
    }

    /**
     * Checks the chip, reads its calibration and configures it.
     *
     * @param i2c the device, e.g. {@code pi4j.create(I2C.newConfigBuilder(pi4j).bus(1).device(0x76))}
     * @param id object id in topics, e.g. {@code bme280}
     * @throws IOException when the device does not answer or is not a BME280 (a BMP280 answers 0x56..0x58)
     */
    public static Bme280 open(I2C i2c, String id, Mode mode) throws IOException {
        DeviceTopics.checkId("sensor id", id);
        I2cRegisters registers = new I2cRegisters(i2c, "BME280 '" + id + "'");
        int chipId = registers.read(CHIP_ID_REGISTER);
        if (chipId != CHIP_ID) {
            throw new IOException(registers + ": chip id 0x" + Integer.toHexString(chipId)
                    + " is not a BME280's (0x60); a BMP280 says 0x56..0x58 and has no humidity sensor");
        }
        byte[] block1 = new byte[Bme280Calibration.BLOCK1_LENGTH];
        byte[] block2 = new byte[Bme280Calibration.BLOCK2_LENGTH];
        registers.read(CALIBRATION1, block1, 0, block1.length);
        registers.read(CALIBRATION2, block2, 0, block2.length);
        Bme280 sensor = new Bme280(id, registers, mode, Bme280Calibration.parse(block1, block2));
        registers.write(CTRL_HUM, 0b001); // osrs_h ×1; takes effect with the next ctrl_meas write
        registers.write(CONFIG, STANDBY_1000_MS);
        registers.write(CTRL_MEAS, OVERSAMPLING_X1 | (mode == Mode.NORMAL ? mode.bits : 0)); // sleep until asked
        return sensor;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Channel> channels() {
        return channels;
    }

    /** Fills temperature (°C), humidity (%RH) and pressure (hPa). */
    @Override
    public void sample(double[] values) throws IOException {
        if (mode == Mode.FORCED) {
            measureOnce();
        }
        registers.read(DATA, data, 0, DATA_LENGTH);
        int adcP = (data[0] & 0xFF) << 12 | (data[1] & 0xFF) << 4 | (data[2] & 0xFF) >> 4;
        int adcT = (data[3] & 0xFF) << 12 | (data[4] & 0xFF) << 4 | (data[5] & 0xFF) >> 4;
        int adcH = (data[6] & 0xFF) << 8 | (data[7] & 0xFF);
        if (adcT == SKIPPED) {
            throw new IOException(registers + ": no temperature in the data registers (still in reset?)");
        }
        int fine = calibration.temperatureFine(adcT);
        values[0] = Bme280Calibration.centidegrees(fine) / 100.0;
        values[1] = calibration.humidityQ22x10(adcH, fine) / 1024.0;
        values[2] = adcP == SKIPPED ? Double.NaN : calibration.pressureQ24x8(adcP, fine) / 25600.0;
    }

    private void measureOnce() throws IOException {
        registers.write(CTRL_MEAS, OVERSAMPLING_X1 | mode.bits);
        try {
            Thread.sleep(MEASUREMENT_MS);
            for (int i = 0; (registers.read(STATUS) & MEASURING) != 0; i++) {
                if (i == STATUS_POLLS) {
                    throw new IOException(registers + ": measurement still running after "
                            + (MEASUREMENT_MS + STATUS_POLLS) + " ms");
                }
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(registers + ": interrupted while measuring", e);
        }
    }

    @Override
    public String toString() {
        return registers + " (" + mode + ")";
    }
}
