package io.pipit.samples.cli;

import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.client.ConnectionListener;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pipit sub}: subscribes and prints what arrives, like mosquitto_sub; {@code --json} shows every MQTT 5
 * property. Ends after {@code -C} messages, after {@code -W} seconds, or when the connection is lost for good;
 * reconnects (and resubscribes) by itself in between. Runs on the main thread; messages print on the client's.
 */
@Command(name = "sub", sortOptions = false, usageHelpAutoWidth = true,
        description = "Subscribe and print messages (like mosquitto_sub), with MQTT 5 properties in --json.")
final class SubCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-t", "--topic"}, paramLabel = "FILTER", description = "Topic filter; repeat for several.")
    private List<String> filters = new ArrayList<>();

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", converter = Converters.Qos.class,
            description = "Maximum QoS to receive at: 0, 1 or 2 (default: 0).")
    private QoS qos = QoS.AT_MOST_ONCE;

    @Option(names = {"-v", "--verbose"}, description = "Print the topic, a space, then the payload.")
    private boolean verbose;

    @Option(names = "--json", description = "Print one JSON object per message: topic, qos, retain, payload "
            + "(text, or payloadBase64 when not UTF-8) and properties.")
    private boolean json;

    @Option(names = {"-C", "--count"}, paramLabel = "N", description = "Exit after N messages.")
    private int count;

    @Option(names = {"-W", "--timeout"}, paramLabel = "SECONDS",
            description = "Exit after this long; with -C, not having N messages by then is a failure (exit 1).")
    private int timeoutSeconds;

    @Mixin
    private ConnectionOptions connection;

    @Mixin
    private CommonOptions common;

    @Override
    public Integer call() throws MqttException, InterruptedException {
        List<String> topics = new ArrayList<>(filters);
        if (connection.urlTopic() != null) {
            topics.add(connection.urlTopic());
        }
        if (topics.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "missing topic: give -t FILTER (or a topic in -L)");
        }
        if (count < 0 || timeoutSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "-C and -W take a positive number");
        }
        if (verbose && json) {
            throw new ParameterException(spec.commandLine(), "-v and --json do not go together (--json has the topic)");
        }
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger received = new AtomicInteger();
        int[] lostWith = {Integer.MIN_VALUE};
        MessagePrinter printer = new MessagePrinter(System.out, verbose, json);
        try (MqttClient client = connection.builder("sub").automaticReconnect(true)
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                        if (!reconnecting) {
                            lostWith[0] = reasonCode;
                            finished.countDown();
                        }
                    }
                }).build()) {
            Thread hook = new Thread(() -> disconnectOnExit(client), "pipit-sub-exit");
            Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C: DISCONNECT, so the broker sends no Will
            try {
                return receive(client, topics, printer, finished, received, lostWith);
            } finally {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    private int receive(MqttClient client, List<String> topics, MessagePrinter printer, CountDownLatch finished,
            AtomicInteger received, int[] lostWith) throws MqttException, InterruptedException {
        MessageListener listener = message -> {
            if (count == 0 || received.get() < count) {
                printer.onMessage(message);
                if (received.incrementAndGet() == count) {
                    finished.countDown();
                }
            }
        };
        // Subscribed before connecting, so messages a resumed session delivers right after CONNACK find a listener.
        List<MqttFuture<Integer>> acks = new ArrayList<>();
        for (String topic : topics) {
            acks.add(client.subscribe(topic, qos, listener));
        }
        client.connect();
        for (int i = 0; i < acks.size(); i++) {
            int code = acks.get(i).get(connection.connectTimeoutSeconds, TimeUnit.SECONDS);
            if (ReasonCode.isError(code)) {
                throw new MqttException(code, "subscription to '" + topics.get(i) + "' refused");
            }
        }
        return await(finished, received, lostWith);
    }

    private static void disconnectOnExit(MqttClient client) {
        try {
            client.disconnect();
        } catch (MqttException e) {
            LoggerFactory.getLogger(SubCommand.class).warn("could not disconnect cleanly on exit: {}", e.getMessage());
        }
    }

    private int await(CountDownLatch finished, AtomicInteger received, int[] lostWith)
            throws MqttException, InterruptedException {
        boolean ended = timeoutSeconds > 0 ? finished.await(timeoutSeconds, TimeUnit.SECONDS) : awaitForever(finished);
        if (lostWith[0] != Integer.MIN_VALUE) {
            throw new MqttException(lostWith[0] >= 0 ? lostWith[0] : MqttException.NO_REASON_CODE,
                    "connection lost");
        }
        if (!ended && count > 0) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": timed out after " + timeoutSeconds
                    + " s with " + received.get() + " of " + count + " messages");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private static boolean awaitForever(CountDownLatch finished) throws InterruptedException {
        finished.await();
        return true;
    }
}
