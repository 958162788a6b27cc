package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A broker asked for in a static {@code @BeforeAll} serves the whole class. */
@MockBrokerTest
class MockBrokerExtensionSharedTest {
    private static MockBroker shared;

    @BeforeAll
    static void start(MockBroker broker) {
        shared = broker;
    }

    @Test
    void shouldReuseTheClassBroker(MockBroker broker) {
        assertSame(shared, broker);
    }

    @Test
    void shouldReuseItAgain(MockBroker broker) {
        assertSame(shared, broker);
    }

    @AfterAll
    static void stillOpen() {
        assertEquals(java.util.Set.of(), shared.connectedClients());
    }
}
