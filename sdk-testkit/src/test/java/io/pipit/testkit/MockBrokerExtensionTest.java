package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit 5 extension: per-test and per-class brokers, configuration, closing. */
class MockBrokerExtensionTest {

    @Nested
    @MockBrokerTest
    class PerTest {
        @Test
        void shouldInjectTheSameBrokerIntoAllParametersOfATest(MockBroker a, MockBroker b) {
            assertSame(a, b);
        }

        @Test
        void shouldStartARunningBroker(MockBroker broker) throws Exception {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", broker.port())) {
                assertEquals(broker.port(), s.getPort());
            }
        }
    }

    @Nested
    class Configured {
        @RegisterExtension
        final MockBrokerExtension extension = MockBrokerExtension.configured(b -> b.receiveMaximum(7));

        @Test
        void shouldApplyTheConfiguration(MockBroker broker) throws Exception {
            try (RawClient c = new RawClient(broker.port(), io.pipit.mqtt.ProtocolVersion.MQTT_5)) {
                c.send(new io.pipit.mqtt.codec.ConnectEncoder().clientId("x")::encode);
                assertEquals(7, c.expect(io.pipit.mqtt.codec.PacketType.CONNACK).connack().properties()
                        .number(io.pipit.mqtt.codec.Property.RECEIVE_MAXIMUM, -1));
            }
        }
    }

    @Nested
    @MockBrokerTest
    class SharedAcrossTheClass {
        // A class-wide broker needs a static @BeforeAll, which nested classes cannot have on Java 11 sources:
        // MockBrokerExtensionSharedTest covers it.
        @Test
        void shouldWork(MockBroker broker) {
            assertEquals("tcp://127.0.0.1:" + broker.port(), broker.uri());
        }
    }
}
