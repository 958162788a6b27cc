package io.pipit.bench.scale;

import io.pipit.bench.e2e.LocalMosquitto;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The scale test: one local mosquitto, then for each client library a child JVM with the same heap budget
 * ({@code --heap}) that connects {@code --devices} devices and lets each publish QoS 1 telemetry (see
 * {@link ScaleRun}); pipit's devices share one {@code EventLoop}. Writes {@code scale.md},
 * {@code scale-connected.svg} and {@code scale-heap.svg}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.pipit.bench.scale.ScaleTest --out bench/results
 * </pre>
 *
 * <p>Needs an open-file limit above the device count (each device is a socket here and in mosquitto, which
 * inherits the limit): it checks {@code ulimit -n} first and says what to raise. Runs on the {@code main} thread.
 * Exit status 0 when pipit connected every device and every publish was acknowledged, 1 otherwise, 2 for a bad
 * command line or a limit too low.
 */
public final class ScaleTest {
    /** The line prefix a child prints its figures on, tab-separated {@code key=value} pairs. */
    static final String RESULT_PREFIX = "SCALE\t";

    private ScaleTest() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        ScaleOptions options;
        try {
            options = ScaleOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(ScaleOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(ScaleOptions.USAGE);
            return 0;
        }
        if (options.child() != null) {
            return child(options, out);
        }
        String limitProblem = fileLimitProblem(options.devices());
        if (limitProblem != null) {
            err.println(limitProblem);
            return 2;
        }
        return parent(options, args, out);
    }

    /** @return null when this process may open enough files for the fleet, else what to do about it */
    static String fileLimitProblem(int devices) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean)) {
            return null; // not a Unix JVM: nothing to check, a connect failure will say it
        }
        long limit = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        long needed = devices + 1_024L;
        return limit >= needed ? null : "the open-file limit (ulimit -n) is " + limit + "; " + devices
                + " devices need at least " + needed + ": run `ulimit -n " + needed + "` (as root, or raise the"
                + " hard limit in /etc/security/limits.conf) and start again";
    }

    private static int child(ScaleOptions options, PrintStream out) throws Exception {
        URI broker = URI.create("mqtt://" + options.broker());
        java.util.function.IntFunction<Fleet> factory = switch (options.child()) {
            case "pipit" -> PipitFleet::new;
            case "paho" -> PahoFleet::new;
            default -> HiveMqFleet::new;
        };
        Map<String, String> result = new ScaleRun(factory, options).run(broker.getHost(), broker.getPort());
        StringBuilder line = new StringBuilder(RESULT_PREFIX.trim());
        result.forEach((key, value) -> line.append('\t').append(key).append('=').append(value.replace('\t', ' ')));
        out.println(line);
        out.flush();
        Runtime.getRuntime().halt(0); // thousands of orderly disconnects would only measure shutdown
        return 0;
    }

    private static int parent(ScaleOptions options, String[] args, PrintStream out) throws Exception {
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<Map<String, String>> results = new ArrayList<>();
        String brokerLine;
        try (LocalMosquitto mosquitto = LocalMosquitto.start(false)) {
            brokerLine = mosquitto.describe();
            String hostPort = URI.create(mosquitto.uri()).getAuthority();
            for (String client : options.clients()) {
                double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                long brokerCpu = mosquitto.cpuNanos();
                long startNs = System.nanoTime();
                Map<String, String> result = runChild(options, client, hostPort, out);
                result.put("brokerCpuPct", String.format(Locale.ROOT, "%.1f", 100.0
                        * (mosquitto.cpuNanos() - brokerCpu) / (System.nanoTime() - startNs)));
                result.put("load", String.format(Locale.ROOT, "%.2f", load));
                results.add(result);
                out.println(client + ": " + result);
                TimeUnit.SECONDS.sleep(3); // let mosquitto drop the last fleet's connections
            }
        }
        List<String> header = List.of("Command: `java -cp bench/target/benchmarks.jar io.pipit.bench.scale.ScaleTest "
                + String.join(" ", args) + "`", "Started " + started + ", finished "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS), String.format(Locale.ROOT,
                "Machine: %d processors, %s %s, %s %s; open-file limit %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("os.name"), System.getProperty("os.version"), fileLimit()), "Broker: " + brokerLine,
                String.format(Locale.ROOT, "Each library in its own JVM with -Xmx%s; up to %,d devices, connect budget"
                        + " %d s, thread cap %,d; then QoS 1, %d B every %d s per device for %d s", options.heap(),
                        options.devices(), options.connectBudgetS(), options.maxThreads(), options.payload(),
                        options.intervalS(), options.measureS()));
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("scale.md"), ScaleReport.markdown(header, results),
                StandardCharsets.UTF_8);
        Files.writeString(options.out().resolve("scale-connected.svg"), ScaleReport.chart(results,
                "Devices connected within the heap, time and thread budget", "devices", "connected", 1),
                StandardCharsets.UTF_8);
        Files.writeString(options.out().resolve("scale-heap.svg"), ScaleReport.chart(results,
                "Heap per connected device after a full GC", "KB per device", "heapPerClientB", 1024),
                StandardCharsets.UTF_8);
        out.println("wrote " + options.out().resolve("scale.md") + ", scale-connected.svg and scale-heap.svg");
        return ScaleReport.pipitMetTheTarget(results, options.devices()) ? 0 : 1;
    }

    private static Map<String, String> runChild(ScaleOptions options, String client, String hostPort,
            PrintStream out) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + options.heap(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), ScaleTest.class.getName()));
        command.addAll(options.childArgs(client, hostPort));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> result = null;
        List<String> tail = new ArrayList<>();
        try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(RESULT_PREFIX)) {
                    result = parseResult(line);
                } else if (tail.size() < 20) {
                    tail.add(line);
                }
            }
        }
        int status = process.waitFor();
        if (result == null) {
            result = new LinkedHashMap<>(Map.of("client", client, "connected", "0", "stop", "child JVM exited with "
                    + status + " before reporting: " + String.join(" / ", tail)));
        }
        return result;
    }

    /** @return the {@code key=value} pairs of a child's result line, in order */
    static Map<String, String> parseResult(String line) {
        if (!line.startsWith(RESULT_PREFIX)) {
            throw new IllegalArgumentException("not a scale result line: " + line);
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String field : line.substring(RESULT_PREFIX.length()).split("\t")) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("scale result field without key=value: '" + field + "'");
            }
            pairs.put(field.substring(0, equals), field.substring(equals + 1));
        }
        return pairs;
    }

    private static String fileLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean
                unix ? String.valueOf(unix.getMaxFileDescriptorCount()) : "unknown";
    }
}
