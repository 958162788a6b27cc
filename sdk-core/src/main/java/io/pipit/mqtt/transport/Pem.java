package io.pipit.mqtt.transport;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads PEM text: certificates (through the platform's X.509 factory, which understands PEM itself) and the
 * Base64 body of a named block. Stateless; every failure is an {@link IllegalArgumentException} saying which
 * input was wrong and how.
 */
final class Pem {
    private Pem() {
    }

    /** @return the certificates of every {@code CERTIFICATE} block, in order; never empty */
    static List<X509Certificate> certificates(String pemText, String what) {
        Collection<? extends Certificate> parsed;
        try {
            parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pemText.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + " holds no readable X.509 certificate: " + e.getMessage(), e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate : parsed) {
            certificates.add((X509Certificate) certificate);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(what + " holds no '-----BEGIN CERTIFICATE-----' block");
        }
        return certificates;
    }

    /**
     * @return the first block's type (the word(s) after {@code BEGIN}) whose type ends with {@code suffix}, or
     *     null when there is none
     */
    static String firstBlockType(String pemText, String suffix) {
        int at = 0;
        while ((at = pemText.indexOf("-----BEGIN ", at)) >= 0) {
            int end = pemText.indexOf("-----", at + 11);
            if (end < 0) {
                return null;
            }
            String type = pemText.substring(at + 11, end);
            if (type.endsWith(suffix)) {
                return type;
            }
            at = end;
        }
        return null;
    }

    /** @return the decoded body of the first block of {@code type}, or an error naming it */
    static byte[] body(String pemText, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pemText.indexOf(begin);
        int to = from < 0 ? -1 : pemText.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException("PEM has no complete '" + begin + "' ... '" + end + "' block");
        }
        String body = pemText.substring(from + begin.length(), to);
        if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
            throw new IllegalArgumentException("the PEM " + type + " is encrypted; decrypt it first, e.g. "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem'");
        }
        StringBuilder base64 = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!Character.isWhitespace(c)) {
                base64.append(c);
            }
        }
        try {
            return io.pipit.mqtt.auth.Base64.decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM " + type + " block is not valid Base64: " + e.getMessage(), e);
        }
    }
}
