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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real mosquitto broker as a child process on a free loopback port, for integration tests.
 *
 * <p>Use: {@code try (MosquittoBroker broker = MosquittoBroker.startOrSkip()) { ... broker.port() ... }}, or
 * start it in {@code @BeforeEach} and close it in {@code @AfterEach}. It starts in well under a second, so a
 * fresh broker per test is cheap and keeps tests independent. When no {@code mosquitto} binary is on the PATH
 * or at {@code /usr/sbin/mosquitto}, {@link #startOrSkip} aborts the test (JUnit reports it skipped, with a
 * notice) — except when the environment variable {@code CI} is {@code "true"}, where it fails the test, so CI
 * can never pass by silently skipping every broker test.
 *
 * <p>Each broker gets its own directory (config, log, persistence) under {@code target/mosquitto/} when the
 * working directory has a {@code target} folder (as under Maven), else under the system temp directory. The
 * directory is kept after {@link #close} so a failed test's broker log can be read; {@link #log} returns it for
 * assertion messages. With {@link Builder#persistence} on, {@link #restart} brings the broker back on the same
 * port with its sessions and queued messages: after {@link #stop} all of them, after {@link #kill} those of the
 * last save ({@link #awaitSave}).
 *
 * <pre>{@code
 * try (MosquittoBroker broker = MosquittoBroker.builder().persistence(true).config("max_keepalive 30")
 *         .startOrSkip()) {
 *     // ... QoS 1 traffic, then broker.awaitSave(); broker.kill(); broker.restart(); ...
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> the lifecycle methods ({@link #stop}, {@link #kill}, {@link #restart}, {@link #close})
 * and {@link #port} are synchronized, the rest reads immutable state or files: a test may stop or kill the
 * broker from any thread.
 */
public final class MosquittoBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MosquittoBroker.class);
    /** What mosquitto logs when it has bound its listeners and serves. */
    private static final String RUNNING = " running\n";
    private static final long START_TIMEOUT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 5_000;
    private static final int START_ATTEMPTS = 3;
    /** What mosquitto logs (at "information") each time it starts writing mosquitto.db. */
    private static final String SAVE_LINE = "Saving in-memory database";

    private final Path executable;
    private final Path directory;
    private final Path configFile;
    private final Path logFile;
    /** stdout and stderr: what mosquitto says before its log file is open (config errors, bind failures). */
    private final Path outputFile;
    private final boolean persistence;
    private final int autosaveIntervalSeconds;
    private final List<String> extraConfigLines;
    private int port;
    private Process process;

    private MosquittoBroker(Path executable, Path directory, Builder options) {
        this.executable = executable;
        this.directory = directory;
        this.configFile = directory.resolve("mosquitto.conf");
        this.logFile = directory.resolve("mosquitto.log");
        this.outputFile = directory.resolve("mosquitto.out");
        this.persistence = options.persistence;
        this.autosaveIntervalSeconds = options.autosaveIntervalSeconds;
        this.extraConfigLines = new ArrayList<>(options.extraConfigLines);  // the builder may be reused
    }

    /** @return a running broker with the defaults (no persistence), or the test aborted/failed as described */
    public static MosquittoBroker startOrSkip() {
        return builder().startOrSkip();
    }

    /** @return options for a broker that a test wants to configure (persistence, extra config lines) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the mosquitto binary from the PATH or /usr/sbin, or null when neither has one */
    public static Path findExecutable() {
        final String path = System.getenv("PATH");
        final List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Paths.get(entry, "mosquitto"));
                }
            }
        }
        candidates.add(Paths.get("/usr/sbin/mosquitto"));  // Debian's location, not on a non-root PATH
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** @return the loopback port the broker listens on; stays the same across {@link #restart} */
    public synchronized int port() {
        return port;
    }

    /** @return "127.0.0.1" (the broker listens on IPv4 loopback only) */
    public String host() {
        return "127.0.0.1";
    }

    /** @return "tcp://127.0.0.1:PORT", the form Paho and most clients take */
    public String uri() {
        return "tcp://" + host() + ":" + port();
    }

    /** @return true while the mosquitto process runs */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** @return the broker's own directory: config, log and persistence data */
    public Path directory() {
        return directory;
    }

    /** @return the whole broker log so far (all runs) and its console output, for assertion messages */
    public String log() {
        return read(logFile) + read(outputFile);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Waits (up to 10 s) until mosquitto has finished a save of its database that started after this call.
     * mosquitto is single-threaded, so a save that starts after this call holds every message it acknowledged
     * before: call it once the data a test needs was acknowledged (e.g. QoS 1 publish returned), then
     * {@link #kill}. mosquitto logs a save as it starts, so a kill right after that line can interrupt the write;
     * the save after it (one autosave interval later) proves the first one finished.
     *
     * @throws IllegalStateException when persistence is off or no save came in time
     */
    public void awaitSave() {
        if (!persistence) {
            throw new IllegalStateException("persistence is off for " + this + ": nothing is ever saved");
        }
        final int savesBefore = countOccurrences(read(logFile), SAVE_LINE);
        final long deadlineMs = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (countOccurrences(read(logFile), SAVE_LINE) <= savesBefore + 1) {
            if (System.currentTimeMillis() > deadlineMs) {
                throw new IllegalStateException("no database save within " + START_TIMEOUT_MS + " ms; log:\n" + log());
            }
            BrokerSupport.sleepMillis(20, "mosquitto");
        }
    }

    private static int countOccurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    /** Stops gracefully (SIGTERM, which also makes mosquitto write its persistence file) and waits for exit. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            awaitExit(process);
            process = null;
        }
    }

    /** Kills at once (SIGKILL): no persistence flush, no DISCONNECT, sockets reset by the kernel. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(process);
            process = null;
        }
    }

    /** Stops the broker if it runs, then starts it again on the same port and directory (same data). */
    public synchronized void restart() {
        stop();
        launch(1);
    }

    /** Stops the broker; idempotent. The directory stays for post-mortems (see the class doc). */
    @Override
    public synchronized void close() {
        stop();
    }

    @Override
    public String toString() {
        return "mosquitto[" + host() + ":" + port + ", " + directory + "]";
    }

    /** Starts on a fresh free port, retrying when another process took the port between probe and bind. */
    private void start() {
        for (int attempt = 1; ; attempt++) {
            port = BrokerSupport.freeLoopbackPort();
            try {
                writeConfig();
                launch(attempt);
                return;
            } catch (IllegalStateException e) {
                if (attempt >= START_ATTEMPTS || log().indexOf("Address already in use") < 0) {
                    throw e;
                }
                LOG.warn("mosquitto lost port {} to another process; retrying on a new port", port, e);
            }
        }
    }

    private void writeConfig() {
        final StringBuilder config = new StringBuilder()
                .append("# generated by ").append(MosquittoBroker.class.getName()).append('\n')
                .append("listener ").append(port).append(" 127.0.0.1\n")
                .append("allow_anonymous true\n")
                // Root would otherwise drop to user "mosquitto", which cannot write this test's directory;
                // for any other user the option is ignored.
                .append("user ").append(System.getProperty("user.name")).append('\n')
                // A file, not stdout: mosquitto flushes its log file per line, while a redirected stdout is
                // block-buffered and loses its tail on SIGKILL.
                .append("log_dest file ").append(logFile.toAbsolutePath()).append('\n')
                .append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n")
                .append("log_type subscribe\nlog_type unsubscribe\n")
                .append("connection_messages true\n")
                // mosquitto's default (1,000) silently drops QoS 1/2 messages queued for a subscriber that lags,
                // which on a loaded machine looks exactly like a client losing messages; tests want no limit
                .append("max_queued_messages 0\n")
                .append("log_timestamp_format %H:%M:%S\n");
        if (persistence) {
            config.append("persistence true\n")
                    .append("persistence_location ").append(directory.toAbsolutePath()).append("/\n")
                    .append("autosave_interval ").append(autosaveIntervalSeconds).append('\n');
        } else {
            config.append("persistence false\n");
        }
        for (String line : extraConfigLines) {
            config.append(line).append('\n');
        }
        try {
            Files.write(configFile, config.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
    }

    private void launch(int attempt) {
        final ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-c", configFile.toString())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
        // mosquitto logs "mosquitto version X running" once every listener is bound; until this launch's line is
        // there, a connection that succeeds could be another process's, on a port taken since it was probed
        final int runningBefore = countOccurrences(log(), RUNNING);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable, e);
        }
        final long deadlineMs = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (countOccurrences(log(), RUNNING) <= runningBefore || !acceptsConnections()) {
            if (!process.isAlive()) {
                process = null;
                throw new IllegalStateException("mosquitto exited during start (attempt " + attempt + "); log:\n"
                        + log());
            }
            if (System.currentTimeMillis() > deadlineMs) {
                kill();
                throw new IllegalStateException("mosquitto did not accept on port " + port + " within "
                        + START_TIMEOUT_MS + " ms; log:\n" + log());
            }
            BrokerSupport.sleepMillis(20, "mosquitto");
        }
        LOG.debug("mosquitto started on port {} in {}", port, directory);
    }

    private boolean acceptsConnections() {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(host(), port), 200);
            return true;
        } catch (IOException notYet) {
            LOG.trace("mosquitto not yet accepting on port {}: {}", port, notYet.toString());
            return false;
        }
    }

    private void awaitExit(Process running) {
        try {
            if (!running.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("mosquitto on port {} ignored SIGTERM for {} ms; killing it", port, STOP_TIMEOUT_MS);
                running.destroyForcibly().waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();  // keep the interrupt for the test runner
            throw new IllegalStateException("interrupted while stopping mosquitto on port " + port, e);
        }
    }

    /**
     * Ends the current test for a missing broker: aborted (reported as skipped) locally, failed when
     * {@code ciVariable} is "true", so CI never passes by skipping. Always throws.
     */
    static void skipOrFail(String notice, String ciVariable) {
        if ("true".equals(ciVariable)) {
            Assertions.fail(notice + " [CI=true: a missing broker is a failure, not a skip]");
        }
        LOG.warn("skipping: {}", notice);
        Assumptions.abort(notice);
    }

    /** Options for {@link MosquittoBroker}; not thread-safe, build on one thread. */
    public static final class Builder {
        private boolean persistence;
        private int autosaveIntervalSeconds = 1;
        private final List<String> extraConfigLines = new ArrayList<>();

        private Builder() {
        }

        /**
         * Keeps sessions, subscriptions, retained and queued messages in {@code mosquitto.db}: written on
         * {@link #stop} (SIGTERM) and every {@link #autosaveIntervalSeconds} seconds, so after {@link #kill} and
         * {@link #restart} the broker has what the last save held. Before a kill, {@link #awaitSave} makes sure
         * the data the test needs is in it. Two mosquitto 2.0.11 habits to know: it saves a session only when
         * the CONNECT that made it had Clean Start 0 (Clean Start 1 plus a Session Expiry survives a reconnect
         * but not a restart), and {@code autosave_on_changes} (not offered here) does not count messages queued
         * for offline clients as changes.
         */
        public Builder persistence(boolean enabled) {
            this.persistence = enabled;
            return this;
        }

        /** How often mosquitto saves its database while running; default 1 s, so a test waits little. */
        public Builder autosaveIntervalSeconds(int seconds) {
            if (seconds < 1) {
                throw new IllegalArgumentException("autosave interval must be >= 1 s but was " + seconds);
            }
            this.autosaveIntervalSeconds = seconds;
            return this;
        }

        /** Adds a raw mosquitto.conf line, e.g. {@code "max_keepalive 10"} or {@code "max_inflight_messages 2"}. */
        public Builder config(String line) {
            extraConfigLines.add(line);
            return this;
        }

        /** @return a running broker, or the test aborted (locally) or failed (under CI=true) without mosquitto */
        public MosquittoBroker startOrSkip() {
            final Path executable = findExecutable();
            if (executable == null) {
                skipOrFail("mosquitto not found on PATH or at /usr/sbin/mosquitto: install the Debian package "
                        + "'mosquitto' (.ci/run does) to run this broker test", System.getenv("CI"));
            }
            final MosquittoBroker broker =
                    new MosquittoBroker(executable, BrokerSupport.newBrokerDirectory("mosquitto"), this);
            broker.start();
            return broker;
        }
    }
}
