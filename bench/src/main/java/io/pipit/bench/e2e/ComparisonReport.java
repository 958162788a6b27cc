package io.pipit.bench.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the comparison's results into the Markdown of {@code bench/results/comparison.md} and the SVG of
 * {@code bench/results/throughput.svg}. Pure functions of their arguments, so thread-safe.
 */
final class ComparisonReport {
    private ComparisonReport() {
    }

    /**
     * @param header lines about the run (command, machine, date), printed first as a list
     * @param footprint per client, the compressed bytes of its classes and its dependencies' in the jar
     */
    static String markdown(List<String> header, List<ScenarioResult> results, Map<String, Long> footprint) {
        StringBuilder md = new StringBuilder("# pipit beside Eclipse Paho and the HiveMQ client\n\n");
        for (String line : header) {
            md.append("- ").append(line).append('\n');
        }
        md.append("\n![throughput](throughput.svg)\n\n## Throughput, delivery, allocation\n\n");
        md.append("| QoS | payload | client | msg/s median | min | max | runs | % of raw | lost | duplicates |"
                + " reordered | broker drop notices | B/msg, all threads | threads for 2 clients |"
                + " load avg before runs | invalid runs |\n");
        md.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (ScenarioResult r : results) {
            md.append(row(r, rawMedian(results, r.qos(), r.payload()), maxThreads(results, r.client())));
        }
        md.append("\n## Publish→receive latency at a fixed rate\n\n"
                + "| QoS | payload | client | p50 µs | p99 µs | note |\n"
                + "|---:|---:|---|---:|---:|---|\n");
        for (ScenarioResult r : results) {
            if (!"raw".equals(r.client())) {
                md.append(String.format(Locale.ROOT, "| %d | %d B | %s | %s | %s | %s |%n", r.qos(), r.payload(),
                        r.client(), micros(r.p50Ns()), micros(r.p99Ns()), r.latencyNote()));
            }
        }
        md.append("\n## Threads started while each client pair connected (the run that started the most)\n\n");
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (ScenarioResult r : results) {
            if (r.threadNames().size() > names.getOrDefault(r.client(), List.of()).size()) {
                names.put(r.client(), r.threadNames());
            }
        }
        names.forEach((client, list) -> md.append("- ").append(client).append(": ").append(String.join(", ", list))
                .append('\n'));
        md.append("\n## Size: the client's classes and its dependencies' (compressed, as in the jar)\n\n"
                + "| client | bytes |\n|---|---:|\n");
        footprint.forEach((client, bytes) -> md.append(String.format(Locale.ROOT, "| %s | %,d |%n", client, bytes)));
        return md.toString();
    }

    /** @return the chart of median msg/s per scenario, one bar per client with its min–max whisker */
    static String chart(String title, List<String> clients, List<ScenarioResult> results) {
        Map<String, List<SvgChart.Bar>> groups = new LinkedHashMap<>();
        for (ScenarioResult r : results) {
            groups.computeIfAbsent("QoS " + r.qos() + " · " + r.payload() + " B", k -> new ArrayList<>())
                    .add(new SvgChart.Bar(r.client(), r.medianRate(), r.minRate(), r.maxRate()));
        }
        List<SvgChart.Group> list = new ArrayList<>();
        groups.forEach((label, bars) -> list.add(new SvgChart.Group(label, bars)));
        return SvgChart.render(title, "messages per second", clients, list);
    }

    private static String row(ScenarioResult r, double raw, int threads) {
        String ofRaw = raw > 0 ? String.format(Locale.ROOT, "%.0f %%", 100 * r.medianRate() / raw)
                : "—";
        String bytes = "raw".equals(r.client()) ? "—"
                : String.format(Locale.ROOT, "%,.1f", r.medianBytesPerMessage());
        return String.format(Locale.ROOT, "| %d | %d B | %s | %,.0f | %,.0f | %,.0f | %d | %s | %d | %d | %d | %d |"
                + " %s | %d | %.1f–%.1f | %d |%n", r.qos(), r.payload(), r.client(), r.medianRate(), r.minRate(),
                r.maxRate(), r.runs(), ofRaw, r.lost(), r.duplicates(), r.reordered(), r.brokerDropNotices(), bytes,
                threads, r.minLoad(), r.maxLoad(), r.invalidRuns());
    }

    /**
     * @return the most threads {@code client} started in any run: a library that shares threads between its
     *     clients (HiveMQ's Netty event loops) starts them in its first run only and keeps them
     */
    static int maxThreads(List<ScenarioResult> results, String client) {
        return results.stream().filter(r -> r.client().equals(client)).mapToInt(ScenarioResult::threads).max()
                .orElse(0);
    }

    private static double rawMedian(List<ScenarioResult> results, int qos, int payload) {
        for (ScenarioResult r : results) {
            if ("raw".equals(r.client()) && r.qos() == qos && r.payload() == payload) {
                return r.medianRate();
            }
        }
        return 0;
    }

    private static String micros(long ns) {
        return ns < 0 ? "—" : String.format(Locale.ROOT, "%,.0f", ns / 1e3);
    }
}
