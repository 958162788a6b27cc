package io.pipit.mqtt.transport;

import static io.pipit.mqtt.transport.TlsSupport.client;
import static io.pipit.mqtt.transport.TlsSupport.roundTrip;

import io.pipit.mqtt.testing.ConnectProxy;
import io.pipit.mqtt.testing.HiveMqBroker;
import io.pipit.mqtt.testing.QosRoundTrip;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT over TLS through HiveMQ CE embedded (a Netty/JDK TLS server), on both TLS providers. */
class TlsHiveMqTest {
    private static final String PASSWORD = "changeit";
    private static TestPki.Identity ca;
    private static HiveMqBroker broker;

    @BeforeAll
    static void startBroker(@TempDir Path directory) throws Exception {
        ca = TestPki.ca("hivemq test CA");
        Path keyStore = directory.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            TestPki.localhost(ca).pkcs12(PASSWORD.toCharArray()).store(out, PASSWORD.toCharArray());
        }
        broker = HiveMqBroker.startWithTls(keyStore, PASSWORD);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldExchangeMessagesOverJdkTls() throws Exception {
        roundTrip(client("mqtts://localhost:" + broker.tlsPort(), TlsOptions.builder().trustPem(ca.certificatePem())
                .build(), "hivemq-jdk"));
        roundTrip(client("mqtts://127.0.0.1:" + broker.tlsPort(), TlsOptions.builder().trustPem(ca.certificatePem())
                .protocols("TLSv1.2").build(), "hivemq-jdk12"));
    }

    @Test
    void shouldExchangeMessagesAtEveryQosOverWebSocketOverTls() throws Exception {
        TlsOptions tls = TlsOptions.builder().trustPem(ca.certificatePem()).build();
        String uri = "wss://localhost:" + broker.tlsWebsocketPort() + "/mqtt";
        QosRoundTrip.everyQos(client(uri, tls, "hivemq-wss-sub"), client(uri, tls, "hivemq-wss-pub"), "wss");
    }

    @Test
    void shouldRunWebSocketOverTlsThroughAnHttpProxy() throws Exception {
        TlsOptions tls = TlsOptions.builder().trustPem(ca.certificatePem()).build();
        String uri = "wss://localhost:" + broker.tlsWebsocketPort() + "/mqtt";
        try (ConnectProxy proxy = ConnectProxy.start()) {
            WebSocketOptions ws = WebSocketOptions.builder().proxy("127.0.0.1", proxy.port(), null).build();
            QosRoundTrip.everyQos(client(uri, tls, "hivemq-wssp-sub").webSocket(ws),
                    client(uri, tls, "hivemq-wssp-pub").webSocket(ws), "wss-proxied");
        }
    }

    @Test
    void shouldExchangeMessagesOverBouncyCastleTls() throws Exception {
        roundTrip(client("mqtts://127.0.0.1:" + broker.tlsPort(), TlsOptions.builder().bouncyCastle()
                .trustPem(ca.certificatePem()).build(), "hivemq-bc"));
    }
}
