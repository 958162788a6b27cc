package io.pipit.bench.e2e;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * pipit beside Eclipse Paho v5 1.2.5 and the HiveMQ client 1.3.10 in one invocation, against one local mosquitto:
 * for each QoS (0, 1, 2) and payload (64 B, 1 KB), {@code --runs} rounds of throughput runs (raw pre-encoded
 * packets, then each client; one publisher → one subscriber, count and order verified), then one latency
 * run per client at a fixed rate. Writes {@code comparison.md} and {@code throughput.svg} into {@code --out}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.pipit.bench.e2e.Comparison --out bench/results
 * </pre>
 *
 * <p>Runs on the {@code main} thread only. Exit status 0 when every run was valid, 1 when some were not (the
 * tables say which), 2 for a bad command line.
 */
public final class Comparison {
    static final List<String> CLIENTS = List.of("raw", "pipit", "paho", "hivemq");

    private Comparison() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        ComparisonOptions options;
        try {
            options = ComparisonOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(ComparisonOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(ComparisonOptions.USAGE);
            return 0;
        }
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<ScenarioResult> results = new ArrayList<>();
        String brokerLine;
        try (LocalMosquitto mosquitto = LocalMosquitto.start(false)) {
            brokerLine = mosquitto.describe();
            for (int qos : options.qos()) {
                for (int payload : options.payloads()) {
                    results.addAll(scenario(options, mosquitto, qos, payload, out));
                }
            }
        }
        List<String> header = List.of("Command: `java -cp bench/target/benchmarks.jar io.pipit.bench.e2e.Comparison "
                        + String.join(" ", args) + "`",
                "Started " + started + ", finished " + Instant.now().truncatedTo(ChronoUnit.SECONDS),
                String.format(Locale.ROOT, "Machine: %d processors, %s %s (%s), %s %s",
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                        System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"),
                        System.getProperty("os.name"), System.getProperty("os.version")),
                "Broker: " + brokerLine,
                String.format(Locale.ROOT, "Throughput: %,d measured messages after %,d warm-up per run, %d rounds;"
                        + " latency: %,d messages at %,d msg/s after as many warm-up", options.messages(),
                        options.warmup(), options.runs(), options.latencyMessages(), options.rate()),
                "Each client publishes from the `main` thread; peers get a fresh copy of the payload array per "
                        + "message (they keep a reference until it is written), pipit copies it into its queue");
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("comparison.md"),
                ComparisonReport.markdown(header, results, Footprint.measure(CLIENTS)), StandardCharsets.UTF_8);
        Files.writeString(options.out().resolve("throughput.svg"), ComparisonReport.chart(
                "End-to-end msg/s through mosquitto (median, min–max whiskers)", CLIENTS, results),
                StandardCharsets.UTF_8);
        out.println("wrote " + options.out().resolve("comparison.md") + " and throughput.svg");
        return results.stream().anyMatch(r -> r.invalidRuns() > 0) ? 1 : 0;
    }

    private static List<ScenarioResult> scenario(ComparisonOptions options, LocalMosquitto mosquitto, int qos,
            int payload, PrintStream out) throws Exception {
        List<ScenarioResult> results = new ArrayList<>();
        for (String client : CLIENTS) {
            results.add(new ScenarioResult(client, qos, payload));
        }
        BenchOptions bench = BenchOptions.parse("--qos", String.valueOf(qos), "--payload", String.valueOf(payload),
                "--messages", String.valueOf(options.messages()), "--warmup", String.valueOf(options.warmup()),
                "--timeout-s", "120");
        for (int round = 1; round <= options.runs(); round++) {
            for (ScenarioResult result : results) {
                double load = loadAverage();
                long drops = mosquitto.dropNotices();
                try {
                    RunResult run = "raw".equals(result.client())
                            ? new RawRun(bench, mosquitto.uri(), mosquitto::cpuNanos).run()
                            : new PairRun(pair(result.client()), bench, mosquitto::cpuNanos).run(mosquitto.uri());
                    result.add(run, load);
                    result.brokerDrops(mosquitto.dropNotices() - drops);
                    out.printf(Locale.ROOT, "QoS %d %4d B %-6s run %d: %,9.0f msg/s, lost %d, reordered %d,"
                            + " %,.1f B/msg, load %.2f%n", qos, payload, result.client(), round,
                            run.messagesPerSecond(), run.lost(), run.reordered(), run.allThreadsBytesPerMessage(),
                            load);
                } catch (Exception e) { // one failing client must not lose the others' figures
                    result.failed();
                    out.printf(Locale.ROOT, "QoS %d %4d B %-6s run %d FAILED: %s%n", qos, payload, result.client(),
                            round, e);
                }
            }
        }
        for (ScenarioResult result : results) {
            if (!"raw".equals(result.client())) {
                latency(options, mosquitto, result, out);
            }
        }
        return results;
    }

    private static void latency(ComparisonOptions options, LocalMosquitto mosquitto, ScenarioResult result,
            PrintStream out) {
        try {
            long[] sorted = new LatencyRun(pair(result.client()), result.qos(), result.payload(), options.rate(),
                    options.latencyMessages()).run(mosquitto.uri(), TimeUnit.SECONDS.toNanos(10));
            result.latency(sorted, options.latencyMessages());
            out.printf(Locale.ROOT, "QoS %d %4d B %-6s latency p50 %,d µs, p99 %,d µs %s%n", result.qos(),
                    result.payload(), result.client(), result.p50Ns() / 1000, result.p99Ns() / 1000,
                    result.latencyNote());
        } catch (Exception e) { // reported in the table, the other clients still run
            result.latencyFailed("failed: " + e);
            out.printf(Locale.ROOT, "QoS %d %4d B %-6s latency FAILED: %s%n", result.qos(), result.payload(),
                    result.client(), e);
        }
    }

    static ClientPair pair(String client) {
        Supplier<ClientPair> factory = switch (client) {
            case "pipit" -> PipitPair::new;
            case "paho" -> PahoPair::new;
            case "hivemq" -> HiveMqPair::new;
            default -> throw new IllegalArgumentException("no client pair for '" + client + "'");
        };
        return factory.get();
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
