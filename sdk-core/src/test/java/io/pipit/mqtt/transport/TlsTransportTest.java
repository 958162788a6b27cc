package io.pipit.mqtt.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport alone against a JDK TLS server that records what the client offered: ALPN and SNI on both
 * providers, and the transport's own contract (one connect per transport).
 */
class TlsTransportTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static TestPki.Identity ca;
    private static SSLContext serverContext;

    @BeforeAll
    static void makeServerContext() throws Exception {
        ca = TestPki.ca("transport CA");
        KeyStore store = TestPki.localhost(ca).pkcs12(PASSWORD);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), null, null);
    }

    @Test
    void shouldOfferAlpnAndSniOnTheJdkProvider() throws Exception {
        assertOffered(TlsOptions.builder());
    }

    @Test
    void shouldOfferAlpnAndSniOnBouncyCastle() throws Exception {
        assertOffered(TlsOptions.builder().bouncyCastle());
    }

    @Test
    void shouldRefuseASecondConnect() throws Exception {
        TlsTransport transport = new TlsTransport("127.0.0.1", 9, TlsOptions.defaults());
        try {
            transport.connect();
            assertThrows(IllegalStateException.class, transport::connect);
        } finally {
            transport.close();
        }
    }

    /** Connects to "localhost" sending SNI "mqtt.example.com" and ALPN [x-amzn-mqtt-ca, mqtt]; the server picks mqtt. */
    private static void assertOffered(TlsOptions.Builder options) throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SSLParameters parameters = server.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"mqtt"});
            server.setSSLParameters(parameters);
            CompletableFuture<String> offered = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.startHandshake();
                    List<SNIServerName> names = ((ExtendedSSLSession) accepted.getSession()).getRequestedServerNames();
                    return accepted.getApplicationProtocol() + " " + ((SNIHostName) names.get(0)).getAsciiName();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            TlsTransport transport = new TlsTransport("localhost", server.getLocalPort(), options
                    .trustPem(ca.certificatePem()).serverName("mqtt.example.com").alpn("x-amzn-mqtt-ca", "mqtt")
                    .insecureDisableHostnameVerification()  // the certificate names localhost, not the SNI name
                    .build());
            try {
                transport.connect();
                long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!transport.finishConnect()) {
                    assertTrue(System.nanoTime() - deadlineNs < 0, "no handshake within 10 s");
                    Thread.sleep(1);
                }
                assertEquals("mqtt mqtt.example.com", offered.get(10, TimeUnit.SECONDS));
            } finally {
                transport.close();
            }
        }
    }
}
