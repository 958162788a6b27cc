package io.pipit.mqtt.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.client.ConnectionListener;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.testing.FaultProxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Connection-level scenarios: connect (and what CONNACK announced), will, persistent session resume. */
final class SessionScenarios {
    private final BrokerRow row;

    SessionScenarios(BrokerRow row) {
        this.row = row;
    }

    /** @return the highest QoS up to 1 the connected broker accepts: the reliable level for set-up traffic */
    static QoS reliableQos(MqttClient client) {
        return QoS.of(Math.min(1, client.serverCapabilities().maximumQos()));
    }

    Outcome connect() throws Exception {
        try (Clients clients = new Clients(row, "connect")) {
            final MqttClient client = clients.connect("c");
            assertTrue(client.isConnected(), "connected after connect()");
            final ProtocolVersion negotiated = client.protocolVersion();
            final String version = negotiated.isMqtt5() ? "MQTT 5" : "MQTT 3.1.1";
            InteropMatrix.connected(row, version, client.serverCapabilities().toString());
            return row.requested().isMqtt5() && !negotiated.isMqtt5()
                    ? Outcome.pass("3.1.1 by automatic fallback") : Outcome.pass();
        }
    }

    /**
     * The will is published when the connection dies without DISCONNECT: a fault proxy cuts it. The proxy forwards
     * TCP bytes, so on a TLS or WebSocket row the client's TLS session and WebSocket upgrade pass through it to the
     * broker unchanged.
     */
    Outcome will() throws Exception {
        try (Clients clients = new Clients(row, "will"); FaultProxy proxy = FaultProxy.start("127.0.0.1", row.port())) {
            final String topic = clients.topic("last-words");
            final MqttClient watcher = clients.connect("watcher");
            final QoS qos = reliableQos(watcher);
            final Inbox inbox = new Inbox();
            final int granted = clients.subscribe(watcher, topic, qos, inbox);
            assertTrue(!ReasonCode.isError(granted), () -> "subscribing to the will topic: " + Clients.suback(granted));
            final byte[] words = "gone".getBytes(StandardCharsets.UTF_8);
            final MqttClient dying = clients.connect("dying", row.uri(proxy.port()),
                    b -> b.will(topic, words, qos.value(), false));
            assertTrue(dying.isConnected(), "the client with a will connected through the proxy");
            proxy.cut();
            final Inbox.Received will = inbox.next("carrying the will", Clients.WAIT_S);
            assertEquals("gone", will.text());
            return Outcome.pass();
        }
    }

    /**
     * A subscriber with a persistent session goes away; a message published meanwhile is delivered when it comes
     * back, and CONNACK says Session Present.
     */
    Outcome sessionResume() throws Exception {
        try (Clients clients = new Clients(row, "session")) {
            final String topic = clients.topic("mailbox");
            final AtomicReference<Boolean> sessionPresent = new AtomicReference<>();
            final MqttClient keeper = clients.connect("keeper", b -> b.cleanStart(false)
                    .sessionExpiry(300, TimeUnit.SECONDS)
                    .connectionListener(new ConnectionListener() {
                        @Override
                        public void onConnected(boolean present) {
                            sessionPresent.set(present);
                        }
                    }));
            final QoS qos = reliableQos(keeper);
            final Inbox inbox = new Inbox();
            final int granted = clients.subscribe(keeper, topic, qos, inbox);
            assertTrue(!ReasonCode.isError(granted), () -> "subscribing: " + Clients.suback(granted));
            keeper.disconnect();

            final MqttClient publisher = clients.connect("publisher");
            clients.completions().awaitSuccess(publisher.publish(topic, bytes("while you were away"), qos),
                    Clients.WAIT_S);

            keeper.connect();
            assertEquals(Boolean.TRUE, sessionPresent.get(), "CONNACK Session Present after Clean Start 0");
            assertEquals("while you were away", inbox.next("queued for the session", Clients.WAIT_S).text());
            // end the session on the broker (MQTT 5); a 3.1.1 session ends with the broker
            keeper.disconnect(ReasonCode.NORMAL_DISCONNECTION, keeper.protocolVersion().isMqtt5() ? 0 : -1);
            return Outcome.pass();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
