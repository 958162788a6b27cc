package io.pipit.samples.gateway;

import io.pipit.mqtt.QoS;
import java.util.ArrayList;
import java.util.List;

/** The gateway's command line, parsed by hand: every bad value is a one-line error naming the option. */
final class GatewayOptions {
    final List<String> brokers = new ArrayList<>();
    String clientId = "gateway-1";
    QoS qos = QoS.AT_LEAST_ONCE;
    int sensors = 8;
    int ratePerSensor = 250;
    long durationMs = 10_000;
    boolean help;

    static final String USAGE = String.join("\n",
            "usage: gateway [options]",
            "  --broker URI      mqtt://host:port (repeat for failover); default: an embedded broker",
            "  --client-id ID    default gateway-1",
            "  --qos 0|1|2       default 1",
            "  --sensors N       simulated sensors, default 8",
            "  --rate N          readings per second per sensor, default 250",
            "  --duration D      how long to run, e.g. 10s, 2m; default 10s",
            "  --help            this text");

    /** @throws IllegalArgumentException with a one-line reason for anything it cannot use */
    static GatewayOptions parse(String[] args) {
        GatewayOptions o = new GatewayOptions();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                o.help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value (see --help)");
            }
            String value = args[++i];
            switch (name) {
                case "--broker": o.brokers.add(value); break;
                case "--client-id": o.clientId = value; break;
                case "--qos": o.qos = QoS.of(number(name, value, 0, 2)); break;
                case "--sensors": o.sensors = number(name, value, 1, 10_000); break;
                case "--rate": o.ratePerSensor = number(name, value, 1, 100_000); break;
                case "--duration": o.durationMs = duration(value); break;
                default: throw new IllegalArgumentException("unknown option " + name + " (see --help)");
            }
        }
        return o;
    }

    private static int number(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", not " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'", e);
        }
    }

    static long duration(String value) {
        String digits = value.replaceAll("(ms|s|m)$", "");
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--duration must look like 500ms, 10s or 2m, not '" + value + "'", e);
        }
        if (value.endsWith("ms")) {
            return n;
        }
        return value.endsWith("m") ? n * 60_000 : n * 1_000;
    }
}
