package io.pipit.samples.cli;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How pub and sub connect, with mosquitto_pub/mosquitto_sub's option names where they have one: broker, client
 * identifier, credentials, protocol version, keepalive, session, maximum packet size, will and TLS. Filled by
 * picocli on the main thread.
 */
final class ConnectionOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = {"-h", "--host"}, paramLabel = "HOST", description = "Broker host (default: ${DEFAULT-VALUE}).")
    String host = "localhost";

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Broker port (default: ${DEFAULT-VALUE}).")
    int port = 1883;

    @Option(names = {"-L", "--url"}, paramLabel = "URL", converter = MqttUrl.Converter.class,
            description = "mqtt://[user[:password]@]host[:port]/topic instead of -h, -p, -u, -P and -t.")
    MqttUrl url;

    @Option(names = {"-i", "--id"}, paramLabel = "ID", description = "Client identifier (default: pipit-COMMAND-PID).")
    String clientId;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name.")
    String user;

    @Option(names = {"-P", "--pw"}, paramLabel = "PASSWORD", description = "Password.")
    String password;

    @Option(names = {"-V", "--protocol-version"}, paramLabel = "5|311", converter = Converters.Version.class,
            description = "MQTT version, 5 or 311 (default: 5, falling back to 3.1.1 if the broker needs it).")
    ProtocolVersion version;

    @Option(names = {"-k", "--keepalive"}, paramLabel = "SECONDS",
            description = "Keepalive (default: ${DEFAULT-VALUE}).")
    int keepAliveSeconds = 60;

    @Option(names = {"-x", "--session-expiry"}, paramLabel = "SECONDS",
            description = "Session Expiry Interval (MQTT 5; default: ${DEFAULT-VALUE}, the session ends with the "
                    + "connection).")
    long sessionExpirySeconds;

    @Option(names = "--clean-start", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Clean Start: discard a session the broker kept (default: on; --no-clean-start resumes it).")
    boolean cleanStart;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "How long to wait for the broker (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds = 10;

    @Option(names = "--max-packet-size", paramLabel = "BYTES", converter = Converters.PacketSize.class,
            description = "Largest packet sent or received, header included, in bytes (no suffixes); the broker is "
                    + "told in CONNECT (default: ${DEFAULT-VALUE}, 256 KiB).")
    int maximumPacketSize = 256 * 1024;

    @Option(names = "--will-topic", paramLabel = "TOPIC", description = "Will Message topic.")
    String willTopic;

    @Option(names = "--will-payload", paramLabel = "TEXT", description = "Will Message payload (default: empty).")
    String willPayload = "";

    @Option(names = "--will-qos", paramLabel = "QOS", converter = Converters.Qos.class,
            description = "Will Message QoS (default: 0).")
    QoS willQos = QoS.AT_MOST_ONCE;

    @Option(names = "--will-retain", description = "Retain the Will Message.")
    boolean willRetain;

    @Mixin
    private TlsCliOptions tls;

    /** @return the topic the {@code -L} URL names, or null */
    String urlTopic() {
        return url == null ? null : url.topic();
    }

    /**
     * @param tool "pub" or "sub", for the default client identifier
     * @return a builder with every connection option applied (automatic reconnect off)
     * @throws ParameterException for options that do not go together
     */
    MqttClientBuilder builder(String tool) {
        if (url != null && (command.commandLine().getParseResult().hasMatchedOption("-h")
                || command.commandLine().getParseResult().hasMatchedOption("-p"))) {
            throw new ParameterException(command.commandLine(), "give either -L or -h/-p, not both");
        }
        String userName = url != null && url.user() != null ? url.user() : user;
        String secret = url != null && url.password() != null ? url.password() : password;
        String hostInUri = host.contains(":") ? "[" + host + "]" : host; // an IPv6 literal
        boolean secure = tls.wanted() || (url != null && url.server().startsWith("mqtts://"));
        int portOrTls = secure && !command.commandLine().getParseResult().hasMatchedOption("-p") ? 8883 : port;
        MqttClientBuilder builder = MqttClient.builder()
                .server(url != null ? url.server() : (secure ? "mqtts://" : "mqtt://") + hostInUri + ":" + portOrTls)
                .clientId(clientId != null ? clientId : "pipit-" + tool + "-" + ProcessHandle.current().pid())
                .keepAlive(keepAliveSeconds, TimeUnit.SECONDS)
                .cleanStart(cleanStart)
                .connectTimeout(connectTimeoutSeconds, TimeUnit.SECONDS)
                .maximumPacketSize(maximumPacketSize);
        if (sessionExpirySeconds != 0) {
            builder.sessionExpiry(sessionExpirySeconds, TimeUnit.SECONDS);
        }
        if (version != null) { // asked for by name: no silent fallback to another version
            builder.protocolVersion(version).fallBackTo311(false);
        }
        if (userName != null || secret != null) {
            builder.credentials(userName, secret == null ? null : secret.getBytes(StandardCharsets.UTF_8));
        }
        tls.applyTo(builder);
        if (willTopic != null) {
            builder.will(willTopic, willPayload.getBytes(StandardCharsets.UTF_8), willQos.value(), willRetain);
        }
        return builder;
    }
}
