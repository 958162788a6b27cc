package io.pipit.mqtt.transport;

import static io.pipit.mqtt.transport.TlsSupport.broker;
import static io.pipit.mqtt.transport.TlsSupport.client;
import static io.pipit.mqtt.transport.TlsSupport.connectFailure;
import static io.pipit.mqtt.transport.TlsSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.testing.MosquittoBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over TLS on BouncyCastle through mosquitto 2.0.11: TLS-PSK listeners ({@code psk_hint}, {@code psk_file})
 * with TLS 1.2 PSK suites and TLS 1.3 external PSK, and X.509 server authentication with the same checks as on
 * the JDK, with and without a client certificate.
 */
class BcTlsMosquittoTest {
    private static final byte[] KEY = hex("00112233445566778899aabbccddeeff");
    private static TestPki.Identity ca;
    private static TestPki.Identity server;

    @TempDir
    Path directory;

    @BeforeAll
    static void makeCertificates() {
        ca = TestPki.ca("pipit test CA");
        server = TestPki.localhost(ca);
    }

    private MosquittoBroker pskBroker(String tlsVersion) throws IOException {
        Path pskFile = Files.write(directory.resolve("psk.txt"),
                "device-1:00112233445566778899aabbccddeeff\n".getBytes(StandardCharsets.US_ASCII));
        return MosquittoBroker.builder()
                .config("psk_hint pipit")
                .config("psk_file " + pskFile)
                .config("tls_version " + tlsVersion)
                .startOrSkip();
    }

    /** mosquitto 2.0.11's {@code tls_version tlsv1.2} still takes 1.3, so the client insists on 1.2. */
    @Test
    void shouldConnectWithPskOverTls12() throws Exception {
        try (MosquittoBroker broker = pskBroker("tlsv1.2")) {
            roundTrip(client("mqtts://127.0.0.1:" + broker.port(), TlsOptions.builder().psk("device-1", KEY)
                    .protocols("TLSv1.2").build(), "psk12"));
        }
    }

    @Test
    void shouldConnectWithExternalPskOverTls13() throws Exception {
        try (MosquittoBroker broker = pskBroker("tlsv1.3")) {
            roundTrip(client("mqtts://127.0.0.1:" + broker.port(), TlsOptions.builder().psk("device-1", KEY).build(),
                    "psk13"));
        }
    }

    @Test
    void shouldNameARefusedPreSharedKey() throws Exception {
        byte[] wrong = KEY.clone();
        wrong[0] ^= 1;
        try (MosquittoBroker broker = pskBroker("tlsv1.2")) {
            String uri = "mqtts://127.0.0.1:" + broker.port();
            String message = connectFailure(client(uri, TlsOptions.builder().psk("device-1", wrong).build(), "bad-key"),
                    TlsException.Reason.PSK_REJECTED);
            assertTrue(message.contains("identity 'device-1'"), message);
            connectFailure(client(uri, TlsOptions.builder().psk("device-1", wrong).protocols("TLSv1.2").build(),
                    "bad-key-12"), TlsException.Reason.PSK_REJECTED);
            connectFailure(client(uri, TlsOptions.builder().psk("nobody", KEY).build(), "bad-identity"),
                    TlsException.Reason.PSK_REJECTED);
        }
    }

    @Test
    void shouldAuthenticateTheServerByCertificateOverTls13AndTls12() throws Exception {
        try (MosquittoBroker broker = broker(directory, ca, server)) {
            String uri = "mqtts://127.0.0.1:" + broker.port();
            roundTrip(client(uri, TlsOptions.builder().bouncyCastle().trustPem(ca.certificatePem()).build(), "bc13"));
            roundTrip(client(uri, TlsOptions.builder().bouncyCastle().trustPem(ca.certificatePem())
                    .protocols("TLSv1.2").build(), "bc12"));
        }
    }

    @Test
    void shouldAuthenticateWithClientCertificatesOverTls13AndTls12() throws Exception {
        TestPki.Identity ec = TestPki.client(ca, "bc-device-ec", false);
        TestPki.Identity rsa = TestPki.client(ca, "bc-device-rsa", true);
        TestPki.Identity stranger = TestPki.client(TestPki.ca("some other CA"), "stranger", false);
        try (MosquittoBroker broker = broker(directory, ca, server, "require_certificate true")) {
            String uri = "mqtts://127.0.0.1:" + broker.port();
            for (String version : new String[] {"TLSv1.3", "TLSv1.2"}) {
                roundTrip(client(uri, TlsOptions.builder().bouncyCastle().trustPem(ca.certificatePem()).protocols(version)
                        .clientCertificatePem(ec.certificatePem(), ec.pkcs8KeyPem()).build(), "bc-ec-" + version));
                roundTrip(client(uri, TlsOptions.builder().bouncyCastle().trustPem(ca.certificatePem()).protocols(version)
                        .clientCertificatePem(rsa.certificatePem(), rsa.traditionalKeyPem()).build(), "bc-rsa-" + version));
            }
            String message = connectFailure(client(uri, TlsOptions.builder().bouncyCastle()
                    .trustPem(ca.certificatePem()).clientCertificatePem(stranger.certificatePem(), stranger.pkcs8KeyPem())
                    .build(), "bc-stranger"), TlsException.Reason.CLIENT_CERTIFICATE_REJECTED);
            assertTrue(message.contains("our client certificate"), message);
        }
    }

    @Test
    void shouldRefuseAnUntrustedServerWithTheSameReasonAsTheJdk() throws Exception {
        TestPki.Identity otherCa = TestPki.ca("some other CA");
        try (MosquittoBroker broker = broker(directory, ca, server)) {
            String message = connectFailure(client("mqtts://localhost:" + broker.port(),
                    TlsOptions.builder().bouncyCastle().trustPem(otherCa.certificatePem()).build(), "bc-untrusted"),
                    TlsException.Reason.UNTRUSTED_ISSUER);
            assertTrue(message.contains("not issued by a trusted CA"), message);
        }
    }

    private static byte[] hex(String text) {
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
