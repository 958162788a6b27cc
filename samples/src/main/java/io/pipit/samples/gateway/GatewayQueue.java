package io.pipit.samples.gateway;

import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.queue.FileQueue;
import io.pipit.mqtt.queue.RecoveryReport;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The gateway's {@code --queue} choice: the client's in-memory queue, or a crash-safe {@link FileQueue} in a
 * directory, which outlives the client and is closed after it. Used by the gateway's main thread only.
 */
final class GatewayQueue implements AutoCloseable {
    private final FileQueue file;

    private GatewayQueue(FileQueue file) {
        this.file = file;
    }

    /**
     * @param spec {@code memory}, or a directory for a file queue (created when missing)
     * @throws UncheckedIOException when the directory cannot serve as a queue (unwritable, locked by another
     *     client, not a directory), with a message naming it
     */
    static GatewayQueue choose(String spec) {
        if (spec.equals("memory")) {
            return new GatewayQueue(null); // the client's default: a bounded in-memory queue
        }
        try {
            return new GatewayQueue(FileQueue.open(new File(spec)));
        } catch (IOException e) {
            throw new UncheckedIOException("--queue " + spec + ": " + e.getMessage(), e);
        }
    }

    /** Gives the publishing client this queue (nothing to do for the in-memory default). */
    void applyTo(MqttClientBuilder builder) {
        if (file != null) {
            builder.queue(file);
        }
    }

    /** @return what opening the file queue found (messages left by an earlier run), or null for memory */
    String describe() {
        if (file == null) {
            return null;
        }
        RecoveryReport report = file.recoveryReport();
        return "file queue: " + report;
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
