package io.pipit.bench.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the comparison measured for one client in one scenario (QoS and payload size): each throughput run's
 * msg/s, delivery and allocation, and the latency run's percentiles. Filled in by {@link Comparison} on its one
 * thread; not thread-safe.
 */
final class ScenarioResult {
    private final String client;
    private final int qos;
    private final int payload;
    private final List<Double> rates = new ArrayList<>();
    private final List<Double> bytesPerMessage = new ArrayList<>();
    private final List<Double> loads = new ArrayList<>();
    private long lost;
    private long duplicates;
    private long reordered;
    private int threads;
    private List<String> threadNames = List.of();
    private int invalidRuns;
    private long brokerDropNotices;
    private long p50Ns = -1;
    private long p99Ns = -1;
    private String latencyNote = "not measured";

    ScenarioResult(String client, int qos, int payload) {
        this.client = client;
        this.qos = qos;
        this.payload = payload;
    }

    /** Adds one throughput run, with the 1-minute load average sampled just before it started. */
    void add(RunResult run, double loadBefore) {
        rates.add(run.messagesPerSecond());
        bytesPerMessage.add(run.allThreadsBytesPerMessage());
        loads.add(loadBefore);
        lost += run.lost();
        duplicates += run.duplicates();
        reordered += run.reordered();
        if (run.clientThreads().size() > threads) {
            threads = run.clientThreads().size();
            threadNames = run.clientThreads();
        }
        if (run.timedOut() || run.unexpected() > 0 || run.publishErrors() > 0 || (qos > 0 && run.lost() > 0)) {
            invalidRuns++;
        }
    }

    /** Adds the notices mosquitto logged during a run that it dropped messages for a client falling behind. */
    void brokerDrops(long notices) {
        brokerDropNotices += notices;
    }

    long brokerDropNotices() {
        return brokerDropNotices;
    }

    /** Counts a throughput run that failed before it produced figures. */
    void failed() {
        invalidRuns++;
    }

    /** Records the latency run: sorted latencies of {@code expected} messages sent. */
    void latency(long[] sortedNs, int expected) {
        p50Ns = LatencyRun.percentile(sortedNs, 0.50);
        p99Ns = LatencyRun.percentile(sortedNs, 0.99);
        latencyNote = sortedNs.length == expected ? "" : (expected - sortedNs.length) + " of " + expected + " lost";
    }

    void latencyFailed(String why) {
        latencyNote = why;
    }

    String client() {
        return client;
    }

    int qos() {
        return qos;
    }

    int payload() {
        return payload;
    }

    double medianRate() {
        return median(rates);
    }

    double minRate() {
        return rates.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    double maxRate() {
        return rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    int runs() {
        return rates.size();
    }

    double medianBytesPerMessage() {
        return median(bytesPerMessage);
    }

    double maxLoad() {
        return loads.stream().mapToDouble(Double::doubleValue).max().orElse(-1);
    }

    double minLoad() {
        return loads.stream().mapToDouble(Double::doubleValue).min().orElse(-1);
    }

    long lost() {
        return lost;
    }

    long duplicates() {
        return duplicates;
    }

    long reordered() {
        return reordered;
    }

    int threads() {
        return threads;
    }

    /** @return names of the threads started in the run that started the most */
    List<String> threadNames() {
        return threadNames;
    }

    int invalidRuns() {
        return invalidRuns;
    }

    long p50Ns() {
        return p50Ns;
    }

    long p99Ns() {
        return p99Ns;
    }

    /** @return "" when every latency message arrived, else what went wrong */
    String latencyNote() {
        return latencyNote;
    }

    /** @return the median of {@code values} (the mean of the middle two for an even count), or 0 for none */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
