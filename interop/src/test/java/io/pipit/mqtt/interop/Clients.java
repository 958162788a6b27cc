package io.pipit.mqtt.interop;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of one scenario, built alike for every broker (only the server URI, the TLS trust settings and
 * the requested version differ), and closed together at its end. Not thread-safe: one scenario, one thread.
 */
final class Clients implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Clients.class);
    /** Seconds any single wait may take: generous for a loaded 2-core CI machine, still bounded. */
    static final long WAIT_S = 15;
    /** The client's own packet limit: the large-payload scenario's ceiling when a broker announces none. */
    static final int CLIENT_MAXIMUM_PACKET_SIZE = 1024 * 1024;
    /** How often {@link #subscribe} tries when the broker closes the connection instead of answering. */
    private static final int SUBSCRIBE_ATTEMPTS = 5;

    private final BrokerRow row;
    private final String scenario;
    private final List<MqttClient> open = new ArrayList<>();
    private final Completions completions = new Completions();

    Clients(BrokerRow row, String scenario) {
        this.row = row;
        this.scenario = scenario;
    }

    /** @return a topic unique to this row and scenario, e.g. "interop/mosquitto-5/retained/a" */
    String topic(String suffix) {
        return "interop/" + row.slug() + "/" + scenario + "/" + suffix;
    }

    /** @return the publish outcomes of every client this object built */
    Completions completions() {
        return completions;
    }

    /** Builds, connects and keeps a client named after the row, the scenario and {@code name}. */
    MqttClient connect(String name) throws MqttException {
        return connect(name, UnaryOperator.identity());
    }

    /** As {@link #connect(String)}, with extra builder settings (will, session). */
    MqttClient connect(String name, UnaryOperator<MqttClientBuilder> settings) throws MqttException {
        return connect(name, row.uri(), settings);
    }

    /**
     * As {@link #connect(String, UnaryOperator)}, to another address (e.g. a fault proxy before the broker, see
     * {@link BrokerRow#uri(int)}); a TLS row's trust settings apply there too.
     */
    MqttClient connect(String name, String uri, UnaryOperator<MqttClientBuilder> settings) throws MqttException {
        final MqttClientBuilder builder = MqttClient.builder()
                .server(uri)
                .clientId(row.slug() + "-" + scenario + "-" + name)
                .protocolVersion(row.requested())
                .connectTimeout(WAIT_S, TimeUnit.SECONDS)
                .maximumPacketSize(CLIENT_MAXIMUM_PACKET_SIZE + 64 * 1024)
                .topicAliasMaximum(16)
                .publishListener(completions);
        if (row.tls() != null) {
            builder.tls(row.tls());
        }
        final MqttClient client = settings.apply(builder).build();
        open.add(client);
        client.connect();
        return client;
    }

    /**
     * Subscribes and waits for the SUBACK. A broker that closes the connection instead of answering (Moquette
     * 0.17 now and then drops a SUBSCRIBE that follows its CONNACK at once, as "received on already closed
     * connection") is met as an application would: reconnect and subscribe again, up to
     * {@link #SUBSCRIBE_ATTEMPTS} times, with a warning in the log each time. Once was not always enough: the
     * reconnect can meet the same race. The matrix stays a record of features, not of such timing races.
     *
     * @return the SUBACK reason code (granted QoS, or 0x80 and above)
     */
    int subscribe(MqttClient client, String filter, QoS qos, Inbox inbox) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.subscribe(filter, qos, inbox).get(WAIT_S, TimeUnit.SECONDS);
            } catch (MqttException e) {
                if (client.isConnected() || attempt >= SUBSCRIBE_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("{} closed the connection instead of answering SUBSCRIBE {} ({}); reconnecting and "
                        + "retrying (attempt {} of {})", row.broker(), filter, e.getMessage(), attempt + 1,
                        SUBSCRIBE_ATTEMPTS);
                reconnect(client, attempt);
            }
        }
    }

    /** Connects again; a refusal is logged and left to the next attempt, whose SUBSCRIBE then fails too. */
    private void reconnect(MqttClient client, int attempt) {
        if (client.isConnected()) {
            return;
        }
        try {
            client.connect();
        } catch (MqttException e) {
            LOG.warn("{} refused the reconnect before SUBSCRIBE attempt {}: {}", row.broker(), attempt + 1,
                    e.getMessage());
        }
    }

    /** @return the SUBACK code as the matrix quotes it, e.g. "SUBACK 0x80 Unspecified error" */
    static String suback(int code) {
        return "SUBACK " + ReasonCode.describe(code);
    }

    @Override
    public void close() throws MqttException {
        MqttException first = null;
        for (MqttClient client : open) {
            try {
                client.close();
            } catch (MqttException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
