package io.pipit.mqtt.transport;

import static io.pipit.mqtt.transport.TlsSupport.broker;
import static io.pipit.mqtt.transport.TlsSupport.client;
import static io.pipit.mqtt.transport.TlsSupport.connectFailure;
import static io.pipit.mqtt.transport.TlsSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttFuture;
import io.pipit.mqtt.driver.EventLoop;
import io.pipit.mqtt.testing.MosquittoBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * MQTT over TLS through mosquitto 2.0.11 on the JDK's {@code SSLEngine}: listeners configured per test with
 * certificates made at test time; every refusal asserted by the reason it names.
 */
class TlsMosquittoTest {
    private static TestPki.Identity ca;
    private static TestPki.Identity otherCa;
    private static TestPki.Identity server;

    @TempDir
    Path directory;

    @BeforeAll
    static void makeCertificates() {
        ca = TestPki.ca("pipit test CA");
        otherCa = TestPki.ca("some other CA");
        server = TestPki.localhost(ca);
    }

    private static TlsOptions.Builder trustingCa() {
        return TlsOptions.builder().trustPem(ca.certificatePem());
    }

    /** mosquitto 2.0.11's {@code tls_version tlsv1.2} still takes 1.3, so the client insists on 1.2. */
    @Test
    void shouldConnectOverTls12() throws Exception {
        try (MosquittoBroker broker = broker(directory, ca, server, "tls_version tlsv1.2")) {
            roundTrip(client("mqtts://127.0.0.1:" + broker.port(), trustingCa().protocols("TLSv1.2").build(), "tls12"));
        }
    }

    @Test
    void shouldConnectOverTls13ByHostName() throws Exception {
        try (MosquittoBroker broker = broker(directory, ca, server, "tls_version tlsv1.3")) {
            roundTrip(client("mqtts://localhost:" + broker.port(), trustingCa().build(), "tls13"));
        }
    }

    @Test
    void shouldHandshakeOnASharedEventLoopAndInPollMode() throws Exception {
        try (MosquittoBroker broker = broker(directory, ca, server);
                EventLoop loop = new EventLoop("pipit-tls-loop")) {
            String uri = "mqtts://127.0.0.1:" + broker.port();
            roundTrip(client(uri, trustingCa().build(), "tls-loop-1").eventLoop(loop));
            roundTrip(client(uri, trustingCa().bouncyCastle().build(), "tls-loop-2").eventLoop(loop));
            AtomicInteger received = new AtomicInteger();
            try (MqttClient polled = client(uri, trustingCa().build(), "tls-poll").pollMode().build()) {
                polled.connect();  // polls through TCP connect and the TLS handshake
                MqttFuture<Integer> granted = polled.subscribe("tls/poll", QoS.AT_LEAST_ONCE,
                        message -> received.incrementAndGet());
                pollUntil(polled, granted::isDone);
                polled.publish("tls/poll", new byte[] {7}, QoS.AT_LEAST_ONCE);
                pollUntil(polled, () -> received.get() == 1);
            }
        }
    }

    private static void pollUntil(MqttClient client, BooleanSupplier condition) {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadlineNs < 0, "not done within 5 s of polling");
            client.poll(10, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void shouldOfferOnlyTheConfiguredVersion() throws Exception {
        try (MosquittoBroker broker = broker(directory, ca, server, "tls_version tlsv1.3")) {
            connectFailure(client("mqtts://127.0.0.1:" + broker.port(), trustingCa().protocols("TLSv1.2").build(),
                    "only12"), TlsException.Reason.HANDSHAKE_FAILED);
        }
    }

    @Test
    void shouldAuthenticateWithClientCertificatesInEveryKeyForm() throws Exception {
        TestPki.Identity ec = TestPki.client(ca, "device-ec", false);
        TestPki.Identity rsa = TestPki.client(ca, "device-rsa", true);
        try (MosquittoBroker broker = broker(directory, ca, server, "require_certificate true")) {
            String uri = "mqtts://127.0.0.1:" + broker.port();
            roundTrip(client(uri, trustingCa().clientCertificatePem(ec.certificatePem(), ec.pkcs8KeyPem()).build(),
                    "pkcs8-ec"));
            roundTrip(client(uri, trustingCa().clientCertificatePem(rsa.certificatePem(), rsa.pkcs8KeyPem()).build(),
                    "pkcs8-rsa"));
            roundTrip(client(uri, trustingCa().clientCertificatePem(rsa.certificatePem(), rsa.traditionalKeyPem())
                    .build(), "pkcs1-rsa"));
            roundTrip(client(uri, trustingCa().clientCertificatePem(ec.certificatePem(), ec.traditionalKeyPem())
                    .build(), "sec1-ec"));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate);
            char[] password = "device".toCharArray();
            roundTrip(client(uri, TlsOptions.builder().trustStore(trust).clientKeyStore(ec.pkcs12(password), password)
                    .build(), "key-stores"));
        }
    }

