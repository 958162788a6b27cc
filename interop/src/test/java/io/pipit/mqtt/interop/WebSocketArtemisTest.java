package io.pipit.mqtt.interop;

import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.testing.ArtemisBroker;
import io.pipit.mqtt.testing.QosRoundTrip;
import io.pipit.mqtt.transport.TestPki;
import io.pipit.mqtt.transport.TlsOptions;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT over {@code ws://} and {@code wss://} through ActiveMQ Artemis's MQTT acceptor, which takes upgrades too. */
class WebSocketArtemisTest {
    private static final String PASSWORD = "changeit";

    private static MqttClientBuilder client(String uri, String clientId) {
        return MqttClient.builder().server(uri).clientId(clientId).connectTimeout(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldExchangeMessagesAtEveryQosOverWebSocket() throws Exception {
        try (ArtemisBroker broker = ArtemisBroker.start()) {
            String uri = "ws://127.0.0.1:" + broker.port() + "/mqtt";
            QosRoundTrip.everyQos(client(uri, "artemis-ws-sub"), client(uri, "artemis-ws-pub"), "ws");
        }
    }

    @Test
    void shouldExchangeMessagesAtEveryQosOverWebSocketOverTls(@TempDir Path directory) throws Exception {
        TestPki.Identity ca = TestPki.ca("artemis test CA");
        Path keyStore = directory.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            TestPki.localhost(ca).pkcs12(PASSWORD.toCharArray()).store(out, PASSWORD.toCharArray());
        }
        TlsOptions tls = TlsOptions.builder().trustPem(ca.certificatePem()).build();
        try (ArtemisBroker broker = ArtemisBroker.startWithTls(keyStore, PASSWORD)) {
            String uri = "wss://localhost:" + broker.port() + "/mqtt";
            QosRoundTrip.everyQos(client(uri, "artemis-wss-sub").tls(tls), client(uri, "artemis-wss-pub").tls(tls),
                    "wss");
        }
    }
}
