package io.pipit.bench.scale;

import io.pipit.bench.e2e.SvgChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes the scale test's results as Markdown and an SVG chart. Pure functions, so thread-safe. */
final class ScaleReport {
    private static final String[] COLUMNS = {"client", "target", "connected", "stop", "connectS", "heapPerClientB",
        "directPerClientB", "threads", "published", "acked", "ackErrors", "refused", "msgPerSec", "cpuPct",
        "brokerCpuPct", "load"};
    private static final String[] TITLES = {"client", "devices tried", "connected", "stopped because",
        "connect s", "heap B per client (after GC)", "direct B per client", "threads started", "QoS 1 published",
        "acknowledged", "ack errors", "refused (queue full)", "msg/s", "JVM CPU % of one core",
        "mosquitto CPU %", "load avg before"};

    private ScaleReport() {
    }

    static String markdown(List<String> header, List<Map<String, String>> results) {
        StringBuilder md = new StringBuilder("# Scale test: many devices in one JVM\n\n");
        for (String line : header) {
            md.append("- ").append(line).append('\n');
        }
        md.append("\n![devices connected](scale-connected.svg) ![heap per device](scale-heap.svg)\n\n| ");
        md.append(String.join(" | ", TITLES)).append(" |\n|");
        md.append("---|".repeat(TITLES.length)).append('\n');
        for (Map<String, String> result : results) {
            md.append('|');
            for (String column : COLUMNS) {
                md.append(' ').append(result.getOrDefault(column, "—").replace("|", "/")).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /**
     * @param key the figure to draw, e.g. {@code connected}
     * @param divisor what the figure is divided by before drawing (1024 turns bytes into KB)
     * @return one bar per client for that figure
     */
    static String chart(List<Map<String, String>> results, String title, String unit, String key, double divisor) {
        List<String> clients = new ArrayList<>();
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (Map<String, String> result : results) {
            double value = number(result, key) / divisor;
            clients.add(result.get("client"));
            bars.add(new SvgChart.Bar(result.get("client"), value, value, value));
        }
        return SvgChart.render(title, unit, clients, List.of(new SvgChart.Group(unit, bars)));
    }

    /** @return true when pipit connected every device and had every publish acknowledged without error */
    static boolean pipitMetTheTarget(List<Map<String, String>> results, int devices) {
        for (Map<String, String> result : results) {
            if ("pipit".equals(result.get("client"))) {
                return number(result, "connected") == devices && number(result, "ackErrors") == 0
                        && number(result, "acked") == number(result, "published");
            }
        }
        return true; // pipit was not asked for
    }

    private static double number(Map<String, String> result, String key) {
        try {
            return Double.parseDouble(result.getOrDefault(key, "0").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("scale result " + key + " is not a number: " + result.get(key), e);
        }
    }
}
