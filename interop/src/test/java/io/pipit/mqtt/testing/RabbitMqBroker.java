package io.pipit.mqtt.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private RabbitMQ node (Debian package {@code rabbitmq-server}) with the {@code rabbitmq_mqtt} plugin, as a
 * child process: MQTT 3.1.1 on a free loopback port, AMQP and Erlang distribution on other free ports, and its
 * own {@code epmd} on a free port too, so it never meets a system node or a system epmd and leaves nothing
 * running after {@link #close}. Everything it writes (Mnesia, logs, Erlang cookie) stays in its directory
 * under {@code target/rabbitmq/}. It takes several seconds to start and about one to stop: share one per
 * test class.
 *
 * <p>Without the package installed, {@link #startOrSkip} aborts the test (skipped, with a notice), or fails
 * it when the environment variable {@code CI} is {@code "true"}.
 *
 * <p><b>Thread-safety:</b> {@link #close} is synchronized and idempotent; the accessors are immutable.
 */
public final class RabbitMqBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqBroker.class);
    /** Debian's node script; /usr/sbin/rabbitmq-server would switch to user "rabbitmq" and drop our environment. */
    private static final Path SERVER = Paths.get("/usr/lib/rabbitmq/bin/rabbitmq-server");
    private static final Path CTL = Paths.get("/usr/lib/rabbitmq/bin/rabbitmqctl");
    private static final long START_TIMEOUT_MS = 90_000;
    private static final long STOP_TIMEOUT_MS = 30_000;
    private static final int START_ATTEMPTS = 3;

    private final Path directory;
    private final int port;
    private final int epmdPort;
    private final int distributionPort;
    private final String nodeName;
    private final Process process;
    private boolean closed;

    private RabbitMqBroker(Path directory, int port, int epmdPort, int distributionPort, String nodeName) {
        this.directory = directory;
        this.port = port;
        this.epmdPort = epmdPort;
        this.distributionPort = distributionPort;
        this.nodeName = nodeName;
        this.process = launch();
    }

    /** @return a running node, or the test aborted (locally) or failed (under CI=true) without the package */
    public static RabbitMqBroker startOrSkip() {
        if (!Files.isExecutable(SERVER) || !Files.isExecutable(CTL)) {
            MosquittoBroker.skipOrFail(SERVER + " not found: install the Debian package 'rabbitmq-server' "
                    + "(.ci/run does) to run this broker test", System.getenv("CI"));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce();
            } catch (IllegalStateException e) {
                // The node binds its four ports seconds after they were probed: one may have been taken meanwhile.
                // A failed node stopped itself and its epmd (awaitListener): start afresh on new ports.
                if (attempt >= START_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("RabbitMQ failed to start (attempt {}); retrying on new ports", attempt, e);
            }
        }
    }

    private static RabbitMqBroker startOnce() {
        final Path directory = BrokerSupport.newBrokerDirectory("rabbitmq");
        final int port = BrokerSupport.freeLoopbackPort();
        writeFiles(directory, port);
        final long startNs = System.nanoTime();
        final RabbitMqBroker broker = new RabbitMqBroker(directory, port, BrokerSupport.freeLoopbackPort(),
                BrokerSupport.freeLoopbackPort(), "pipit-" + port + "@localhost");
        broker.awaitListener();
        LOG.info("RabbitMQ node {} started on port {} in {} ms", broker.nodeName, port,
                (System.nanoTime() - startNs) / 1_000_000);
        return broker;
    }

    private Process launch() {
        final ProcessBuilder builder = new ProcessBuilder(SERVER.toString())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("rabbitmq.out").toFile()));
        environment(builder.environment());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + SERVER, e);
        }
    }

    private static void writeFiles(Path directory, int mqttPort) {
        final String config = "listeners.tcp.default = 127.0.0.1:" + BrokerSupport.freeLoopbackPort() + "\n"
                + "mqtt.listeners.tcp.default = 127.0.0.1:" + mqttPort + "\n"
                + "mqtt.allow_anonymous = true\n"
                + "log.console = false\n"
                + "log.file.level = info\n";
        try {
            Files.write(directory.resolve("rabbitmq.conf"), config.getBytes(StandardCharsets.UTF_8));
            Files.write(directory.resolve("enabled_plugins"), "[rabbitmq_mqtt].\n".getBytes(StandardCharsets.UTF_8));
            // an empty env file, so /etc/rabbitmq/rabbitmq-env.conf cannot change the node's name or ports
            Files.write(directory.resolve("rabbitmq-env.conf"), new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write RabbitMQ's files in " + directory, e);
        }
    }

    private void environment(Map<String, String> env) {
        env.put("HOME", directory.toString());  // the Erlang cookie goes here, not into the user's home
        env.put("RABBITMQ_NODENAME", nodeName);
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distributionPort));
        env.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", directory.resolve("log").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ADVANCED_CONFIG_FILE", directory.resolve("advanced.config").toString());
        env.put("RABBITMQ_CONF_ENV_FILE", directory.resolve("rabbitmq-env.conf").toString());
    }

    private void awaitListener() {
        final long deadlineMs = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!acceptsConnections()) {
            if (!process.isAlive()) {
                close();  // its epmd may be up already
                throw new IllegalStateException("RabbitMQ exited during start; output:\n" + output());
            }
            if (System.currentTimeMillis() > deadlineMs) {
                close();
                throw new IllegalStateException("RabbitMQ did not accept MQTT on port " + port + " within "
                        + START_TIMEOUT_MS + " ms; output:\n" + output());
            }
            BrokerSupport.sleepMillis(100, "RabbitMQ");
        }
    }

    private boolean acceptsConnections() {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            LOG.trace("RabbitMQ not yet accepting on port {}: {}", port, notYet.toString());
            return false;
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

    /** @return what the node printed, and its log, for failure messages */
    public String output() {
        final StringBuilder text = new StringBuilder();
        for (Path file : Arrays.asList(directory.resolve("rabbitmq.out"), directory.resolve("log/" + nodeName + ".log"))) {
            try {
                if (Files.exists(file)) {
                    text.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                text.append("(cannot read ").append(file).append(": ").append(e).append(")\n");
            }
        }
        return text.toString();
    }

    /** Stops the node with {@code rabbitmqctl stop}, waits for it to exit, then stops its private epmd. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            run(Arrays.asList(CTL.toString(), "-n", nodeName, "stop"));
            if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("RabbitMQ node {} still running {} ms after rabbitmqctl stop: killing it", nodeName,
                        STOP_TIMEOUT_MS);
                process.destroyForcibly().waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while stopping RabbitMQ node " + nodeName, e);
        } finally {
            stopEpmd();
        }
    }

    /** Our epmd was started for this node alone (its own port); it would otherwise outlive the test run. */
    private void stopEpmd() {
        try {
            run(Arrays.asList("epmd", "-port", Integer.toString(epmdPort), "-kill"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping epmd on port " + epmdPort, e);
        }
    }

    private void run(List<String> command) throws InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("rabbitmqctl.out").toFile()));
        environment(builder.environment());
        try {
            final Process child = builder.start();
            if (!child.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                child.destroyForcibly();
                LOG.warn("{} did not finish within {} ms", command, STOP_TIMEOUT_MS);
            } else if (child.exitValue() != 0) {
                LOG.warn("{} exited with {}; see {}", command, child.exitValue(),
                        directory.resolve("rabbitmqctl.out"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    @Override
    public String toString() {
        return "RabbitMQ[" + nodeName + ", 127.0.0.1:" + port + ", " + directory + File.separator + "]";
    }
}
