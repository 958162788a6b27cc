package io.pipit.samples.cli;

import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** pub's MQTT 5 PUBLISH properties. Filled by picocli on the main thread. */
final class PublishProperties {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = {"-D", "--user-property"}, paramLabel = "KEY=VALUE",
            description = "A User Property; repeat for several (order and repeated keys are kept).")
    List<String> userProperties = new ArrayList<>();

    @Option(names = "--content-type", paramLabel = "TYPE", description = "Content Type, e.g. application/json.")
    String contentType;

    @Option(names = "--message-expiry", paramLabel = "SECONDS", description = "Message Expiry Interval.")
    Long messageExpirySeconds;

    @Option(names = "--response-topic", paramLabel = "TOPIC", description = "Response Topic, for request/response.")
    String responseTopic;

    @Option(names = "--correlation-data", paramLabel = "TEXT", description = "Correlation Data (UTF-8 text).")
    String correlationData;

    /** @return the properties to publish with, or null when none was given */
    MqttProperties toProperties() {
        MqttProperties properties = new MqttProperties();
        for (String pair : userProperties) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new ParameterException(command.commandLine(),
                        "-D needs KEY=VALUE (a non-empty key), not '" + pair + "'");
            }
            properties.addUserProperty(pair.substring(0, equals), pair.substring(equals + 1));
        }
        if (contentType != null) {
            properties.string(Property.CONTENT_TYPE, contentType);
        }
        if (messageExpirySeconds != null) {
            properties.put(Property.MESSAGE_EXPIRY_INTERVAL, messageExpirySeconds);
        }
        if (responseTopic != null) {
            properties.string(Property.RESPONSE_TOPIC, responseTopic);
        }
        if (correlationData != null) {
            properties.put(Property.CORRELATION_DATA, correlationData.getBytes(StandardCharsets.UTF_8));
        }
        return properties.isEmpty() ? null : properties;
    }
}
