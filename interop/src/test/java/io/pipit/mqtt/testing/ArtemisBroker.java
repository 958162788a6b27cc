package io.pipit.mqtt.testing;

import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ActiveMQ Artemis embedded in the test JVM, with one acceptor speaking MQTT 5.0 and 3.1.1 on a free loopback
 * port (which also takes WebSocket upgrades, on any path); persistence, security and JMX off. Starts in about a second, stops in about 0.1 s.
 *
 * <p>{@code try (ArtemisBroker broker = ArtemisBroker.start()) { ... broker.port() ... }}
 *
 * <p><b>Thread-safety:</b> {@link #close} is synchronized and idempotent; the accessors are immutable.
 */
public final class ArtemisBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArtemisBroker.class);
    private static final int START_ATTEMPTS = 3;
    /** The name of the MQTT acceptor in {@link #configuration}. */
    static final String MQTT_ACCEPTOR = "mqtt";

    private final EmbeddedActiveMQ server;
    private final Path directory;
    private final int port;
    private boolean closed;

    private ArtemisBroker(EmbeddedActiveMQ server, Path directory, int port) {
        this.server = server;
        this.directory = directory;
        this.port = port;
    }

    /** Starts a broker on a free 127.0.0.1 port, retrying on a new port when another process took it first. */
    public static ArtemisBroker start() {
        return start("");
    }

    /**
     * Starts a broker whose acceptor speaks TLS with the one key entry of this PKCS#12 key store (MQTT over TLS and
     * over WebSocket over TLS on {@link #port()}).
     */
    public static ArtemisBroker startWithTls(Path keyStore, String password) {
        return start("&sslEnabled=true&keyStoreType=PKCS12&keyStorePath=" + keyStore.toAbsolutePath()
                + "&keyStorePassword=" + password);
    }

    private static ArtemisBroker start(String acceptorOptions) {
        for (int attempt = 1; ; attempt++) {
            final int port = BrokerSupport.freeLoopbackPort();
            final Path directory = BrokerSupport.newBrokerDirectory("artemis");
            try {
                return new ArtemisBroker(startServer(configuration(directory, port, acceptorOptions), "port " + port),
                        directory, port);
            } catch (IllegalStateException e) {
                BrokerSupport.deleteRecursively(directory);
                if (attempt >= START_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("Artemis failed to start on port {} (attempt {}); retrying on a new port", port, attempt, e);
            }
        }
    }

    /**
     * The settings every embedded Artemis here shares (the cluster nodes of {@link ArtemisCluster} add theirs):
     * one MQTT acceptor on {@code mqttPort} of 127.0.0.1, data under {@code directory}; persistence, security and
     * JMX off; no disk-usage limit.
     */
    static ConfigurationImpl configuration(Path directory, int mqttPort, String acceptorOptions) {
        final ConfigurationImpl config = new ConfigurationImpl();
        try {
            config.setPersistenceEnabled(false)
                    .setSecurityEnabled(false)
                    .setJMXManagementEnabled(false)
                    // a nearly full disk would otherwise block every producer, failing tests for no MQTT reason
                    .setMaxDiskUsage(-1)
                    .addAcceptorConfiguration(MQTT_ACCEPTOR, "tcp://127.0.0.1:" + mqttPort + "?protocols=MQTT"
                            + acceptorOptions);
        } catch (Exception e) {  // Artemis declares a bare Exception for parsing the acceptor URI
            throw new IllegalArgumentException("bad Artemis acceptor options: " + acceptorOptions, e);
        }
        config.setBrokerInstance(directory.toFile());
        return config;
    }

    /**
     * Starts an embedded server with {@code config} and checks that it became active.
     *
     * @param where names the server in logs and failures, e.g. "port 40123"
     * @throws IllegalStateException when it did not start (a port taken meanwhile, most often); it is stopped
     */
    static EmbeddedActiveMQ startServer(Configuration config, String where) {
        final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        final long startNs = System.nanoTime();
        try {
            server.setConfiguration(config);
            server.start();
        } catch (Exception e) {  // Artemis declares a bare Exception on both calls
            stopAfterFailedStart(server, e);
            throw new IllegalStateException("Artemis did not start on " + where, e);
        }
        if (!server.getActiveMQServer().isActive()) {
            stopAfterFailedStart(server, null);
            throw new IllegalStateException("Artemis started but is not active on " + where);
        }
        LOG.info("Artemis started on {} in {} ms", where, (System.nanoTime() - startNs) / 1_000_000);
        return server;
    }

    /** The start failure is what the caller reports; a failure to stop rides along, suppressed. */
    private static void stopAfterFailedStart(EmbeddedActiveMQ server, Exception failure) {
        try {
            server.stop();
        } catch (Exception stopFailure) {  // as above: Artemis declares a bare Exception
            if (failure != null) {
                failure.addSuppressed(stopFailure);
            } else {
                LOG.warn("Artemis did not stop after a failed start", stopFailure);
            }
        }
    }

    /** @return the MQTT port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return "tcp://127.0.0.1:PORT" */
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Stops the broker and deletes its directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } catch (Exception e) {  // Artemis declares a bare Exception
            throw new IllegalStateException("Artemis on port " + port + " did not stop cleanly", e);
        } finally {
            BrokerSupport.deleteRecursively(directory);
        }
    }

    @Override
    public String toString() {
        return "Artemis[127.0.0.1:" + port + "]";
    }
}
