package io.pipit.mqtt.interop;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.interop.BrokerRow.Transport;
import io.pipit.mqtt.testing.ArtemisBroker;
import io.pipit.mqtt.testing.HiveMqBroker;
import io.pipit.mqtt.testing.MoquetteBroker;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.RabbitMqBroker;
import io.pipit.mqtt.transport.TestPki;
import io.pipit.mqtt.transport.TlsOptions;
import io.pipit.testkit.MockBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interoperability suite: the same scenarios against every broker row, each broker started by the test on a
 * free loopback port. Results go to {@link InteropMatrix}, which writes {@code docs/interop.md}. A scenario that
 * fails fails the build and shows as "fail" in the matrix; one the broker declines (by its CONNACK or SUBACK)
 * passes and shows the broker's answer.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("rows")
class InteropTest {
    /** Debian's brokers, named with the version installed; the embedded ones are fixed by the build. */
    private static final String MOSQUITTO = InstalledBrokers.mosquitto();
    private static final String RABBITMQ = InstalledBrokers.rabbitMq();
    private static final List<BrokerRow> ROWS = List.of(
            new BrokerRow(MOSQUITTO, ProtocolVersion.MQTT_5, InteropTest::mosquitto),
            new BrokerRow(MOSQUITTO, ProtocolVersion.MQTT_3_1_1, InteropTest::mosquitto),
            new BrokerRow("HiveMQ CE 2025.5", ProtocolVersion.MQTT_5, () -> {
                final HiveMqBroker broker = HiveMqBroker.start();
                return new BrokerRow.Running(broker.port(), broker);
            }),
            new BrokerRow("ActiveMQ Artemis 2.41.0", ProtocolVersion.MQTT_5, InteropTest::artemis),
            new BrokerRow("ActiveMQ Artemis 2.41.0", ProtocolVersion.MQTT_3_1_1, InteropTest::artemis),
            new BrokerRow("Moquette 0.17", ProtocolVersion.MQTT_5, () -> {
                final MoquetteBroker broker = MoquetteBroker.start();
                return new BrokerRow.Running(broker.port(), broker);
            }),
            new BrokerRow(RABBITMQ, ProtocolVersion.MQTT_5, () -> {
                final RabbitMqBroker broker = RabbitMqBroker.startOrSkip();
                return new BrokerRow.Running(broker.port(), broker);
            }),
            new BrokerRow("pipit MockBroker", ProtocolVersion.MQTT_5, () -> {
                final MockBroker broker = MockBroker.start();
                return new BrokerRow.Running(broker.port(), broker);
            }),
            new BrokerRow(MOSQUITTO, Transport.TLS, ProtocolVersion.MQTT_5, InteropTest::mosquittoTls),
            new BrokerRow("HiveMQ CE 2025.5", Transport.WEBSOCKET, ProtocolVersion.MQTT_5, () -> {
                final HiveMqBroker broker = HiveMqBroker.start();
                return new BrokerRow.Running(broker.websocketPort(), broker);
            }),
            new BrokerRow("ActiveMQ Artemis 2.41.0", Transport.WEBSOCKET, ProtocolVersion.MQTT_5,
                    InteropTest::artemis),
            new BrokerRow("ActiveMQ Artemis 2.41.0", Transport.WEBSOCKET_TLS, ProtocolVersion.MQTT_5,
                    InteropTest::artemisTls));
    private static final String KEY_STORE_PASSWORD = "changeit";

    private final BrokerRow row;
    private final SessionScenarios sessions;
    private final MessagingScenarios messaging;

    InteropTest(BrokerRow row) {
        this.row = row;
        this.sessions = new SessionScenarios(row);
        this.messaging = new MessagingScenarios(row);
    }

    static List<BrokerRow> rows() {
        return ROWS;
    }

    private static BrokerRow.Running mosquitto() {
        final MosquittoBroker broker = MosquittoBroker.startOrSkip();
        return new BrokerRow.Running(broker.port(), broker);
    }

    private static BrokerRow.Running artemis() {
        final ArtemisBroker broker = ArtemisBroker.start();
        return new BrokerRow.Running(broker.port(), broker);
    }

    /** mosquitto with a TLS listener serving a test-time certificate for 127.0.0.1 from a test-time CA. */
    private static BrokerRow.Running mosquittoTls() {
        final TestPki.Identity ca = TestPki.ca("interop test CA");
        final Path directory = temporaryDirectory("interop-mosquitto-tls");
        final Path[] server = TestPki.localhost(ca).write(directory, "server");
        final Path caFile = ca.write(directory, "ca")[0];
        final MosquittoBroker broker;
        try {
            broker = MosquittoBroker.builder()
                    .config("cafile " + caFile)
                    .config("certfile " + server[0])
                    .config("keyfile " + server[1])
                    .startOrSkip();
        } catch (RuntimeException | Error e) {
            deleteRecursively(directory);
            throw e;
        }
        return new BrokerRow.Running(broker.port(), () -> {
            try {
                broker.close();
            } finally {
                deleteRecursively(directory);
            }
        }, trusting(ca));
    }

