package io.pipit.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.io.i2c.I2C;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The BME280 driver on Pi4J's mock I2C, fed the datasheet's worked example. */
class Bme280Test {
    private final MockPi pi = new MockPi();

    @AfterEach
    void close() {
        pi.close();
    }

    @Test
    void shouldCompensateTheDatasheetExampleExactly() {
        Bme280Calibration calibration = new Bme280Calibration(MockPi.T, MockPi.P, MockPi.H);

        int fine = calibration.temperatureFine(MockPi.ADC_T);

        assertEquals(128422, fine); // datasheet: t_fine = 128422
        assertEquals(2508, Bme280Calibration.centidegrees(fine)); // 25.08 °C
        // 64-bit integer formula: 25767233 / 256 = 100653.25 Pa (the double formula gives 100653.27)
        assertEquals(25767233L, calibration.pressureQ24x8(MockPi.ADC_P, fine));
        // 32-bit humidity formula, worked independently: 40770 / 1024 = 39.81 %RH (double formula: 39.817)
        assertEquals(40770, calibration.humidityQ22x10(MockPi.ADC_H, fine));
    }

    @Test
    void shouldParseTheCalibrationRegistersIncludingTheSplitHumidityWords() throws IOException {
        I2C i2c = pi.bme280();
        MockPi.queueData(i2c, MockPi.ADC_P, MockPi.ADC_T, MockPi.ADC_H);
        Bme280 sensor = Bme280.open(i2c, "bme280", Bme280.Mode.NORMAL);
        double[] values = new double[3];

        sensor.sample(values);

        assertEquals(25.08, values[0], 1e-9);
        assertEquals(40770 / 1024.0, values[1], 1e-9);
        assertEquals(25767233 / 25600.0, values[2], 1e-9);
    }

    @Test
    void shouldStartAForcedMeasurementAndWaitForTheStatusBit() throws IOException {
        I2C i2c = pi.bme280();
        Bme280 sensor = Bme280.open(i2c, "bme280", Bme280.Mode.FORCED);
        i2c.writeRegister(0xF3, new byte[] {0x08, 0x08, 0x00}); // measuring, measuring, done
        MockPi.queueData(i2c, MockPi.ADC_P, MockPi.ADC_T, MockPi.ADC_H);
        double[] values = new double[3];

        sensor.sample(values);

        assertEquals(25.08, values[0], 1e-9);
        assertEquals(-1, i2c.readRegister(0xF3, new byte[1], 0, 1), "every status byte was polled");
        byte[] writes = new byte[2];
        assertEquals(2, i2c.readRegister(0xF4, writes, 0, 2), "ctrl_meas written at open and per sample");
        assertEquals(0b001_001_00, writes[0] & 0xFF, "open leaves the chip asleep, oversampling x1");
        assertEquals(0b001_001_01, writes[1] & 0xFF, "sample starts one forced measurement");
    }

    @Test
    void shouldFormatTheDatasheetExampleAsJson() throws IOException {
        I2C i2c = pi.bme280();
        MockPi.queueData(i2c, MockPi.ADC_P, MockPi.ADC_T, MockPi.ADC_H);
        Bme280 sensor = Bme280.open(i2c, "bme280", Bme280.Mode.NORMAL);
        double[] values = new double[3];
        sensor.sample(values);
        byte[] buffer = new byte[128];

        int length = new JsonFormatter().format(sensor, values, buffer, 0);

        assertEquals("{\"temperature\":25.08,\"humidity\":39.81,\"pressure\":1006.53}",
                new String(buffer, 0, length, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseAChipThatIsNotABme280() {
        I2C i2c = pi.i2c(0x77);
        i2c.writeRegister(0xD0, (byte) 0x58); // a BMP280

        IOException e = assertThrows(IOException.class, () -> Bme280.open(i2c, "bme280", Bme280.Mode.FORCED));

        assertTrue(e.getMessage().contains("chip id 0x58"), e.getMessage());
    }

    @Test
    void shouldReportAShortReadAsAnIoException() throws IOException {
        I2C i2c = pi.bme280();
        Bme280 sensor = Bme280.open(i2c, "bme280", Bme280.Mode.NORMAL);
        i2c.writeRegister(0xF7, new byte[] {1, 2, 3}); // only 3 of 8 data bytes

        IOException e = assertThrows(IOException.class, () -> sensor.sample(new double[3]));

        assertTrue(e.getMessage().contains("register 0xf7 returned 3 of 8 bytes"), e.getMessage());
    }
}
