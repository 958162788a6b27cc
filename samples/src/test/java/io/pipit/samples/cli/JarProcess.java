package io.pipit.samples.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A command run as a separate process: {@code java -jar samples/target/pipit.jar ...} (the jar the build just made,
 * never classes from the test class path), or mosquitto's own clients. Output goes to files, so a chatty process
 * never blocks on a full pipe. One per process; used by one test thread.
 */
final class JarProcess {
    private static final long TIMEOUT_SECONDS = 60;

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final String description;

    private JarProcess(List<String> command, Path directory) throws IOException {
        this.stdout = Files.createTempFile(directory, "out-", ".txt");
        this.stderr = Files.createTempFile(directory, "err-", ".txt");
        this.description = String.join(" ", command);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        isolate(builder.environment());
        this.process = builder.start();
    }

    /**
     * The child gets this JVM's environment less what would change its output. With JAVA_TOOL_OPTIONS,
     * JDK_JAVA_OPTIONS or _JAVA_OPTIONS set, every JVM says "Picked up ..." on stderr, where the tests expect
     * nothing or exactly one line. The locale is fixed: the JVM takes its default locale (decimal separator,
     * digits) and its encodings from LC_ALL/LANG, and the C library translates the system's error messages (the
     * "Connection refused" the tests look for: "Verbindungsaufbau abgelehnt" under de_DE.UTF-8) by LC_ALL/LANG and
     * LANGUAGE. C.UTF-8 keeps non-ASCII arguments and output intact; where it is missing, the C library falls back to
     * plain C, still English with a decimal point.
     */
    private static void isolate(Map<String, String> environment) {
        environment.keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "LANGUAGE"));
        environment.put("LC_ALL", "C.UTF-8");
        environment.put("LANG", "C.UTF-8");
    }

    /** Starts {@code pipit.jar} with {@code args}; the jar must exist (a missing jar fails, never skips). */
    static JarProcess pipit(Path directory, String... args) {
        Path jar = Paths.get(System.getProperty("pipit.jar", "target/pipit.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is missing: these tests run in `mvn verify`, after `package`");
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return start(command, directory);
    }

    /**
     * Starts one of mosquitto's command-line clients (package mosquitto-clients), found on the PATH as .ci/run looks
     * for it. Without it the test is skipped, or fails under {@code CI=true}, as the broker fixtures do.
     */
    static JarProcess mosquittoClient(Path directory, String tool, String... args) {
        Path executable = onPath(tool);
        if (executable == null) {
            String notice = tool + " not found on the PATH: install the Debian package 'mosquitto-clients' "
                    + "(.ci/run does)";
            if ("true".equals(System.getenv("CI"))) {
                fail(notice + " [CI=true: a missing tool is a failure, not a skip]");
            }
            Assumptions.abort(notice);
        }
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(args));
        return start(command, directory);
    }

    /** @return the first executable {@code tool} in a PATH entry, or null */
    static Path onPath(String tool) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                Path candidate = Paths.get(entry, tool);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static JarProcess start(List<String> command, Path directory) {
        try {
            return new JarProcess(command, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits (bounded) for the process to end; @return its exit code */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(description + " did not end within " + TIMEOUT_SECONDS + " s; stdout: " + stdout() + " stderr: "
                    + stderr());
        }
        return process.exitValue();
    }

    /** SIGKILL: the process ends with no chance to say goodbye (no DISCONNECT, no shutdown hook). */
    void kill() {
        process.destroyForcibly();
    }

    /** SIGTERM, as Ctrl-C or a service manager would: shutdown hooks run. */
    void terminate() {
        process.destroy();
    }

    /** @return what the process wrote to stdout so far */
    String stdout() {
        return read(stdout);
    }

    /** @return what the process wrote to stderr so far */
    String stderr() {
        return read(stderr);
    }

    @Override
    public String toString() {
        return description + "\n--- stdout:\n" + stdout() + "--- stderr:\n" + stderr();
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8); // lenient: payloads may be binary
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
