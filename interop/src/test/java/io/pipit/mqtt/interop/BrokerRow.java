package io.pipit.mqtt.interop;

import io.pipit.mqtt.ProtocolVersion;
import java.util.function.Supplier;
import org.opentest4j.TestAbortedException;

/**
 * One row of the matrix: a broker, how to start it, and the protocol version the client asks for. The suite
 * starts the broker before the row's scenarios and stops it after them. Not thread-safe: JUnit drives a row
 * from one thread.
 */
final class BrokerRow implements AutoCloseable {
    /** A started broker: where it listens and how to stop it. */
    record Running(int port, AutoCloseable stopper) {
    }

    private final String broker;
    private final ProtocolVersion requested;
    private final Supplier<Running> starter;
    private Running running;

    BrokerRow(String broker, ProtocolVersion requested, Supplier<Running> starter) {
        this.broker = broker;
        this.requested = requested;
        this.starter = starter;
    }

    /** Starts the broker; a missing Debian broker is recorded in the matrix before the skip (or CI failure). */
    void start() {
        try {
            running = starter.get();
        } catch (TestAbortedException e) {
            InteropMatrix.rowSkipped(this, "skipped: " + e.getMessage());
            throw e;
        } catch (RuntimeException | AssertionError e) {
            InteropMatrix.rowSkipped(this, "broker did not start: " + e.getMessage());
            throw e;
        }
    }

    /** @return the broker's name and version, e.g. "mosquitto 2.0.11" */
    String broker() {
        return broker;
    }

    /** @return the version the client asks for in CONNECT (3.1.1 may still be negotiated by fallback) */
    ProtocolVersion requested() {
        return requested;
    }

    /** @return the broker's loopback port */
    int port() {
        if (running == null) {
            throw new IllegalStateException(broker + " is not running");
        }
        return running.port();
    }

    /** @return "mqtt://127.0.0.1:PORT" */
    String uri() {
        return "mqtt://127.0.0.1:" + port();
    }

    /** @return a short name for topics and client ids, e.g. "mosquitto-5" */
    String slug() {
        return broker.split(" ")[0].toLowerCase(java.util.Locale.ROOT) + "-" + (requested.isMqtt5() ? "5" : "311");
    }

    @Override
    public void close() throws Exception {
        if (running != null) {
            running.stopper().close();
            running = null;
        }
    }

    @Override
    public String toString() {
        return broker + ", client asks for " + (requested.isMqtt5() ? "MQTT 5" : "MQTT 3.1.1");
    }
}