    /** Artemis whose one acceptor speaks TLS (and WebSocket over TLS) with a test-time certificate. */
    private static BrokerRow.Running artemisTls() {
        final TestPki.Identity ca = TestPki.ca("interop test CA");
        final Path directory = temporaryDirectory("interop-artemis-tls");
        final Path keyStore = directory.resolve("server.p12");
        final ArtemisBroker broker;
        try {
            try (OutputStream out = Files.newOutputStream(keyStore)) {
                TestPki.localhost(ca).pkcs12(KEY_STORE_PASSWORD.toCharArray())
                        .store(out, KEY_STORE_PASSWORD.toCharArray());
            }
            broker = ArtemisBroker.startWithTls(keyStore, KEY_STORE_PASSWORD);
        } catch (IOException | GeneralSecurityException e) {
            deleteRecursively(directory);
            throw new IllegalStateException("cannot write the Artemis key store", e);
        } catch (RuntimeException | Error e) {
            deleteRecursively(directory);
            throw e;
        }
        return new BrokerRow.Running(broker.port(), () -> {
            try {
                broker.close();
            } finally {
                deleteRecursively(directory);
            }
        }, trusting(ca));
    }

    private static TlsOptions trusting(TestPki.Identity ca) {
        return TlsOptions.builder().trustPem(ca.certificatePem()).build();
    }

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeParameterizedClassInvocation
    static void startBroker(BrokerRow row) {
        row.start();
    }

    /**
     * Stops the row's broker and rewrites the matrix. Under CI=true, a verdict in the committed docs/interop.md
     * that differs from what the suite just found (a cell that passed now fails, a broker that now declines a
     * feature, a row that negotiates another version) fails the build; a detail that differs (a payload size, a
     * value a broker announced) does not, since it records what a live broker did on this machine.
     */
    @AfterParameterizedClassInvocation
    static void stopBroker(BrokerRow row) throws Exception {
        try {
            row.close();
        } finally {
            final List<String> changes = InteropMatrix.write(ROWS.size());
            if (!changes.isEmpty() && "true".equals(System.getenv("CI"))) {
                throw new AssertionError("docs/interop.md states other verdicts than this run found; the suite "
                        + "rewrote it: review and commit the new one. Changes:\n  " + String.join("\n  ", changes));
            }
        }
    }

    /** Runs one scenario, records its cell, and rethrows a failure so the build fails too. */
    private void scenario(Feature feature, Scenario body) throws Exception {
        try {
            InteropMatrix.record(row, feature, body.run().cell());
        } catch (Exception | AssertionError e) {
            final String message = String.valueOf(e.getMessage());
            InteropMatrix.record(row, feature, "FAIL: " + message.split("\n")[0]);
            throw e;
        }
    }

    @FunctionalInterface
    private interface Scenario {
        Outcome run() throws Exception;
    }

    @Test
    void shouldConnect() throws Exception {
        scenario(Feature.CONNECT, sessions::connect);
    }

    @Test
    void shouldPublishAndReceiveAtQos0() throws Exception {
        scenario(Feature.QOS_0, () -> messaging.qos(0));
    }

    @Test
    void shouldPublishAndReceiveAtQos1() throws Exception {
        scenario(Feature.QOS_1, () -> messaging.qos(1));
    }

    @Test
    void shouldPublishAndReceiveAtQos2() throws Exception {
        scenario(Feature.QOS_2, () -> messaging.qos(2));
    }

    @Test
    void shouldDeliverRetainedMessageToLateSubscriber() throws Exception {
        scenario(Feature.RETAINED, messaging::retained);
    }

    @Test
    void shouldPublishWillWhenConnectionDies() throws Exception {
        scenario(Feature.WILL, sessions::will);
    }

    @Test
    void shouldResumePersistentSession() throws Exception {
        scenario(Feature.SESSION_RESUME, sessions::sessionResume);
    }

    @Test
    void shouldStopDeliveringAfterUnsubscribe() throws Exception {
        scenario(Feature.UNSUBSCRIBE, messaging::unsubscribe);
    }

    @Test
    void shouldMatchWildcardFilters() throws Exception {
        scenario(Feature.WILDCARDS, messaging::wildcards);
    }

    @Test
    void shouldShareMessagesInGroup() throws Exception {
        scenario(Feature.SHARED, messaging::shared);
    }

    @Test
    void shouldRoundTripPayloadNearMaximumPacketSize() throws Exception {
        scenario(Feature.LARGE_PAYLOAD, messaging::largePayload);
    }

    @Test
    void shouldDeliverBurstCompleteAndInOrder() throws Exception {
        scenario(Feature.BURST, messaging::burst);
    }
}
