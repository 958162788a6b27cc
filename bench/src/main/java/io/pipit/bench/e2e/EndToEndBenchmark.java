package io.pipit.bench.e2e;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.LongSupplier;
import io.pipit.mqtt.transport.TlsOptions;

/**
 * End-to-end throughput through a real broker: a publisher and a subscriber in this JVM, publishing to one topic
 * as fast as the publisher accepts, timed from the first publish to the last message received. Prints msg/s,
 * messages lost, duplicated and reordered (every payload carries its sequence number), bytes allocated per message
 * on the publishing thread and the clients' threads, and the threads the clients started.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.pipit.bench.e2e.EndToEndBenchmark --qos 1 --messages 500000
 * </pre>
 *
 * <p>By default it starts its own mosquitto on a free loopback port ({@link LocalMosquitto}) and stops it at the
 * end; {@code --broker} points it at a running one instead. {@code --client raw} measures the raw-limit reference
 * ({@link RawRun}) instead of pipit; {@code --client paho|hivemq} runs a peer library the same way
 * ({@link PairRun}). Exit status: 0 when the run is valid, 1 when it is not (a timeout, a publish
 * error, a payload the benchmark did not send, or any QoS 1 message lost), 2 for a bad command line. QoS 0 loss
 * is reported, not failed: the broker may drop QoS 0 by design. Runs on the {@code main} thread only.
 */
public final class EndToEndBenchmark {
    /** The topic pipit and the raw packets use here (the peers use {@link ClientPair#TOPIC}). */
    static final String TOPIC = "bench/e2e";

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // before the first logger
        }
        System.exit(run(args, System.out, System.err));
    }

    /** @return the exit status described in the class doc */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(BenchOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(BenchOptions.USAGE);
            return 0;
        }
        LocalMosquitto mosquitto = options.broker() == null ? LocalMosquitto.start(options.tls() != null) : null;
        try {
            String uri = mosquitto == null ? options.broker() : mosquitto.uri();
            printHeader(out, options, uri, mosquitto);
            LongSupplier brokerCpuNs = mosquitto == null ? () -> -1 : mosquitto::cpuNanos;
            RawRun raw = "raw".equals(options.client()) ? new RawRun(options, uri, brokerCpuNs) : null;
            RunResult result = switch (options.client()) {
                case "raw" -> raw.run();
                case "pipit" -> new PairRun(new PipitPair("bench", TOPIC, tlsOptions(options, mosquitto),
                        options.maxInflight()), options, brokerCpuNs).run(uri);
                default -> new PairRun(Comparison.pair(options.client()), options, brokerCpuNs).run(uri);
            };
            result.print(out);
            if (raw != null && !raw.window().isEmpty()) {
                out.printf(Locale.ROOT, "  window       %s%n", raw.window());
            }
            if (mosquitto != null) {
                out.printf(Locale.ROOT, "  broker       %d notice(s) 'Outgoing messages are being dropped' in its"
                        + " log%n", mosquitto.dropNotices());
            }
            out.printf(Locale.ROOT, "  load         %.2f (1-minute load average at the end)%n", loadAverage());
            return verdict(result, err);
        } finally {
            if (mosquitto != null) {
                mosquitto.close();
            }
        }
    }

    /** @return TLS settings for --tls: trusting the local mosquitto's certificate, or the system store */
    private static TlsOptions tlsOptions(BenchOptions options, LocalMosquitto mosquitto) {
        if (options.tls() == null) {
            return null;
        }
        TlsOptions.Builder tls = TlsOptions.builder();
        if ("bc".equals(options.tls())) {
            tls.bouncyCastle();
        }
        if (mosquitto != null) {
            tls.trustPem(mosquitto.certificatePem());
        }
        return tls.build();
    }

    private static void printHeader(PrintStream out, BenchOptions options, String uri, LocalMosquitto mosquitto)
            throws Exception {
        out.printf(Locale.ROOT, "pipit end-to-end benchmark, %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS));
        out.printf(Locale.ROOT, "  client %s%s, QoS %d, payload %d B, topic %s, %,d messages after %,d warm-up%n",
                options.client(), options.tls() == null ? "" : " over TLS (" + options.tls() + ")", options.qos(), options.payload(), "pipit".equals(options.client()) || "raw".equals(options.client()) ? TOPIC : ClientPair.TOPIC, options.messages(),
                options.warmup());
        out.printf(Locale.ROOT, "  broker %s%s%n", uri, mosquitto == null ? " (given)" : ", " + mosquitto.describe());
        out.printf(Locale.ROOT, "  JVM %s %s (%s), %d processors, load average %.2f%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"), Runtime.getRuntime().availableProcessors(), loadAverage());
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static int verdict(RunResult result, PrintStream err) {
        StringBuilder problems = new StringBuilder();
        if (result.timedOut()) {
            problems.append(" timed out waiting for delivery;");
        }
        if (result.qos() > 0 && result.lost() > 0) {
            problems.append(" lost ").append(result.lost()).append(" QoS ").append(result.qos()).append(" messages;");
        }
        if (result.publishErrors() > 0) {
            problems.append(' ').append(result.publishErrors()).append(" publishes completed with an error;");
        }
        if (result.unexpected() > 0) {
            problems.append(' ').append(result.unexpected()).append(" payloads the benchmark did not send;");
        }
        if (problems.length() == 0) {
            return 0;
        }
        err.println("INVALID RUN:" + problems);
        return 1;
    }
}
