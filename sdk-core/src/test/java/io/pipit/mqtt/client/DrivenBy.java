package io.pipit.mqtt.client;

import io.pipit.mqtt.driver.Driver;

/**
 * A stand-in driver for tests of the client layer: {@code thread} is the one that drives the connection (none, for
 * a test whose own thread runs the connection's work by hand and never waits on it). Starts, signals and stops
 * nothing; there is no poll mode.
 */
final class DrivenBy implements Driver {
    private final Thread thread;

    /** @param thread the driving thread, or null for none */
    DrivenBy(Thread thread) {
        this.thread = thread;
    }

    @Override
    public boolean isDrivingThread() {
        return thread != null && Thread.currentThread() == thread;
    }

    @Override
    public String drivingThreadRole() {
        return "on the I/O thread";
    }

    @Override
    public void start() {
    }

    @Override
    public void signal() {
    }

    @Override
    public void stop() {
    }

    @Override
    public int poll(long maxWaitNs) {
        throw new UnsupportedOperationException("no poll mode in this stand-in");
    }
}
