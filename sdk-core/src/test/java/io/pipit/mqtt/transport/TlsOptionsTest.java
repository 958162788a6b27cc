package io.pipit.mqtt.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.client.MqttClient;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Options fail when set or built, naming the bad input; PEM keys parse in every form devices carry. */
class TlsOptionsTest {
    @Test
    void shouldReadPrivateKeysInPkcs8Pkcs1AndSec1Form() {
        TestPki.Identity ca = TestPki.ca("options CA");
        TestPki.Identity rsa = TestPki.client(ca, "rsa", true);
        TestPki.Identity ec = TestPki.client(ca, "ec", false);
        assertTrue(rsa.traditionalKeyPem().contains("BEGIN RSA PRIVATE KEY"));
        assertTrue(ec.traditionalKeyPem().contains("BEGIN EC PRIVATE KEY"));
        for (TestPki.Identity identity : Arrays.asList(rsa, ec)) {
            assertEquals(secret(identity.keys.getPrivate()), secret(PemKeys.privateKey(identity.pkcs8KeyPem())));
            assertEquals(secret(identity.keys.getPrivate()), secret(PemKeys.privateKey(identity.traditionalKeyPem())));
        }
        // openssl writes "EC PARAMETERS" before the key; the key block is found after it
        String withParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + ec.traditionalKeyPem();
        assertEquals(secret(ec.keys.getPrivate()), secret(PemKeys.privateKey(withParameters)));
    }

    /** Encodings differ (an EC key may carry its public point or not); the secret is what must survive. */
    private static BigInteger secret(PrivateKey key) {
        return key instanceof ECPrivateKey ? ((ECPrivateKey) key).getS() : ((RSAPrivateKey) key).getPrivateExponent();
    }

    @Test
    void shouldExplainKeysAndCertificatesThatCannotBeUsed() {
        assertMessage("encrypted", () -> PemKeys.privateKey(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"));
        assertMessage("holds no '-----BEGIN ... PRIVATE KEY-----' block", () -> PemKeys.privateKey("hello"));
        assertMessage("not valid Base64", () -> PemKeys.privateKey(
                "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n"));
        assertMessage("trusted CA PEM holds no", () -> TlsOptions.builder().trustPem("not a certificate").build());
    }

    @Test
    void shouldRefuseOldProtocolsBadPinsAndTlsOptionsBesidePlaintextServers() {
        assertMessage("'TLSv1.1' is not allowed", () -> TlsOptions.builder().protocols("TLSv1.1"));
        assertMessage("not a 32-byte SHA-256", () -> TlsOptions.builder().pinSha256("sha256/AAAA"));
        assertMessage("client private key PEM must not be empty", () -> TlsOptions.builder()
                .clientCertificatePem("-----BEGIN CERTIFICATE-----", " "));
        assertMessage("is plaintext: use mqtts://", () -> MqttClient.builder().server("mqtt://127.0.0.1:1883")
                .tls(TlsOptions.defaults()).build());
    }

    private static void assertMessage(String expected, Runnable action) {
        RuntimeException e = assertThrows(RuntimeException.class, action::run);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
