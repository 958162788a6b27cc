package io.pipit.mqtt.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Does a server certificate name the host we connected to? RFC 6125 / RFC 2818 rules: an IP literal must
 * equal an IP Subject Alternative Name; a DNS name must match a DNS SAN, where {@code *} may stand for the
 * whole left-most label only; the subject CN counts only when the certificate has no SAN at all (old
 * certificates). Stateless.
 */
final class HostnameMatcher {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {
    }

    /** @return true when {@code certificate} is valid for {@code host} */
    static boolean matches(String host, X509Certificate certificate) throws CertificateParsingException {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean ip = isIpLiteral(bare);
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return !ip && matchesDns(bare, commonName(certificate));
        }
        for (List<?> name : names) {
            int type = (Integer) name.get(0);
            String value = String.valueOf(name.get(1));
            if (ip ? type == SAN_IP && sameAddress(bare, value) : type == SAN_DNS && matchesDns(bare, value)) {
                return true;
            }
        }
        return false;
    }

    /** @return the names the certificate is valid for, e.g. {@code [DNS:localhost, IP:127.0.0.1]} */
    static List<String> names(X509Certificate certificate) throws CertificateParsingException {
        List<String> result = new ArrayList<>();
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            result.add("CN:" + commonName(certificate));
            return result;
        }
        for (List<?> name : names) {
            int type = (Integer) name.get(0);
            if (type == SAN_DNS || type == SAN_IP) {
                result.add((type == SAN_DNS ? "DNS:" : "IP:") + name.get(1));
            }
        }
        return result;
    }

    private static boolean matchesDns(String host, String pattern) {
        if (pattern == null) {
            return false;
        }
        String h = trimDot(host.toLowerCase(Locale.ROOT));
        String p = trimDot(pattern.toLowerCase(Locale.ROOT));
        if (!p.startsWith("*.")) {
            return h.equals(p);
        }
        int dot = h.indexOf('.');
        // "*.example.com" covers "a.example.com", never "example.com" or "a.b.example.com"
        return dot > 0 && h.substring(dot).equals(p.substring(1)) && p.indexOf('.', 2) > 0;
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    /** Both are IP literals, so no lookup happens; comparing addresses makes "::1" equal "0:0:0:0:0:0:0:1". */
    private static boolean sameAddress(String host, String san) {
        try {
            return InetAddress.getByName(host).equals(InetAddress.getByName(san));
        } catch (UnknownHostException e) {
            return false;  // not a literal after all (a SAN the platform could not render): no match
        }
    }

    private static String commonName(X509Certificate certificate) {
        for (String part : certificate.getSubjectX500Principal().getName().split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return null;
    }
}