    @Test
    void shouldRefuseAClientCertificateFromAnotherCa() throws Exception {
        TestPki.Identity stranger = TestPki.client(otherCa, "stranger", false);
        try (MosquittoBroker broker = broker(directory, ca, server, "require_certificate true")) {
            String uri = "mqtts://127.0.0.1:" + broker.port();
            String message = connectFailure(client(uri, trustingCa()
                    .clientCertificatePem(stranger.certificatePem(), stranger.pkcs8KeyPem()).build(), "stranger"),
                    TlsException.Reason.CLIENT_CERTIFICATE_REJECTED);
            assertTrue(message.contains("our client certificate"), message);
            message = connectFailure(client(uri, trustingCa().build(), "no-cert"),
                    TlsException.Reason.CLIENT_CERTIFICATE_REJECTED);
            assertTrue(message.contains("without a client certificate"), message);
        }
    }

    @Test
    void shouldRefuseACertificateForAnotherHostListingItsNames() throws Exception {
        TestPki.Identity elsewhere = TestPki.server(ca, "broker.example.com", -1, 365,
                new GeneralName(GeneralName.dNSName, "broker.example.com"),
                new GeneralName(GeneralName.iPAddress, "10.1.2.3"));
        try (MosquittoBroker broker = broker(directory, ca, elsewhere)) {
            String message = connectFailure(client("mqtts://127.0.0.1:" + broker.port(), trustingCa().build(),
                    "wrong-host"), TlsException.Reason.HOSTNAME_MISMATCH);
            assertTrue(message.contains("[DNS:broker.example.com, IP:10.1.2.3], not for '127.0.0.1'"), message);
        }
    }

    @Test
    void shouldSkipTheHostnameCheckOnlyWhenExplicitlyInsecure() throws Exception {
        TestPki.Identity elsewhere = TestPki.server(ca, "broker.example.com", -1, 365,
                new GeneralName(GeneralName.dNSName, "broker.example.com"));
        Logger logger = (Logger) LoggerFactory.getLogger(TlsTransport.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        logger.addAppender(warnings);
        try (MosquittoBroker broker = broker(directory, ca, elsewhere)) {
            roundTrip(client("mqtts://127.0.0.1:" + broker.port(),
                    trustingCa().insecureDisableHostnameVerification().build(), "insecure"));
        } finally {
            logger.detachAppender(warnings);
        }
        assertTrue(warnings.list.stream().anyMatch(event -> event.getLevel() == Level.WARN
                && event.getFormattedMessage().startsWith("INSECURE: host name verification is off")),
                "a warning at connect: " + warnings.list);
    }

    @Test
    void shouldRefuseAServerFromAnUntrustedCa() throws Exception {
        try (MosquittoBroker broker = broker(directory, ca, server)) {
            String message = connectFailure(client("mqtts://127.0.0.1:" + broker.port(),
                    TlsOptions.builder().trustPem(otherCa.certificatePem()).build(), "untrusted"),
                    TlsException.Reason.UNTRUSTED_ISSUER);
            assertTrue(message.contains("not issued by a trusted CA"), message);
            // and the system trust store does not know a private CA either: secure by default
            connectFailure(client("mqtts://127.0.0.1:" + broker.port(), TlsOptions.defaults(), "system"),
                    TlsException.Reason.UNTRUSTED_ISSUER);
        }
    }

    @Test
    void shouldRefuseAnExpiredServerCertificate() throws Exception {
        TestPki.Identity expired = TestPki.server(ca, "localhost", -30, -1,
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        try (MosquittoBroker broker = broker(directory, ca, expired)) {
            String message = connectFailure(client("mqtts://127.0.0.1:" + broker.port(), trustingCa().build(),
                    "expired"), TlsException.Reason.EXPIRED);
            assertTrue(message.contains("expired on"), message);
        }
    }

    @Test
    void shouldAcceptAMatchingPinAndRefuseAnyOther() throws Exception {
        try (MosquittoBroker broker = broker(directory, ca, server)) {
            String uri = "mqtts://127.0.0.1:" + broker.port();
            roundTrip(client(uri, trustingCa().pinSha256(TestPki.pin(server.certificate)).build(), "pinned"));
            String message = connectFailure(client(uri, trustingCa().pinSha256(TestPki.pin(otherCa.certificate))
                    .build(), "mispinned"), TlsException.Reason.PIN_MISMATCH);
            assertTrue(message.contains(TestPki.pin(server.certificate)), message);
        }
    }

    @Test
    void shouldNameAPlaintextServerOnATlsUri() throws Exception {
        try (MosquittoBroker plain = MosquittoBroker.startOrSkip()) {
            String message = connectFailure(client("mqtts://127.0.0.1:" + plain.port(), trustingCa().build(),
                    "plaintext"), TlsException.Reason.NOT_TLS);
            assertTrue(message.contains("plaintext"), message);
        }
    }

    @Test
    void shouldTimeOutAHandshakeThatNeverCompletes() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket accepted = silent.accept()) {
                    accepted.getInputStream().read(new byte[4096]);  // swallow the ClientHello, answer nothing
                    Thread.sleep(10_000);
                } catch (IOException | InterruptedException e) {
                    // the test closed the socket: done
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
            // The reason says which timer ended it: the handshake's 300 ms, not the 5 s connect timeout (which
            // would be a connect failure without HANDSHAKE_TIMEOUT). No wall-clock bound: that is the machine's.
            String message = connectFailure(client("mqtts://127.0.0.1:" + silent.getLocalPort(),
                    trustingCa().handshakeTimeout(300, TimeUnit.MILLISECONDS).build(), "silent"),
                    TlsException.Reason.HANDSHAKE_TIMEOUT);
            assertTrue(message.contains("within 300 ms"), message);
            acceptor.interrupt();
        }
    }
}
