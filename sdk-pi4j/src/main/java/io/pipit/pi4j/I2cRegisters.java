package io.pipit.pi4j;

import com.pi4j.io.i2c.I2C;
import java.io.IOException;

/**
 * Register access on one I2C device with every short transfer turned into an {@link IOException} that names
 * the device and register. Allocation-free unless it fails. Not thread-safe: one driver, one thread.
 */
final class I2cRegisters {
    private final I2C i2c;
    private final String name;
    private final byte[] one = new byte[1];

    I2cRegisters(I2C i2c, String name) {
        this.i2c = i2c;
        this.name = name;
    }

    /** Reads {@code length} bytes starting at {@code register} (auto-increment burst). */
    void read(int register, byte[] dst, int offset, int length) throws IOException {
        int n;
        try {
            n = i2c.readRegister(register, dst, offset, length);
        } catch (RuntimeException e) { // Pi4J reports bus errors as unchecked exceptions
            throw new IOException(name + ": reading register 0x" + Integer.toHexString(register) + " failed", e);
        }
        if (n != length) {
            throw new IOException(name + ": reading register 0x" + Integer.toHexString(register) + " returned "
                    + n + " of " + length + " bytes");
        }
    }

    /** @return the unsigned byte at {@code register} */
    int read(int register) throws IOException {
        read(register, one, 0, 1);
        return one[0] & 0xFF;
    }

    /** Writes {@code length} bytes starting at {@code register}. */
    void write(int register, byte[] src, int offset, int length) throws IOException {
        int n;
        try {
            n = i2c.writeRegister(register, src, offset, length);
        } catch (RuntimeException e) {
            throw new IOException(name + ": writing register 0x" + Integer.toHexString(register) + " failed", e);
        }
        if (n < 0) {
            throw new IOException(name + ": writing register 0x" + Integer.toHexString(register) + " returned " + n);
        }
    }

    /** Writes one byte at {@code register}. */
    void write(int register, int value) throws IOException {
        one[0] = (byte) value;
        write(register, one, 0, 1);
    }

    @Override
    public String toString() {
        return name;
    }
}
