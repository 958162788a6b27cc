package io.pipit.mqtt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the broker fixtures share: free ports, a directory per broker, waiting. Stateless, so thread-safe. */
final class BrokerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerSupport.class);

    /** The lowest port handed out: above the registered ports most system services use. */
    private static final int PORT_FLOOR = 10_000;
    private static final int PORT_SPAN = Math.max(1_000, ephemeralLow() - PORT_FLOOR);
    private static final AtomicInteger NEXT_PORT = new AtomicInteger((int) (ProcessHandle.current().pid() * 7919));

    private BrokerSupport() {
    }

    /**
     * @return a loopback port free a moment ago, for a broker that must be told its port before it binds.
     *
     * <p>Bind-then-close is racy in principle (another process may take the port before the broker binds it), so
     * every fixture retries its start on a new port. The race is made rare by where the port comes from: not from
     * the kernel's ephemeral range (which {@code bind(0)} would use, and from which every outgoing connection of
     * this machine takes its local port: the hundreds of clients a test connects could take a port just probed),
     * but from the range below it, walked from a point chosen by this process's id, so two JVMs start far apart
     * and one JVM never hands out the same port twice.
     */
    static int freeLoopbackPort() {
        for (int tries = 0; tries < PORT_SPAN; tries++) {
            final int port = PORT_FLOOR + Math.floorMod(NEXT_PORT.getAndIncrement(), PORT_SPAN);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                LOG.trace("port {} is taken: {}", port, taken.toString());
            }
        }
        throw new IllegalStateException("no free loopback port in " + PORT_FLOOR + "-" + (PORT_FLOOR + PORT_SPAN));
    }

    /** Below the ephemeral range: Linux's default starts at 32768 (/proc/sys/net/ipv4/ip_local_port_range). */
    private static int ephemeralLow() {
        try {
            final String range = new String(Files.readAllBytes(Paths.get("/proc/sys/net/ipv4/ip_local_port_range")),
                    java.nio.charset.StandardCharsets.US_ASCII).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return 32768;  // the Linux default; macOS and Windows start theirs at 49152, above it
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
