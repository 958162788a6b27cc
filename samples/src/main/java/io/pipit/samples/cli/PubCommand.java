package io.pipit.samples.cli;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.queue.MemoryQueue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pipit pub}: publishes one message, like mosquitto_pub, with MQTT 5 properties. Waits until the message is
 * written (QoS 0) or acknowledged (QoS 1 and 2), or the connection ends first. A refusal by the broker (PUBACK/PUBREC
 * reason code 0x80 or above, or a DISCONNECT before the acknowledgement) exits 4 (5 for Not authorized); a message
 * the client refused itself, over the server's Maximum Packet Size, exits 1. Runs on the main thread; the client's
 * I/O thread reports to a {@link PublishOutcome}.
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
    public Integer call() throws MqttException, InterruptedException {
        String name = topic != null ? topic : connection.urlTopic();
        if (name == null) {
            throw new ParameterException(spec.commandLine(), "missing topic: give -t TOPIC (or a topic in -L)");
        }
        Topic target = Topic.of(name);
        byte[] body = read();
        MqttProperties sent = properties.toProperties();
        int packetLength = PublishEncoder.encodedLength(ProtocolVersion.MQTT_5, target.byteLength(), qos.value(),
                sent, body.length);
        if (packetLength > connection.maximumPacketSize) { // the client would refuse it: say so before connecting
            throw new ParameterException(spec.commandLine(), "the PUBLISH is " + packetLength + " bytes, over the "
                    + "maximum packet size of " + connection.maximumPacketSize + " bytes: raise it with "
                    + "--max-packet-size");
        }
        PublishOutcome outcome = new PublishOutcome();
        try (MqttClient client = connection.builder("pub")
                // room for one message up to the maximum packet size (+24 bytes of the queue's bookkeeping): the
                // default 4 MB queue would refuse a larger one
                .queue(new MemoryQueue(connection.maximumPacketSize + 24, 1))
                .publishListener(outcome).connectionListener(outcome).build()) {
            client.connect();
            if (client.publish(target, body, 0, body.length, qos, retain, sent) < 0) {
                return failed("the outbound queue refused the message");
            }
            if (!outcome.await(connection.connectTimeoutSeconds)) {
                return failed((qos == QoS.AT_MOST_ONCE ? "not sent" : "no acknowledgement") + " within "
                        + connection.connectTimeoutSeconds + " s");
            }
            return judge(outcome, packetLength, client.serverCapabilities().maximumPacketSize());
        } // close() sends DISCONNECT
    }

    /**
     * @return the exit code for how the publish ended
     * @throws MqttException with the reason code of a broker's refusal, or of the connection's end before the
     *     publish completed (the server's DISCONNECT, or -1 for the network)
     */
    private int judge(PublishOutcome outcome, int packetLength, long serverMaximum) throws MqttException {
        int code = outcome.reasonCode();
        if (!outcome.completed()) {
            throw new MqttException(code < 0 ? MqttException.NO_REASON_CODE : code, "connection ended before the "
                    + (qos == QoS.AT_MOST_ONCE ? "PUBLISH was sent" : qos == QoS.AT_LEAST_ONCE ? "PUBACK" : "PUBCOMP")
                    + ": " + outcome.detail());
        }
        if (code == ReasonCode.PACKET_TOO_LARGE && packetLength > serverMaximum) {
            // the client refused it (spec 3.1.2.11.4): the broker never saw it, so this is no broker refusal
            return failed("not sent: the PUBLISH is " + packetLength + " bytes, over the server's Maximum Packet "
                    + "Size of " + serverMaximum + " bytes");
        }
        if (ReasonCode.isError(code)) {
            throw new MqttException(code, "PUBLISH not accepted");
        }
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
