package io.pipit.samples.gateway;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.samples.cli.CommonOptions;
import io.pipit.samples.cli.Converters;
import io.pipit.samples.cli.TlsCliOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pipit gateway}: the gateway's command line. Every bad value is a one-line error naming the option.
 * Exits 0 when nothing was lost at QoS 1/2, 1 when something was, and with the codes of
 * {@link io.pipit.samples.cli.ExitCodes} when it cannot start or connect. Filled and run on the main thread.
 */
@Command(name = "gateway", sortOptions = false, usageHelpAutoWidth = true,
        description = {"A telemetry gateway: simulated temperature/humidity/pressure sensors publishing through "
                + "pipit, with a subscriber that checks every reading arrives.",
            "Without --broker it runs against an embedded broker, so it works on any machine with a JDK."})
public final class GatewayCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--broker", paramLabel = "URI", converter = Converters.BrokerUri.class,
            description = "mqtt://host:port or mqtts://host:port; repeat for failover (default: an embedded broker).")
    List<String> brokers = new ArrayList<>();

    @Option(names = "--client-id", paramLabel = "ID", description = "Client identifier (default: ${DEFAULT-VALUE}).")
    String clientId = "gateway-1";

    @Option(names = "--qos", paramLabel = "QOS", converter = Converters.Qos.class,
            description = "QoS 0, 1 or 2 (default: 1).")
    QoS qos = QoS.AT_LEAST_ONCE;

    @Option(names = "--sensors", paramLabel = "N", description = "Simulated sensors (default: ${DEFAULT-VALUE}).")
    int sensors = 8;

    @Option(names = "--rate", paramLabel = "N",
            description = "Readings per second per sensor (default: ${DEFAULT-VALUE}).")
    int ratePerSensor = 250;

    @Option(names = "--duration", paramLabel = "TIME", converter = Converters.Millis.class,
            description = "How long to publish, e.g. 500ms, 10s, 2m (default: 10s).")
    long durationMs = 10_000;

    @Option(names = "--queue", paramLabel = "memory|DIR",
            description = "Offline queue: in memory (default), or a crash-safe file queue in DIR.")
    String queue = "memory";

    @Mixin
    TlsCliOptions tls;

    @Mixin
    private CommonOptions common;

    @Override
    public Integer call() throws MqttException, InterruptedException, IOException {
        check("--sensors", sensors, 1, 10_000);
        check("--rate", ratePerSensor, 1, 100_000);
        if (durationMs <= 0) {
            throw new ParameterException(spec.commandLine(), "--duration must be longer than 0");
        }
        if (tls.wanted() && brokers.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "TLS options need --broker mqtts://HOST:PORT (the"
                    + " embedded broker speaks plain MQTT)");
        }
        try (GatewayQueue chosen = GatewayQueue.choose(queue)) {
            return new Gateway(this, chosen).run();
        }
    }

    private void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), name + " must be " + min + ".." + max + ", not " + value);
        }
    }
}
