package io.pipit.mqtt.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostnameMatcherTest {
    private static TestPki.Identity ca;

    @BeforeAll
    static void makeCa() {
        ca = TestPki.ca("matcher CA");
    }

    private static X509Certificate certificate(GeneralName... names) {
        return TestPki.server(ca, "ignored-cn", -1, 1, names).certificate;
    }

    @Test
    void shouldMatchAWildcardOnlyForOneLeftmostLabel() throws Exception {
        X509Certificate wildcard = certificate(new GeneralName(GeneralName.dNSName, "*.example.com"));
        assertTrue(HostnameMatcher.matches("device.example.com", wildcard));
        assertTrue(HostnameMatcher.matches("DEVICE.Example.COM.", wildcard));
        assertFalse(HostnameMatcher.matches("example.com", wildcard));
        assertFalse(HostnameMatcher.matches("a.b.example.com", wildcard));
        assertFalse(HostnameMatcher.matches("device.example.org", wildcard));
    }

    @Test
    void shouldMatchIpLiteralsOnlyAgainstIpNames() throws Exception {
        X509Certificate mixed = certificate(new GeneralName(GeneralName.dNSName, "127.0.0.2"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1"));
        assertTrue(HostnameMatcher.matches("127.0.0.1", mixed));
        assertFalse(HostnameMatcher.matches("127.0.0.2", mixed));  // a DNS name that looks like an IP does not count
        assertTrue(HostnameMatcher.matches("0:0:0:0:0:0:0:1", mixed));
        assertTrue(HostnameMatcher.matches("[::1]", mixed));
        assertEquals(Arrays.asList("DNS:127.0.0.2", "IP:127.0.0.1", "IP:0:0:0:0:0:0:0:1"), HostnameMatcher.names(mixed));
    }

    @Test
    void shouldIgnoreTheCommonNameWhenSubjectAlternativeNamesExist() throws Exception {
        X509Certificate certificate = certificate(new GeneralName(GeneralName.dNSName, "broker.example.com"));
        assertFalse(HostnameMatcher.matches("ignored-cn", certificate));
    }
}
