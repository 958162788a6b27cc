package io.pipit.bench.e2e;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one measured phase, and how they are printed: a readable block, then one {@code RESULT} line of
 * {@code key=value} pairs for scripts. Built once the phase is over; not changed after.
 *
 * @param client "pipit" or "raw"
 * @param messages messages published in the measured phase
 * @param warmupReceived distinct warm-up messages received
 * @param distinct distinct measured messages received
 * @param stragglers warm-up messages that arrived after the measured phase began
 * @param elapsedNs first publish to last message received
 * @param publishNs first publish to the last publish accepted (pipit: into its queue; raw: written)
 * @param retries publish calls that returned -1 (queue full) and were retried
 * @param publishErrors publishes completed with an error reason code (pipit's PublishListener)
 * @param meter allocation and CPU of the publishing thread and the clients' threads, stopped
 * @param brokerCpuNs CPU time the broker process used in the phase, or -1 when unknown (a given broker)
 * @param clientThreads threads that appeared while the clients were created and connected
 * @param liveThreads live JVM threads at the end of the phase
 * @param timedOut true when the wait for the last message hit --timeout-s
 */
record RunResult(String client, int qos, int payload, int messages, long warmupReceived, long distinct,
        long duplicates, long reordered, long stragglers, long unexpected, long elapsedNs, long publishNs,
        long retries, long publishErrors, ThreadMeter meter, long brokerCpuNs, List<String> clientThreads,
        int liveThreads, boolean timedOut) {

    /** @return measured messages never received */
    long lost() {
        return messages - distinct;
    }

    /** @return messages received per second, first publish to last receipt */
    double messagesPerSecond() {
        return elapsedNs <= 0 ? 0 : distinct * 1e9 / elapsedNs;
    }

    /** @return bytes the counted threads allocated per published message */
    double bytesPerMessage() {
        return (double) meter.namedTotal() / messages;
    }

    /** @return bytes all threads allocated per published message */
    double allThreadsBytesPerMessage() {
        return (double) meter.allThreadsTotal() / messages;
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "  throughput   %,.0f msg/s: %,d received in %.3f s (first publish to last receipt)%n",
                messagesPerSecond(), distinct, elapsedNs / 1e9);
        out.printf(Locale.ROOT, "  publishing   %,.0f msg/s: %,d accepted in %.3f s; %,d retries on a full queue%n",
                publishNs <= 0 ? 0 : messages * 1e9 / publishNs, messages, publishNs / 1e9, retries);
        out.printf(Locale.ROOT, "  delivery     lost %,d (%.3f %%), duplicates %,d, reordered %,d, unexpected %,d,"
                        + " publish errors %,d%s%n", lost(), 100.0 * lost() / messages, duplicates, reordered,
                unexpected, publishErrors, timedOut ? "; TIMED OUT waiting for the rest" : "");
        out.printf(Locale.ROOT, "  warm-up      %,d received; %,d more arrived during the measured phase%n",
                warmupReceived, stragglers);
        String[] names = meter.names();
        long[] bytes = meter.bytes();
        long[] cpuNs = meter.cpuNs();
        StringBuilder allocation = new StringBuilder();
        StringBuilder cpu = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            allocation.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d B", names[i], bytes[i]));
            cpu.append(String.format(Locale.ROOT, "%s %.2f s, ", names[i], cpuNs[i] / 1e9));
        }
        out.printf(Locale.ROOT, "  allocation   %.3f B/msg on the publishing and client threads (%s)%n",
                bytesPerMessage(), allocation);
        out.printf(Locale.ROOT, "               %.3f B/msg on all threads (%,d B); %d garbage collections%n",
                allThreadsBytesPerMessage(), meter.allThreadsTotal(), meter.collections());
        out.printf(Locale.ROOT, "  cpu          %sJVM process %.2f s, broker %s; %.2f s elapsed%n", cpu,
                meter.processCpuNs() / 1e9, brokerCpuNs < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f s",
                        brokerCpuNs / 1e9), elapsedNs / 1e9);
        out.printf(Locale.ROOT, "  threads      %d started by the clients %s; %d live in the JVM%n",
                clientThreads.size(), clientThreads, liveThreads);
        out.printf(Locale.ROOT, "RESULT client=%s qos=%d payload=%d messages=%d msgPerSec=%.0f lost=%d duplicates=%d"
                        + " bytesPerMsg=%.3f allThreadsBytesPerMsg=%.3f gcs=%d clientThreads=%d retries=%d"
                        + " jvmCpuS=%.2f brokerCpuS=%.2f timedOut=%b%n", client, qos, payload, messages,
                messagesPerSecond(), lost(), duplicates, bytesPerMessage(), allThreadsBytesPerMessage(),
                meter.collections(), clientThreads.size(), retries, meter.processCpuNs() / 1e9, brokerCpuNs / 1e9,
                timedOut);
    }
}
