package io.pipit.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison's command line, parsed and checked once; immutable after {@link #parse}, so thread-safe.
 *
 * @see #USAGE
 */
final class ComparisonOptions {
    static final String USAGE = String.join("\n",
            "usage: java -cp bench/target/benchmarks.jar io.pipit.bench.e2e.Comparison [options]",
            "  --out DIR            where comparison.md and throughput.svg go (default bench/results)",
            "  --runs N             throughput rounds per scenario; the median is reported (default 3)",
            "  --messages N         measured messages per throughput run (default 100000)",
            "  --warmup N           warm-up messages per throughput run (default 50000)",
            "  --qos LIST           comma-separated QoS levels (default 0,1,2)",
            "  --payloads LIST      comma-separated payload sizes in bytes (default 64,1024)",
            "  --rate N             latency runs: messages per second (default 2000)",
            "  --latency-messages N latency runs: measured messages (default 4000)",
            "  --help               this text");

    private Path out = Path.of("bench/results");
    private int runs = 3;
    private int messages = 100_000;
    private int warmup = 50_000;
    private List<Integer> qos = List.of(0, 1, 2);
    private List<Integer> payloads = List.of(64, 1024);
    private int rate = 2_000;
    private int latencyMessages = 4_000;
    private boolean help;

    private ComparisonOptions() {
    }

    /** @throws IllegalArgumentException naming the option that is unknown, lacks a value or has a bad one */
    static ComparisonOptions parse(String... args) {
        ComparisonOptions options = new ComparisonOptions();
        OptionValues.walk(args, () -> options.help = true, options::set);
        return options;
    }

    private void set(String name, String value) {
        switch (name) {
            case "--out" -> out = Path.of(value);
            case "--runs" -> runs = OptionValues.number(name, value, 1, 99);
            case "--messages" -> messages = OptionValues.number(name, value, 1, 100_000_000);
            case "--warmup" -> warmup = OptionValues.number(name, value, 0, 100_000_000);
            case "--qos" -> qos = list(name, value, 0, 2);
            case "--payloads" -> payloads = list(name, value, Receipts.MIN_PAYLOAD, 64 * 1024);
            case "--rate" -> rate = OptionValues.number(name, value, 1, 1_000_000);
            case "--latency-messages" -> latencyMessages = OptionValues.number(name, value, 1, 10_000_000);
            default -> throw new IllegalArgumentException("unknown option '" + name + "'");
        }
    }

    private static List<Integer> list(String name, String value, int min, int max) {
        List<Integer> values = new ArrayList<>();
        for (String item : value.split(",")) {
            values.add(OptionValues.number(name, item.trim(), min, max));
        }
        return List.copyOf(values);
    }

    Path out() {
        return out;
    }

    int runs() {
        return runs;
    }

    int messages() {
        return messages;
    }

    int warmup() {
        return warmup;
    }

    List<Integer> qos() {
        return qos;
    }

    List<Integer> payloads() {
        return payloads;
    }

    int rate() {
        return rate;
    }

    int latencyMessages() {
        return latencyMessages;
    }

    boolean help() {
        return help;
    }
}
