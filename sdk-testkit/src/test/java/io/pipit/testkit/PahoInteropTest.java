package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.codec.PacketType;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mock broker against Eclipse Paho's MQTT 5 client: routing, QoS flows, retained messages. */
class PahoInteropTest {
    private final MockBroker broker = MockBroker.start();

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    @Test
    void shouldRouteQos0And1And2BothWays() throws Exception {
        try (Paho5 sub = Paho5.connect(broker, "sub"); Paho5 pub = Paho5.connect(broker, "pub")) {
            sub.client.subscribe("tele/+/temp", 2);
            for (int qos = 0; qos <= 2; qos++) {
                pub.publish("tele/dev-" + qos + "/temp", "t" + qos, qos, false);
                Paho5.Received r = sub.next();
                assertEquals("tele/dev-" + qos + "/temp", r.topic);
                assertEquals("t" + qos, r.text());
                assertEquals(qos, r.message.getQos());
            }
            RecordedPacket p = broker.awaitPublish("tele/dev-2/#");
            assertEquals(2, p.qos());
            broker.awaitReceived("pub", PacketType.PUBREL);
            broker.awaitSent("pub", PacketType.PUBCOMP);
            broker.awaitReceived("sub", PacketType.PUBREC);
            broker.awaitReceived("sub", PacketType.PUBCOMP);
        }
    }

    @Test
    void shouldGrantTheLowerQosOfPublishAndSubscription() throws Exception {
        try (Paho5 sub = Paho5.connect(broker, "sub"); Paho5 pub = Paho5.connect(broker, "pub")) {
            sub.client.subscribe("a/#", 1);
            pub.publish("a/b", "x", 2, false);
            assertEquals(1, sub.next().message.getQos());
        }
    }

    @Test
    void shouldNotMatchDollarTopicsWithLeadingWildcards() throws Exception {
        try (Paho5 sub = Paho5.connect(broker, "sub"); Paho5 pub = Paho5.connect(broker, "pub")) {
            sub.client.subscribe("#", 0);
            sub.client.subscribe("$SYS/#", 0);
            pub.publish("$SYS/uptime", "1", 0, false);
            pub.publish("plain", "2", 0, false);
            Paho5.Received first = sub.next();
            Paho5.Received second = sub.next();
            assertEquals("$SYS/uptime", first.topic);
            assertEquals("plain", second.topic);
            assertNull(sub.poll(200), "a '#' subscription must not get $SYS/uptime a second time");
        }
    }

    @Test
    void shouldDeliverRetainedMessagesToNewSubscribersAndClearThem() throws Exception {
        try (Paho5 pub = Paho5.connect(broker, "pub")) {
            pub.publish("state/door", "open", 1, true);
            try (Paho5 sub = Paho5.connect(broker, "sub")) {
                sub.client.subscribe("state/+", 1);
                Paho5.Received r = sub.next();
                assertEquals("open", r.text());
                assertTrue(r.message.isRetained());
            }
            pub.publish("state/door", "", 1, true);
            try (Paho5 sub = Paho5.connect(broker, "sub2")) {
                sub.client.subscribe("state/+", 1);
                assertNull(sub.poll(300), "an empty retained message clears the topic");
            }
        }
    }

    @Test
    void shouldUnsubscribe() throws Exception {
        try (Paho5 sub = Paho5.connect(broker, "sub"); Paho5 pub = Paho5.connect(broker, "pub")) {
            sub.client.subscribe("x", 1);
            sub.client.unsubscribe("x");
            assertEquals(java.util.List.of(), broker.subscriptions("sub"));
            pub.publish("x", "gone", 1, false);
            assertNull(sub.poll(300));
            assertEquals(0, broker.awaitSent("sub", PacketType.UNSUBACK).reasonCode());
        }
    }

    @Test
    void shouldAnswerPingsAndAssignClientIdentifiers() throws Exception {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setKeepAliveInterval(1);
        try (Paho5 c = Paho5.connect(broker, "", options)) {
            RecordedPacket connack = broker.awaitSent("pipit-mock-1", PacketType.CONNACK);
            assertEquals("pipit-mock-1",
                    connack.stringProperty(io.pipit.mqtt.codec.Property.ASSIGNED_CLIENT_IDENTIFIER));
            broker.awaitReceived("pipit-mock-1", PacketType.PINGREQ);
            broker.awaitSent("pipit-mock-1", PacketType.PINGRESP);
            assertTrue(c.client.isConnected());
        }
        broker.awaitDisconnected("pipit-mock-1");
        assertFalse(broker.hasSession("pipit-mock-1"), "Session Expiry 0 ends the session at disconnect");
    }
}
