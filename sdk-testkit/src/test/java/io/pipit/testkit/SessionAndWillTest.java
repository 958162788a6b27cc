package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Persistent sessions, Session Expiry, Wills with and without delay, shared subscriptions; with Paho v5. */
class SessionAndWillTest {
    private final MockBroker broker = MockBroker.builder().maximumSessionExpiry(600).start();

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    private static MqttConnectionOptions persistent(long expirySeconds) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(expirySeconds);
        return o;
    }

    @Test
    void shouldQueueMessagesForAnOfflineSessionAndDeliverThemOnResume() throws Exception {
        try (Paho5 sub = Paho5.connect(broker, "sleepy", persistent(300))) {
            sub.client.subscribe("cmd/#", 1);
        }
        broker.awaitDisconnected("sleepy");
        assertTrue(broker.hasSession("sleepy"));
        try (Paho5 pub = Paho5.connect(broker, "pub")) {
            pub.publish("cmd/reboot", "now", 1, false);
            pub.publish("cmd/qos0", "dropped while offline", 0, false);
        }
        broker.clearRecording();
        try (Paho5 sub = Paho5.connect(broker, "sleepy", persistent(300))) {
            assertTrue(broker.awaitSent("sleepy", PacketType.CONNACK).sessionPresent());
            Paho5.Received r = sub.next();
            assertEquals("cmd/reboot", r.topic);
            assertEquals("now", r.text());
            assertNull(sub.poll(300), "QoS 0 is not queued for offline clients");
        }
    }

    @Test
    void shouldCapTheSessionExpiryAndTellTheClient() throws Exception {
        try (Paho5 c = Paho5.connect(broker, "greedy", persistent(100_000))) {
            RecordedPacket connack = broker.awaitSent("greedy", PacketType.CONNACK);
            assertEquals(600, connack.property(Property.SESSION_EXPIRY_INTERVAL, -1));
        }
    }

    @Test
    void shouldForgetTheSessionOnCleanStart() throws Exception {
        try (Paho5 sub = Paho5.connect(broker, "c", persistent(300))) {
            sub.client.subscribe("t", 1);
        }
        MqttConnectionOptions clean = new MqttConnectionOptions();
        clean.setCleanStart(true);
        try (Paho5 sub = Paho5.connect(broker, "c", clean)) {
            assertFalse(broker.awaitSent("c", PacketType.CONNACK).sessionPresent());
            assertEquals(java.util.List.of(), broker.subscriptions("c"));
        }
    }

    @Test
    void shouldPublishTheWillWhenTheConnectionIsLostButNotOnDisconnect() throws Exception {
        try (Paho5 watcher = Paho5.connect(broker, "watcher")) {
            watcher.client.subscribe("status/+", 1);
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setWill("status/dev", new MqttMessage("offline".getBytes(StandardCharsets.UTF_8), 1, false, null));
            Paho5 polite = Paho5.connect(broker, "polite", o);
            polite.close();
            assertNull(watcher.poll(300), "DISCONNECT 0x00 discards the Will");

            Paho5 dev = Paho5.connect(broker, "dev", o);
            broker.drop("dev");
            Paho5.Received will = watcher.next();
            assertEquals("status/dev", will.topic);
            assertEquals("offline", will.text());
            dev.awaitDisconnect();
            dev.client.close(true);
        }
    }

    @Test
    void shouldDelayTheWillAndCancelItWhenTheClientComesBack() throws Exception {
        try (Paho5 watcher = Paho5.connect(broker, "watcher")) {
            watcher.client.subscribe("status/+", 1);
            // 5 s: the client must be back within the delay, after Paho's connection-lost handling and a new
            // connect, which a loaded machine can stretch well past a second
            Paho5 dev = Paho5.connect(broker, "dev", withDelayedWill(5));
            long droppedNs = System.nanoTime();  // before the drop, so droppedNs + 5 s is before the Will is due
            broker.drop("dev");
            dev.awaitDisconnect();
            dev.client.close(true);
            Paho5 back = Paho5.connect(broker, "dev", withDelayedWill(1));
            RecordedPacket backIn = broker.await(p -> p.direction() == RecordedPacket.Direction.SENT
                    && p.clientId().equals("dev") && p.type() == PacketType.CONNACK, 2, Duration.ofSeconds(5),
                    "the second CONNACK to dev").get(1);
            long backMs = (backIn.timestampNs() - droppedNs) / 1_000_000;
            assertTrue(backMs < 5_000, "the test needs the client back within the Will Delay, took " + backMs + " ms");
            long dueLeftMs = (droppedNs + 5_000_000_000L - System.nanoTime()) / 1_000_000;
            assertNull(watcher.poll(Math.max(0, dueLeftMs) + 500),
                    "a client back within the Will Delay cancels the Will (watched until 0.5 s past when it was due)");

            // the new connection's Will, 1 s: timed from before the drop to the broker's record of sending it
            long secondDropNs = System.nanoTime();
            broker.drop("dev");
            back.awaitDisconnect();  // let Paho finish its connection-lost handling before closing it
            back.client.close(true);
            Paho5.Received will = watcher.next();
            assertEquals("gone", will.text());
            RecordedPacket sent = broker.await(p -> p.direction() == RecordedPacket.Direction.SENT
                    && p.clientId().equals("watcher") && p.type() == PacketType.PUBLISH, 1,
                    Duration.ofSeconds(5), "the Will sent to the watcher").get(0);
            long waitedMs = (sent.timestampNs() - secondDropNs) / 1_000_000;
            assertTrue(waitedMs >= 1_000, "the Will waited out its 1 s delay after the drop, waited " + waitedMs
                    + " ms");
        }
    }

    private static MqttConnectionOptions withDelayedWill(long delaySeconds) {
        MqttConnectionOptions o = persistent(60);
        MqttProperties willProps = new MqttProperties();
        willProps.setWillDelayInterval(delaySeconds);
        o.setWillMessageProperties(willProps);
        o.setWill("status/dev", new MqttMessage("gone".getBytes(StandardCharsets.UTF_8), 1, false, null));
        return o;
    }

    @Test
    void shouldSpreadSharedSubscriptionMessagesOverTheGroup() throws Exception {
        try (Paho5 a = Paho5.connect(broker, "worker-a"); Paho5 b = Paho5.connect(broker, "worker-b");
                Paho5 plain = Paho5.connect(broker, "plain"); Paho5 pub = Paho5.connect(broker, "pub")) {
            a.client.subscribe("$share/workers/jobs/#", 1);
            b.client.subscribe("$share/workers/jobs/#", 1);
            plain.client.subscribe("jobs/#", 1);
            for (int i = 0; i < 4; i++) {
                pub.publish("jobs/" + i, "job " + i, 1, false);
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                seen.add(a.next().text());
                seen.add(b.next().text());
            }
            assertEquals(4, seen.size(), "each job went to exactly one worker: " + seen);
            assertNull(a.poll(200));
            for (int i = 0; i < 4; i++) {
                assertEquals("job " + i, plain.next().text(), "a plain subscriber gets every message");
            }
        }
    }

    @Test
    void shouldTakeOverTheSessionOfAConnectedClient() throws Exception {
        Paho5 first = Paho5.connect(broker, "twin");
        try (Paho5 second = Paho5.connect(broker, "twin")) {
            assertEquals(0x8E, first.awaitDisconnect().getReturnCode());
            assertEquals(Set.of("twin"), broker.connectedClients());
        } finally {
            first.client.close(true);
        }
    }
}
