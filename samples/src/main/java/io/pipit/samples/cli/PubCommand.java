package io.pipit.samples.cli;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pipit pub}: publishes one message, like mosquitto_pub, with MQTT 5 properties. Waits for the broker's
 * acknowledgement at QoS 1 and 2; a refusal (PUBACK/PUBREC reason code 0x80 or above) is a non-zero exit.
 * Runs on the main thread.
 */
@Command(name = "pub", sortOptions = false, usageHelpAutoWidth = true,
        description = "Publish one message (like mosquitto_pub), with MQTT 5 properties.")
final class PubCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC", description = "Topic to publish to.")
    private String topic;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Payload (one of):%n")
    private Payload payload;

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", converter = Converters.Qos.class,
            description = "QoS 0, 1 or 2 (default: 0).")
    private QoS qos = QoS.AT_MOST_ONCE;

    @Option(names = {"-r", "--retain"}, description = "Ask the broker to retain the message.")
    private boolean retain;

    @Mixin
    private PublishProperties properties;

    @Mixin
    private ConnectionOptions connection;

    @Mixin
    private CommonOptions common;

    /** Where the payload comes from: exactly one source. */
    static final class Payload {
        @Option(names = {"-m", "--message"}, paramLabel = "TEXT", required = true, description = "The payload text.")
        String message;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = "Send a file's bytes.")
        Path file;

        @Option(names = {"-s", "--stdin"}, required = true, description = "Send everything read from stdin.")
        boolean stdin;

        @Option(names = {"-n", "--null-message"}, required = true, description = "Send an empty payload.")
        boolean empty;

        byte[] bytes() throws IOException {
            if (message != null) {
                return message.getBytes(StandardCharsets.UTF_8);
            }
            if (file != null) {
                return Files.readAllBytes(file);
            }
            return stdin ? System.in.readAllBytes() : new byte[0];
        }
    }

    @Override
    public Integer call() throws MqttException {
        String name = topic != null ? topic : connection.urlTopic();
        if (name == null) {
            throw new ParameterException(spec.commandLine(), "missing topic: give -t TOPIC (or a topic in -L)");
        }
        Topic target = Topic.of(name);
        byte[] body = read();
        CompletableFuture<Integer> acknowledged = new CompletableFuture<>();
        try (MqttClient client = connection.builder("pub")
                .publishListener((sequence, reasonCode) -> acknowledged.complete(reasonCode)).build()) {
            client.connect();
            if (client.publish(target, body, 0, body.length, qos, retain, properties.toProperties()) < 0) {
                return failed("the outbound queue refused the message");
            }
            if (qos != QoS.AT_MOST_ONCE) {
                Integer code = acknowledged.completeOnTimeout(null, connection.connectTimeoutSeconds, TimeUnit.SECONDS)
                        .join(); // null: no PUBACK/PUBCOMP in time
                if (code == null) {
                    return failed("no acknowledgement within " + connection.connectTimeoutSeconds + " s");
                }
                if (ReasonCode.isError(code)) {
                    throw new MqttException(code, "PUBLISH not accepted");
                }
            }
        } // close() sends what is queued (the QoS 0 message) before DISCONNECT
        return ExitCodes.OK;
    }

    private int failed(String reason) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + reason);
        return ExitCodes.FAILED;
    }

    private byte[] read() {
        try {
            return payload.bytes();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the payload: " + e, e);
        }
    }
}
