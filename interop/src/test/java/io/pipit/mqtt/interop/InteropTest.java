package io.pipit.mqtt.interop;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.testing.ArtemisBroker;
import io.pipit.mqtt.testing.HiveMqBroker;
import io.pipit.mqtt.testing.MoquetteBroker;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.RabbitMqBroker;
import io.pipit.testkit.MockBroker;
import java.util.List;
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
    private static final List<BrokerRow> ROWS = List.of(
            new BrokerRow("mosquitto 2.0.11", ProtocolVersion.MQTT_5, InteropTest::mosquitto),
            new BrokerRow("mosquitto 2.0.11", ProtocolVersion.MQTT_3_1_1, InteropTest::mosquitto),
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
            new BrokerRow("RabbitMQ 3.10", ProtocolVersion.MQTT_5, () -> {
                final RabbitMqBroker broker = RabbitMqBroker.startOrSkip();
                return new BrokerRow.Running(broker.port(), broker);
            }),
            new BrokerRow("pipit MockBroker", ProtocolVersion.MQTT_5, () -> {
                final MockBroker broker = MockBroker.start();
                return new BrokerRow.Running(broker.port(), broker);
            }));

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

    @BeforeParameterizedClassInvocation
    static void startBroker(BrokerRow row) {
        row.start();
    }

    /**
     * Stops the row's broker and rewrites the matrix. Under CI=true, a committed docs/interop.md that differs from
     * what the suite just found fails the build: the committed matrix is always the current one.
     */
    @AfterParameterizedClassInvocation
    static void stopBroker(BrokerRow row) throws Exception {
        try {
            row.close();
        } finally {
            if (InteropMatrix.write(ROWS.size()) && "true".equals(System.getenv("CI"))) {
                throw new AssertionError("docs/interop.md was not current; the suite rewrote it: commit the new one");
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
