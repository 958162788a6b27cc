package io.pipit.bench.scale;

import io.pipit.bench.e2e.OptionValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The scale test's command line, parsed and checked once; immutable after {@link #parse}, so thread-safe.
 *
 * @see #USAGE
 */
final class ScaleOptions {
    static final String USAGE = String.join("\n",
            "usage: java -cp bench/target/benchmarks.jar io.pipit.bench.scale.ScaleTest [options]",
            "  --devices N          devices per client library (default 10000)",
            "  --clients LIST       comma-separated: pipit, paho, hivemq (default all three)",
            "  --heap SIZE          -Xmx of each child JVM, the heap budget (default 512m)",
            "  --connect-budget-s S stop connecting after this long (default 120)",
            "  --max-threads N      stop connecting once the fleet started this many threads; protects the",
            "                       machine's process limit (default 2000)",
            "  --interval-s S       each device publishes QoS 1 every S seconds (default 5)",
            "  --measure-s S        length of the publishing phase (default 20)",
            "  --payload BYTES      telemetry payload size (default 64)",
            "  --out DIR            where scale.md and scale.svg go (default bench/results)",
            "  --help               this text");

    private int devices = 10_000;
    private List<String> clients = List.of("pipit", "paho", "hivemq");
    private String heap = "512m";
    private int connectBudgetS = 120;
    private int maxThreads = 2_000;
    private int intervalS = 5;
    private int measureS = 20;
    private int payload = 64;
    private Path out = Path.of("bench/results");
    private String child;
    private String broker;
    private boolean help;

    private ScaleOptions() {
    }

    /** @throws IllegalArgumentException naming the option that is unknown, lacks a value or has a bad one */
    static ScaleOptions parse(String... args) {
        ScaleOptions options = new ScaleOptions();
        OptionValues.walk(args, () -> options.help = true, options::set);
        return options;
    }

    private void set(String name, String value) {
        switch (name) {
            case "--devices" -> devices = OptionValues.number(name, value, 1, 1_000_000);
            case "--clients" -> clients = clientList(value);
            case "--heap" -> heap = heapSize(value);
            case "--connect-budget-s" -> connectBudgetS = OptionValues.number(name, value, 1, 3_600);
            case "--max-threads" -> maxThreads = OptionValues.number(name, value, 1, 100_000);
            case "--interval-s" -> intervalS = OptionValues.number(name, value, 1, 3_600);
            case "--measure-s" -> measureS = OptionValues.number(name, value, 1, 3_600);
            case "--payload" -> payload = OptionValues.number(name, value, 1, 64 * 1024);
            case "--out" -> out = Path.of(value);
            case "--child" -> child = clientList(value).get(0);
            case "--broker" -> broker = value;
            default -> throw new IllegalArgumentException("unknown option '" + name + "'");
        }
    }

    private static List<String> clientList(String value) {
        List<String> list = new ArrayList<>();
        for (String item : value.split(",")) {
            String client = item.trim();
            if (!List.of("pipit", "paho", "hivemq").contains(client)) {
                throw new IllegalArgumentException("--clients takes pipit, paho, hivemq: " + client);
            }
            list.add(client);
        }
        return List.copyOf(list);
    }

    private static String heapSize(String value) {
        if (!value.matches("[1-9][0-9]*[mMgG]")) {
            throw new IllegalArgumentException("--heap needs a size like 512m or 2g: " + value);
        }
        return value;
    }

    int devices() {
        return devices;
    }

    List<String> clients() {
        return clients;
    }

    String heap() {
        return heap;
    }

    int connectBudgetS() {
        return connectBudgetS;
    }

    int maxThreads() {
        return maxThreads;
    }

    int intervalS() {
        return intervalS;
    }

    int measureS() {
        return measureS;
    }

    int payload() {
        return payload;
    }

    Path out() {
        return out;
    }

    /** @return the client this JVM runs as a child of the scale test, or null in the parent */
    String child() {
        return child;
    }

    /** @return host:port of the broker, given to a child */
    String broker() {
        return broker;
    }

    boolean help() {
        return help;
    }

    /** @return the options a child JVM gets to run {@code client} against {@code broker} */
    List<String> childArgs(String client, String brokerHostPort) {
        return List.of("--child", client, "--broker", brokerHostPort, "--devices", String.valueOf(devices),
                "--connect-budget-s", String.valueOf(connectBudgetS), "--max-threads", String.valueOf(maxThreads),
                "--interval-s", String.valueOf(intervalS), "--measure-s", String.valueOf(measureS), "--payload",
                String.valueOf(payload));
    }
}
