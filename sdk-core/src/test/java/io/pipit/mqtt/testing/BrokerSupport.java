package io.pipit.mqtt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the broker fixtures share: free ports, a directory per broker, waiting. Stateless, so thread-safe. */
final class BrokerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerSupport.class);

    private BrokerSupport() {
    }

    /**
     * @return a loopback port free a moment ago. Bind-then-close is racy in principle (another process may take
     *     the port before the broker binds it), so every fixture retries its start on a new port.
     */
    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /**
     * @return a new directory for one broker: under {@code target/KIND/} when the working directory has a
     *     {@code target} folder (as under Maven, so {@code mvn clean} removes it), else in the system temp
     *     directory
     */
    static Path newBrokerDirectory(String kind) {
        try {
            final Path target = Paths.get("target");
            final Path base = Files.isDirectory(target)
                    ? Files.createDirectories(target.resolve(kind))
                    : Paths.get(System.getProperty("java.io.tmpdir"));
            return Files.createTempDirectory(base, kind + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for " + kind, e);
        }
    }

    /** Deletes {@code directory} and its content; a failure is logged, since leftovers harm no later test. */
    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}", directory, e);
        }
    }

    /** Sleeps; an interrupt ends the wait with an exception naming what was awaited (and stays set). */
    static void sleepMillis(long millis, String waitingFor) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + waitingFor, e);
        }
    }
}
