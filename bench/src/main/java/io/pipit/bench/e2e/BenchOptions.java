package io.pipit.bench.e2e;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The end-to-end benchmark's command line, parsed and checked once; immutable, so thread-safe.
 *
 * @see #USAGE
 */
final class BenchOptions {
    static final String USAGE = String.join("\n",
            "usage: java -cp bench/target/benchmarks.jar io.pipit.bench.e2e.EndToEndBenchmark [options]",
            "  --broker URI        mqtt://host:port (or tcp://) of a running broker; default: start mosquitto",
            "                      (from PATH or /usr/sbin) on a free loopback port and stop it at the end;",
            "                      mqtts://host:port (or ssl://) with --tls, trusting the system trust store",
            "  --tls jdk|bc        MQTT over TLS on the JDK's SSLEngine or on BouncyCastle; the local mosquitto",
            "                      then serves TLS with a self-signed certificate (made with openssl) the",
            "                      clients trust; pipit client only",
            "  --client NAME       pipit (default); raw: pre-encoded packets on plain sockets (QoS 1/2 within",
            "                      the CONNACK's Receive Maximum, at most pipit's maxInflight);",
            "                      paho (Eclipse Paho v5 1.2.5) or hivemq (HiveMQ client 1.3.10), plaintext",
            "  --qos 0|1|2         QoS of publish and subscription (default 0)",
            "  --messages N        measured messages (default 500000)",
            "  --warmup N          warm-up messages before measuring, not counted (default 200000)",
            "  --payload BYTES     payload size, at least " + Receipts.MIN_PAYLOAD + " (default 64)",
            "  --max-inflight N    pipit (and raw) publisher's maxInflight (default: the builder's, 32; the",
            "                      broker's Receive Maximum caps it)",
            "  --quiet-ms MS       stop waiting once nothing arrived for this long after the last publish",
            "                      completed; what is missing then counts as lost (default 2000)",
            "  --timeout-s S       give up on a phase after this long (default 300)",
            "  --help              this text");

    private String broker;
    private String client = "pipit";
    private String tls;
    private int qos;
    private int messages = 500_000;
    private int warmup = 200_000;
    private int payload = 64;
    private int maxInflight;
    private long quietMs = 2_000;
    private long timeoutSeconds = 300;
    private boolean help;

    private BenchOptions() {
    }

    /**
     * @throws IllegalArgumentException naming the option that is unknown, lacks a value or has a bad one
     */
    static BenchOptions parse(String... args) {
        BenchOptions options = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if ("--help".equals(name) || "-h".equals(name)) {
                options.help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name.startsWith("--") ? name + " needs a value"
                        : "unexpected argument '" + name + "'");
            }
            options.set(name, args[++i]);
        }
        if (!"pipit".equals(options.client) && options.tls != null) {
            throw new IllegalArgumentException("--client " + options.client + " runs plaintext only; --tls needs"
                    + " --client pipit");
        }
        boolean secureBroker = options.broker != null && options.broker.matches("(?i)(mqtts|ssl)://.*");
        if (options.broker != null && secureBroker != (options.tls != null)) {
            throw new IllegalArgumentException("--broker " + options.broker + (secureBroker
                    ? " is a TLS URI: add --tls jdk|bc" : " is plaintext: --tls needs an mqtts:// broker"));
        }
        return options;
    }

    private void set(String name, String value) {
        switch (name) {
            case "--broker": broker = checkedUri(value); break;
            case "--client": client = oneOf(name, value, "pipit", "raw", "paho", "hivemq"); break;
            case "--tls": tls = oneOf(name, value, "jdk", "bc"); break;
            case "--qos": qos = Integer.parseInt(oneOf(name, value, "0", "1", "2")); break;
            case "--messages": messages = (int) number(name, value, 1, Integer.MAX_VALUE - 1); break;
            case "--warmup": warmup = (int) number(name, value, 0, Integer.MAX_VALUE - 1); break;
            case "--payload": payload = (int) number(name, value, Receipts.MIN_PAYLOAD, 64 * 1024); break;
            case "--max-inflight": maxInflight = (int) number(name, value, 1, 65_535); break;
            case "--quiet-ms": quietMs = number(name, value, 1, 3_600_000); break;
            case "--timeout-s": timeoutSeconds = number(name, value, 1, 86_400); break;
            default: throw new IllegalArgumentException("unknown option '" + name + "'");
        }
    }

    private static String oneOf(String name, String value, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed) + ": " + value);
    }

    private static long number(String name, String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number: " + value, e);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
        }
        return parsed;
    }

    private static String checkedUri(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            boolean mqttScheme = scheme != null && scheme.toLowerCase(java.util.Locale.ROOT)
                    .matches("mqtt|tcp|mqtts|ssl");
            if (!mqttScheme || uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("--broker needs mqtt://host:port or tcp://host:port (mqtts:// or "
                        + "ssl:// with --tls), port included: " + value);
            }
            return value;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--broker is not a URI: " + value, e);
        }
    }

    /** @return the broker URI given, or null to start a local mosquitto */
    String broker() {
        return broker;
    }

    /** @return "pipit", "raw", "paho" or "hivemq" */
    String client() {
        return client;
    }

    /** @return "jdk" or "bc" for MQTT over TLS on that provider, or null for plaintext */
    String tls() {
        return tls;
    }

    int qos() {
        return qos;
    }

    int messages() {
        return messages;
    }

    int warmup() {
        return warmup;
    }

    int payload() {
        return payload;
    }

    /** @return the publisher's maxInflight, or 0 for the builder's default */
    int maxInflight() {
        return maxInflight;
    }

    long quietMs() {
        return quietMs;
    }

    long timeoutSeconds() {
        return timeoutSeconds;
    }

    boolean help() {
        return help;
    }
}
