package io.pipit.mqtt.testing;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HiveMQ Community Edition embedded in the test JVM: MQTT 5 and 3.1.1 over TCP on a free loopback port, and
 * MQTT over WebSocket on another port at path {@code /mqtt} (subprotocols {@code mqtt} and {@code mqttv3.1}),
 * with in-memory persistence and anonymous usage statistics off (no traffic leaves the machine).
 *
 * <p>It takes about 2 s to start and 4 s to stop, so tests share one: annotate the class with
 * {@code @ExtendWith(HiveMqBroker.Extension.class)} and take a {@code HiveMqBroker} parameter in a test,
 * {@code @BeforeAll} or constructor. The {@link Extension} starts one broker on first use and keeps it in JUnit's
 * root store, which closes it when the whole test run ends: every test class in the Surefire JVM gets the same
 * broker. Shared means shared state: use client ids and topics unique to the test (e.g. the test's name).
 * A test that must stop or reconfigure a broker calls {@link #start()} for a private one and closes it.
 *
 * <p>HiveMQ is built with {@code withoutLoggingBootstrap()}: its bootstrap would otherwise redirect
 * {@code java.util.logging} and install logback filters JVM-wide. Its log levels come from
 * {@code src/test/resources/logback-test.xml}.
 *
 * <p><b>Thread-safety:</b> immutable once started except for {@link #close}, which is idempotent and
 * synchronized; the accessors are safe from any thread.
 */
public final class HiveMqBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HiveMqBroker.class);
    private static final long START_TIMEOUT_S = 60;
    private static final long STOP_TIMEOUT_S = 60;
    private static final int START_ATTEMPTS = 3;
    private static final String WEBSOCKET_PATH = "/mqtt";

    private final EmbeddedHiveMQ hivemq;
    private final Path directory;
    private final int port;
    private final int websocketPort;
    private int tlsPort;
    private int tlsWebsocketPort;
    private boolean closed;

    private HiveMqBroker(EmbeddedHiveMQ hivemq, Path directory, int port, int websocketPort) {
        this.hivemq = hivemq;
        this.directory = directory;
        this.port = port;
        this.websocketPort = websocketPort;
    }

    /**
     * Starts a private broker (about 2 s; {@link #close} takes about 4 s). Prefer the shared one through
     * {@link Extension} unless the test stops the broker or needs it empty.
     */
    public static HiveMqBroker start() {
        return start(null, null);
    }

    /**
     * Starts a private broker that also serves MQTT over TLS on {@link #tlsPort()}, with the one key entry of
     * this PKCS#12 (or JKS) key store, whose store and key password is {@code password}.
     */
    public static HiveMqBroker startWithTls(Path keyStore, String password) {
        return start(keyStore, password);
    }

    private static HiveMqBroker start(Path keyStore, String password) {
        for (int attempt = 1; ; attempt++) {
            final int tcpPort = BrokerSupport.freeLoopbackPort();
            final int wsPort = BrokerSupport.freeLoopbackPort();
            final int tlsPort = keyStore == null ? 0 : BrokerSupport.freeLoopbackPort();
            final int wssPort = keyStore == null ? 0 : BrokerSupport.freeLoopbackPort();
            final Path directory = BrokerSupport.newBrokerDirectory("hivemq");
            try {
                final String tls = keyStore == null ? "" : "    <tls-tcp-listener>\n"
                        + "      <port>" + tlsPort + "</port>\n"
                        + "      <bind-address>127.0.0.1</bind-address>\n"
                        + "      <tls><keystore><path>" + keyStore.toAbsolutePath() + "</path><password>" + password
                        + "</password><private-key-password>" + password + "</private-key-password></keystore></tls>\n"
                        + "    </tls-tcp-listener>\n"
                        + "    <tls-websocket-listener>\n"
                        + "      <port>" + wssPort + "</port>\n"
                        + "      <bind-address>127.0.0.1</bind-address>\n"
                        + "      <path>" + WEBSOCKET_PATH + "</path>\n"
                        + "      <subprotocols><subprotocol>mqtt</subprotocol></subprotocols>\n"
                        + "      <tls><keystore><path>" + keyStore.toAbsolutePath() + "</path><password>" + password
                        + "</password><private-key-password>" + password + "</private-key-password></keystore></tls>\n"
                        + "    </tls-websocket-listener>\n";
                final HiveMqBroker broker = startOn(directory, tcpPort, wsPort, tls);
                broker.tlsPort = tlsPort;
                broker.tlsWebsocketPort = wssPort;
                // HiveMQ starts when any one listener binds and only logs the others' failures: a port taken
                // meanwhile would otherwise surface as a refused connection in some test much later
                for (int port : new int[] {tcpPort, wsPort, tlsPort, wssPort}) {
                    if (port != 0 && !listening(port)) {
                        broker.close();
                        throw new IllegalStateException("HiveMQ started without a listener on port " + port);
                    }
                }
                return broker;
            } catch (IllegalStateException e) {
                BrokerSupport.deleteRecursively(directory);
                if (attempt >= START_ATTEMPTS) {
                    throw e;
                }
                // The likely cause is a port taken between probe and bind by a concurrent test.
                LOG.warn("HiveMQ failed to start on ports {}/{} (attempt {}); retrying on new ports",
                        tcpPort, wsPort, attempt, e);
            }
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
            return true;
        } catch (IOException refused) {
            LOG.warn("HiveMQ listener on port {} does not answer: {}", port, refused.toString());
            return false;
        }
    }

    /** @return the MQTT-over-TCP port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return the MQTT-over-TLS port on 127.0.0.1 of a broker from {@link #startWithTls}, else 0 */
    public int tlsPort() {
        return tlsPort;
    }

    /** @return the MQTT-over-WebSocket-over-TLS port of a broker from {@link #startWithTls} (path /mqtt), else 0 */
    public int tlsWebsocketPort() {
        return tlsWebsocketPort;
    }

    /** @return the MQTT-over-WebSocket port on 127.0.0.1; the path is {@code /mqtt} */
    public int websocketPort() {
        return websocketPort;
    }

    /** @return "127.0.0.1" (both listeners bind IPv4 loopback only) */
    public String host() {
        return "127.0.0.1";
    }

    /** @return "tcp://127.0.0.1:PORT", the form Paho and most clients take */
    public String uri() {
        return "tcp://" + host() + ":" + port;
    }

    /** @return "ws://127.0.0.1:PORT/mqtt" */
    public String websocketUri() {
        return "ws://" + host() + ":" + websocketPort + WEBSOCKET_PATH;
    }

    /** Stops HiveMQ (about 4 s) and deletes its directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        final long startNs = System.nanoTime();
        try {
            hivemq.stop().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
            hivemq.close();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("HiveMQ on port " + port + " did not stop cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping HiveMQ on port " + port, e);
        } finally {
            BrokerSupport.deleteRecursively(directory);
        }
        LOG.info("HiveMQ CE on port {} stopped in {} ms", port, (System.nanoTime() - startNs) / 1_000_000);
    }

    @Override
    public String toString() {
        return "HiveMQ CE[" + host() + ":" + port + ", ws " + websocketPort + "]";
    }

    private static HiveMqBroker startOn(Path directory, int tcpPort, int wsPort, String extraListeners) {
        final Path config = directory.resolve("conf");
        final Path data = directory.resolve("data");
        final Path extensions = directory.resolve("extensions");
        try {
            Files.createDirectories(config);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Files.write(config.resolve("config.xml"), configXml(tcpPort, wsPort, extraListeners).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare HiveMQ's folders in " + directory, e);
        }
        final EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(config)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withoutLoggingBootstrap()
                .build();
        final long startNs = System.nanoTime();
        try {
            hivemq.start().get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            closeAfterFailedStart(hivemq, e);
            throw new IllegalStateException("HiveMQ did not start on ports " + tcpPort + "/" + wsPort, e);
        } catch (InterruptedException e) {
            closeAfterFailedStart(hivemq, e);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting HiveMQ", e);
        }
        LOG.info("HiveMQ CE started on port {} (ws {}) in {} ms", tcpPort, wsPort,
                (System.nanoTime() - startNs) / 1_000_000);
        return new HiveMqBroker(hivemq, directory, tcpPort, wsPort);
    }

    private static String configXml(int tcpPort, int wsPort, String extraListeners) {
        return "<?xml version=\"1.0\"?>\n"
                + "<hivemq>\n"
                + "  <listeners>\n"
                + "    <tcp-listener>\n"
                + "      <port>" + tcpPort + "</port>\n"
                + "      <bind-address>127.0.0.1</bind-address>\n"
                + "    </tcp-listener>\n"
                + "    <websocket-listener>\n"
                + "      <port>" + wsPort + "</port>\n"
                + "      <bind-address>127.0.0.1</bind-address>\n"
                + "      <path>" + WEBSOCKET_PATH + "</path>\n"
                + "      <name>websocket</name>\n"
                + "      <subprotocols>\n"
                + "        <subprotocol>mqttv3.1</subprotocol>\n"
                + "        <subprotocol>mqtt</subprotocol>\n"
                + "      </subprotocols>\n"
                + "      <allow-extensions>true</allow-extensions>\n"
                + "    </websocket-listener>\n"
                + extraListeners
                + "  </listeners>\n"
                + "  <persistence>\n"
                + "    <mode>in-memory</mode>\n"
                + "  </persistence>\n"
                + "  <anonymous-usage-statistics>\n"
                + "    <enabled>false</enabled>\n"
                + "  </anonymous-usage-statistics>\n"
                + "</hivemq>\n";
    }

    /** The start failure is what the test needs to see; a failure to clean up rides along, suppressed. */
    private static void closeAfterFailedStart(EmbeddedHiveMQ hivemq, Exception failure) {
        try {
            hivemq.close();
        } catch (InterruptedException closeFailure) {
            failure.addSuppressed(closeFailure);
            Thread.currentThread().interrupt();  // the caller throws; keep the interrupt for the test runner
        } catch (ExecutionException | RuntimeException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    /**
     * JUnit 5 extension resolving {@link HiveMqBroker} parameters to one broker shared by the whole test run:
     * started on first use, kept in the root {@link ExtensionContext.Store} (which closes stored
     * {@link AutoCloseable}s when the run ends). Tests must not close the broker they are given. Thread-safe:
     * JUnit's store computes the value once.
     */
    public static final class Extension implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE =
                ExtensionContext.Namespace.create(HiveMqBroker.class);

        /** Instantiated by JUnit through {@code @ExtendWith}. */
        public Extension() {
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == HiveMqBroker.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return shared(context);
        }

        /** @return the run's shared broker, starting it on first call */
        public static HiveMqBroker shared(ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(HiveMqBroker.class, key -> start(), HiveMqBroker.class);
        }
    }
}
