package io.pipit.samples.pi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** pi-sensors' command line. Every value it cannot use is an {@link IllegalArgumentException} naming the option. */
final class PiSensorsOptions {
    static final String USAGE = String.join("\n",
            "usage: pi-sensors [options]",
            "  --broker URI     mqtt://host:port; default: an embedded broker in this process",
            "  --device ID      device id in topics and Home Assistant, default pi-sensors",
            "  --prefix P       topic prefix, default pipit: topics are <prefix>/<device>/<sensor>/state",
            "  --mock           Pi4J's mock platform with simulated readings (the default when not on a Pi)",
            "  --interval D     time between BME280 samples, default 2s",
            "  --duration D     how long to run (500ms, 30s, 5m, 1h), default 20s; 0 runs until SIGTERM / Ctrl-C",
            "  --help           this text",
            "wiring on a Pi: BME280 on I2C bus 1 at 0x76, button GPIO 17 to GND, LED on GPIO 27 (with a resistor)");

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    String broker;
    String device = "pi-sensors";
    String prefix = "pipit";
    boolean mock = !onRaspberryPi();
    Duration interval = Duration.ofSeconds(2);
    Duration duration = Duration.ofSeconds(20);
    boolean help;

    static PiSensorsOptions parse(String... args) {
        PiSensorsOptions options = new PiSensorsOptions();
        int i = 0;
        while (i < args.length) {
            String option = args[i++];
            if ("--help".equals(option) || "-h".equals(option)) {
                options.help = true;
            } else if ("--mock".equals(option)) {
                options.mock = true;
            } else if (i == args.length) {
                throw new IllegalArgumentException(option + " needs a value (see --help)");
            } else {
                options.set(option, args[i++]);
            }
        }
        return options;
    }

    private void set(String option, String value) {
        if ("--broker".equals(option)) {
            broker = value;
        } else if ("--device".equals(option)) {
            device = value;
        } else if ("--prefix".equals(option)) {
            prefix = value;
        } else if ("--interval".equals(option)) {
            interval = duration(option, value);
            if (interval.isZero()) {
                throw new IllegalArgumentException("--interval must be above 0");
            }
        } else if ("--duration".equals(option)) {
            duration = duration(option, value);
        } else {
            throw new IllegalArgumentException("unknown option " + option + " (see --help)");
        }
    }

    private static Duration duration(String option, String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " takes a time such as 500ms, 30s, 5m or 1h, not '" + value
                    + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit) {
            case "ms": return Duration.ofMillis(n);
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            default: return Duration.ofSeconds(n);
        }
    }

    /** The device tree names the board on Raspberry Pi OS and other Pi distributions. */
    static boolean onRaspberryPi() {
        Path model = Paths.get("/proc/device-tree/model");
        try {
            return Files.isReadable(model) && Files.readString(model).contains("Raspberry Pi");
        } catch (java.io.IOException e) {
            return false; // unreadable: not a Pi we can drive
        }
    }
}
