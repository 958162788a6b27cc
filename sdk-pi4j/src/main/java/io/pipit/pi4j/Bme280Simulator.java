package io.pipit.pi4j;

import com.pi4j.io.i2c.I2C;
import java.util.function.IntToLongFunction;

/**
 * A simulated BME280 for Pi4J's mock platform, so {@link Bme280} runs unchanged on a laptop. The mock I2C keeps
 * a FIFO per register (a write queues bytes that later reads of that register return), so the simulator queues
 * what the driver will read: at {@link #install} the chip id and a calibration (the datasheet's example
 * temperature and pressure trimming, typical humidity trimming), then per {@link #queueReading} one burst of data
 * registers whose compensated values are the readings asked for (raw values found by bisection through the
 * datasheet formulas). In {@link Bme280.Mode#FORCED} also queue a status byte per sample
 * ({@link #queueMeasurementDone}).
 *
 * <p>Not thread-safe: queue from the thread that samples, or before sampling starts.
 */
public final class Bme280Simulator {
    /** The datasheet example trimming (temperature, pressure) and typical humidity trimming; tests use them too. */
    static final int[] T = {27504, 26435, -1000};
    static final int[] P = {36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000};
    static final int[] H = {75, 362, 0, 313, 50, 30};
    private static final int ADC_MAX = (1 << 20) - 1;

    private final I2C i2c;
    private final Bme280Calibration calibration = new Bme280Calibration(T, P, H);
    private final byte[] burst = new byte[8];

    private Bme280Simulator(I2C i2c) {
        this.i2c = i2c;
    }

    /** Queues the chip id and calibration on {@code mockI2c}: call before {@link Bme280#open}. */
    public static Bme280Simulator install(I2C mockI2c) {
        mockI2c.writeRegister(0xD0, (byte) 0x60);
        byte[] block1 = new byte[Bme280Calibration.BLOCK1_LENGTH];
        putWords(block1, 0, T);
        putWords(block1, 6, P);
        block1[25] = (byte) H[0];
        mockI2c.writeRegister(0x88, block1);
        mockI2c.writeRegister(0xE1, new byte[] {
            (byte) H[1], (byte) (H[1] >> 8), (byte) H[2],
            (byte) (H[3] >> 4), (byte) ((H[3] & 0x0F) | (H[4] & 0x0F) << 4), (byte) (H[4] >> 4), (byte) H[5],
        });
        return new Bme280Simulator(mockI2c);
    }

    /** Queues one burst of raw ADC values (20-bit pressure and temperature, 16-bit humidity). */
    public void queueRaw(int adcP, int adcT, int adcH) {
        burst[0] = (byte) (adcP >> 12);
        burst[1] = (byte) (adcP >> 4);
        burst[2] = (byte) (adcP << 4);
        burst[3] = (byte) (adcT >> 12);
        burst[4] = (byte) (adcT >> 4);
        burst[5] = (byte) (adcT << 4);
        burst[6] = (byte) (adcH >> 8);
        burst[7] = (byte) adcH;
        i2c.writeRegister(0xF7, burst);
    }

    /**
     * Queues one sample that the driver will read as (about) these values: to 0.01 °C, 0.01 %RH, 0.01 hPa
     * within the sensor's ranges (-40..85 °C, 0..100 %RH, 300..1100 hPa).
     */
    public void queueReading(double celsius, double humidityPercent, double hectopascal) {
        int adcT = solve(adc -> Bme280Calibration.centidegrees(calibration.temperatureFine(adc)),
                Math.round(celsius * 100), ADC_MAX, true);
        int fine = calibration.temperatureFine(adcT);
        int adcP = solve(adc -> calibration.pressureQ24x8(adc, fine), Math.round(hectopascal * 25600), ADC_MAX,
                false);
        int adcH = solve(adc -> calibration.humidityQ22x10(adc, fine), Math.round(humidityPercent * 1024), 0xFFFF,
                true);
        queueRaw(adcP, adcT, adcH);
    }

    /** Queues a status byte saying no measurement is running (one per forced-mode sample). */
    public void queueMeasurementDone() {
        i2c.writeRegister(0xF3, (byte) 0);
    }

    /** @return the raw value in 0..max whose compensated value is nearest {@code target} (f monotonic) */
    static int solve(IntToLongFunction f, long target, int max, boolean increasing) {
        int lo = 0;
        int hi = max;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if ((f.applyAsLong(mid) < target) == increasing) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo > 0 && Math.abs(f.applyAsLong(lo - 1) - target) < Math.abs(f.applyAsLong(lo) - target) ? lo - 1 : lo;
    }

    private static void putWords(byte[] dst, int offset, int[] words) {
        for (int i = 0; i < words.length; i++) {
            dst[offset + 2 * i] = (byte) words[i];
            dst[offset + 2 * i + 1] = (byte) (words[i] >> 8);
        }
    }
}
