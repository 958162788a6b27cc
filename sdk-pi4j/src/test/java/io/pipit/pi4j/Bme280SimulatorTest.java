package io.pipit.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pi4j.io.i2c.I2C;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Bme280SimulatorTest {
    private final MockPi pi = new MockPi();

    @AfterEach
    void close() {
        pi.close();
    }

    @Test
    void shouldMakeTheDriverReadTheReadingsAskedFor() throws IOException {
        I2C i2c = pi.i2c(0x76);
        Bme280Simulator simulator = Bme280Simulator.install(i2c);
        Bme280 sensor = Bme280.open(i2c, "bme280", Bme280.Mode.FORCED);
        double[] values = new double[3];
        double[][] readings = {{21.5, 45.0, 1013.25}, {-12.34, 3.5, 955.0}, {38.0, 97.25, 1080.5}};

        for (double[] reading : readings) {
            simulator.queueMeasurementDone();
            simulator.queueReading(reading[0], reading[1], reading[2]);
            sensor.sample(values);

            assertEquals(reading[0], values[0], 0.005);
            assertEquals(reading[1], values[1], 0.01);
            assertEquals(reading[2], values[2], 0.005);
        }
    }
}
