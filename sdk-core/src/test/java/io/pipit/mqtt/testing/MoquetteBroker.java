package io.pipit.mqtt.testing;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette 0.17 embedded in the test JVM: an MQTT 3.1.1-only broker on a free loopback port, in memory, no
 * telemetry. It answers a v5 CONNECT with "unacceptable protocol version", which makes it the broker for the
 * client's automatic 3.1.1 fallback tests.
 *
 * <p>Starts in well under a second: one per test class ({@code @BeforeAll}/{@code @AfterAll}) or per test.
 * {@code try (MoquetteBroker broker = MoquetteBroker.start()) { ... broker.port() ... }}
 *
 * <p><b>Thread-safety:</b> {@link #close} is synchronized and idempotent; the accessors are immutable.
 */
public final class MoquetteBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MoquetteBroker.class);
    private static final int START_ATTEMPTS = 3;

    private final Server server;
    private final int port;
    private boolean closed;

    private MoquetteBroker(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a broker on a free 127.0.0.1 port (Moquette cannot report a port the OS picked for it). */
    public static MoquetteBroker start() {
        for (int attempt = 1; ; attempt++) {
            final int port = BrokerSupport.freeLoopbackPort();
            try {
                return startOn(port);
            } catch (IllegalStateException e) {
                if (attempt >= START_ATTEMPTS) {
                    throw e;
                }
                // The likely cause is a port taken between probe and bind by a concurrent test.
                LOG.warn("Moquette failed to start on port {} (attempt {}); retrying on a new port", port, attempt, e);
            }
        }
    }

    private static MoquetteBroker startOn(int port) {
        final Path directory = BrokerSupport.newBrokerDirectory("moquette");
        final Properties properties = new Properties();
        properties.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        properties.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        properties.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        properties.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        properties.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        // Unused with persistence off, but keeps any file Moquette might write out of the working directory.
        properties.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, directory + "/");
        // Moquette reports to its maintainers over the network by default: tests stay on loopback.
        properties.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        properties.setProperty(BrokerConstants.METRICS_ENABLE_PROPERTY_NAME, "false");
        properties.setProperty(BrokerConstants.BUGSNAG_ENABLE_PROPERTY_NAME, "false");
        final Server server = new Server();
        final long startNs = System.nanoTime();
        try {
            server.startServer(new MemoryConfig(properties));
        } catch (IOException | RuntimeException e) {
            // Moquette 0.17 reports a port taken meanwhile as RuntimeException("Cannot bind to port"), not as an
            // IOException; either way its half-started Netty threads must go before a retry
            try {
                server.stopServer();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            BrokerSupport.deleteRecursively(directory);
            throw new IllegalStateException("Moquette did not start on port " + port, e);
        }
        LOG.info("Moquette started on port {} in {} ms", port, (System.nanoTime() - startNs) / 1_000_000);
        return new MoquetteBroker(server, port);
    }

    /** @return the MQTT 3.1.1 port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return "127.0.0.1" */
    public String host() {
        return "127.0.0.1";
    }

    /** @return "tcp://127.0.0.1:PORT", the form Paho and most clients take */
    public String uri() {
        return "tcp://" + host() + ":" + port;
    }

    /** @return the embedded server, for what this fixture does not wrap (e.g. {@code disconnectClient}) */
    public Server server() {
        return server;
    }

    /** Stops the broker and its Netty threads; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stopServer();
        }
    }

    @Override
    public String toString() {
        return "Moquette[" + host() + ":" + port + "]";
    }
}
