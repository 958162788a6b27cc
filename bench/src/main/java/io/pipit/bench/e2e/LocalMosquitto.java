package io.pipit.bench.e2e;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A mosquitto child process for one benchmark run: a generated config (one IPv4 loopback listener on a free
 * port, anonymous access, no persistence, every other setting at mosquitto's default; with TLS, a self-signed
 * EC certificate for 127.0.0.1 made by {@code openssl}), started from the PATH or
 * {@code /usr/sbin/mosquitto}, stopped (SIGTERM, then SIGKILL after 5 s) by {@link #close} or, should the JVM
 * exit first, by a shutdown hook. Its directory (config and log) is deleted on close.
 *
 * <p>Thread-safety: create and close on one thread; the getters read immutable state.
 */
public final class LocalMosquitto implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 5_000;
    /** What mosquitto logs (at notice) when a client's outgoing queue is full and it discards messages. */
    private static final String DROP_LINE = "Outgoing messages are being dropped";

    private final Path executable;
    private final Path directory;
    private final Path logFile;
    private final int port;
    private final boolean tls;
    private final Process process;
    private final Thread killer;

    private LocalMosquitto(Path executable, Path directory, int port, boolean tls, Process process) {
        this.executable = executable;
        this.directory = directory;
        this.logFile = directory.resolve("mosquitto.log");
        this.port = port;
        this.tls = tls;
        this.process = process;
        this.killer = new Thread(process::destroyForcibly, "mosquitto-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts mosquitto with the generated config, plaintext or TLS.
     *
     * @throws IllegalStateException when no mosquitto binary is found or it does not start listening in 10 s
     */
    public static LocalMosquitto start(boolean tls) throws IOException, InterruptedException {
        Path executable = findExecutable();
        Path directory = Files.createTempDirectory("pipit-e2e-mosquitto-");
        if (tls) {
            makeCertificate(directory);
        }
        for (int attempt = 1; ; attempt++) {
            int port = freeLoopbackPort();
            Path config = writeConfig(directory, port, tls);
            Process process = new ProcessBuilder(executable.toString(), "-c", config.toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("mosquitto.out").toFile())
                    .start();
            if (awaitListening(process, port)) {
                return new LocalMosquitto(executable, directory, port, tls, process);
            }
            String output = Files.readString(directory.resolve("mosquitto.out"), StandardCharsets.UTF_8);
            if (attempt == 3 || !output.contains("Address already in use")) {
                process.destroyForcibly();
                throw new IllegalStateException("mosquitto did not start listening on 127.0.0.1:" + port
                        + " (attempt " + attempt + "); its output:\n" + output);
            }
        }
    }

    private static Path findExecutable() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Paths.get(entry, "mosquitto"));
                }
            }
        }
        candidates.add(Paths.get("/usr/sbin/mosquitto"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no mosquitto on the PATH or at /usr/sbin/mosquitto: install the "
                + "'mosquitto' package, or pass --broker mqtt://host:port");
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** A self-signed EC P-256 certificate for IP 127.0.0.1 (server.crt, server.key), valid for a day. */
    private static void makeCertificate(Path directory) throws IOException, InterruptedException {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-keyout", "server.key", "-out", "server.crt")
                .directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("openssl.out").toFile()).start();
        if (!openssl.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS) || openssl.exitValue() != 0) {
            openssl.destroyForcibly();
            throw new IllegalStateException("openssl could not make the benchmark's TLS certificate: "
                    + Files.readString(directory.resolve("openssl.out"), StandardCharsets.UTF_8));
        }
    }

    private static Path writeConfig(Path directory, int port, boolean tls) throws IOException {
        // listener options: they must follow the listener line they configure
        String certificate = !tls ? "" : String.join("\n",
                "certfile " + directory.resolve("server.crt").toAbsolutePath(),
                "keyfile " + directory.resolve("server.key").toAbsolutePath(), "");
        String config = String.join("\n",
                "# generated by " + LocalMosquitto.class.getName(),
                "listener " + port + " 127.0.0.1",
                certificate + "allow_anonymous true",
                "persistence false",
                // mosquitto 2.0's default, spelled out for the scale test's thousands of connections
                "max_connections -1",
                // As root, mosquitto would switch to user "mosquitto", which cannot write this directory.
                "user " + System.getProperty("user.name"),
                "log_dest file " + directory.resolve("mosquitto.log").toAbsolutePath(),
                "log_type error",
                "log_type warning",
                "log_type notice",
                "");
        Path file = directory.resolve("mosquitto.conf");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    private static boolean awaitListening(Process process, int port) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(20); // not listening yet: try again until the deadline
            }
        }
        process.destroyForcibly();
        return false;
    }

    /**
     * @return CPU time (user + system) mosquitto used so far, from {@code /proc/<pid>/stat} in clock ticks of
     *     10 ms (Linux's USER_HZ of 100), or -1 when that file cannot be read; allocates (call it outside a
     *     measured window)
     */
    public long cpuNanos() {
        try {
            String stat = Files.readString(Paths.get("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields 3.. after "(comm)"
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L; // utime, stime
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot read mosquitto's CPU time: " + e);
            return -1;
        }
    }

    /** @return mqtt://127.0.0.1:PORT, or mqtts:// when it serves TLS */
    public String uri() {
        return (tls ? "mqtts" : "mqtt") + "://127.0.0.1:" + port;
    }

    /** @return the self-signed certificate of a TLS broker, for the clients to trust */
    String certificatePem() {
        try {
            return Files.readString(directory.resolve("server.crt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the TLS broker has no certificate file", e);
        }
    }

    /** @return the binary that runs, and its version line from {@code mosquitto -h} */
    public String describe() throws IOException, InterruptedException {
        Process help = new ProcessBuilder(executable.toString(), "-h").redirectErrorStream(true).start();
        String firstLine;
        try (Stream<String> lines = help.inputReader(StandardCharsets.UTF_8).lines()) {
            firstLine = lines.findFirst().orElse("(no output)");
        }
        help.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return executable + " (" + firstLine.trim() + ")";
    }

    /**
     * @return how many times mosquitto logged that it dropped outgoing messages for a client whose queue was
     *     full (it does so for QoS 0 once its outgoing queue is over {@code max_queued_messages})
     */
    long dropNotices() throws IOException {
        if (!Files.exists(logFile)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(DROP_LINE)).count();
        }
    }

    /** Stops mosquitto and deletes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        Runtime.getRuntime().removeShutdownHook(killer);
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
    }
}
