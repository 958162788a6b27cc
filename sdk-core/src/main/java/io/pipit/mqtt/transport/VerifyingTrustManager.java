package io.pipit.mqtt.transport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.X509TrustManager;

/**
 * The server checks of one connection, in the order that gives the most useful error: the leaf's validity
 * dates, the chain up to a trusted CA (the platform's trust manager), the host name against the leaf's names,
 * then the SPKI pins. Each failure is a {@link TlsCertificateException} whose reason and message survive the
 * TLS provider. Serves the JDK's {@code SSLEngine} as its trust manager and BouncyCastle through
 * {@link #checkServer}. A plain {@link X509TrustManager}, not the extended one, because Android has that only
 * from API 24.
 *
 * <p><b>Thread-safety:</b> immutable; one per connection, called on its driver thread.
 */
final class VerifyingTrustManager implements X509TrustManager {
    private final X509TrustManager trust;
    private final String host;
    private final boolean verifyHostname;
    private final List<byte[]> pins;

    VerifyingTrustManager(X509TrustManager trust, String host, boolean verifyHostname, List<byte[]> pins) {
        this.trust = trust;
        this.host = host;
        this.verifyHostname = verifyHostname;
        this.pins = pins;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServer(chain, authType);
    }

    /** Runs every check on the server's chain (leaf first). */
    void checkServer(X509Certificate[] chain, String authType) throws TlsCertificateException {
        if (chain == null || chain.length == 0) {
            throw new TlsCertificateException(TlsException.Reason.UNTRUSTED_ISSUER, "the server sent no certificate",
                    null);
        }
        X509Certificate leaf = chain[0];
        checkDates(leaf);
        try {
            trust.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw untrusted(chain, e);
        }
        checkHostname(leaf);
        checkPins(chain);
    }

    private static void checkDates(X509Certificate leaf) throws TlsCertificateException {
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new TlsCertificateException(TlsException.Reason.EXPIRED, "the server certificate '"
                    + leaf.getSubjectX500Principal().getName() + "' expired on " + leaf.getNotAfter(), e);
        } catch (CertificateNotYetValidException e) {
            throw new TlsCertificateException(TlsException.Reason.NOT_YET_VALID, "the server certificate '"
                    + leaf.getSubjectX500Principal().getName() + "' is valid only from " + leaf.getNotBefore()
                    + " (is this device's clock right?)", e);
        }
    }

    private static TlsCertificateException untrusted(X509Certificate[] chain, CertificateException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException) {
                return new TlsCertificateException(TlsException.Reason.EXPIRED, "a certificate of the server's chain "
                        + "has expired: " + cause.getMessage(), e);
            }
        }
        X509Certificate top = chain[chain.length - 1];
        return new TlsCertificateException(TlsException.Reason.UNTRUSTED_ISSUER, "the server certificate '"
                + chain[0].getSubjectX500Principal().getName() + "' (chain of " + chain.length + ", top issuer '"
                + top.getIssuerX500Principal().getName() + "') is not issued by a trusted CA: " + e.getMessage(), e);
    }

    private void checkHostname(X509Certificate leaf) throws TlsCertificateException {
        if (!verifyHostname) {
            return;
        }
        try {
            if (!HostnameMatcher.matches(host, leaf)) {
                throw new TlsCertificateException(TlsException.Reason.HOSTNAME_MISMATCH, "the server certificate "
                        + "is for " + HostnameMatcher.names(leaf) + ", not for '" + host + "'", null);
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new TlsCertificateException(TlsException.Reason.HOSTNAME_MISMATCH, "cannot read the names of "
                    + "the server certificate to check them against '" + host + "'", e);
        }
    }

    private void checkPins(X509Certificate[] chain) throws TlsCertificateException {
        if (pins.isEmpty()) {
            return;
        }
        List<String> seen = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            byte[] pin = spkiSha256(certificate);
            for (byte[] wanted : pins) {
                if (Arrays.equals(pin, wanted)) {
                    return;
                }
            }
            seen.add("sha256/" + io.pipit.mqtt.auth.Base64.encode(pin) + " ("
                    + certificate.getSubjectX500Principal().getName() + ")");
        }
        throw new TlsCertificateException(TlsException.Reason.PIN_MISMATCH, "no certificate of the server's chain "
                + "has a pinned public key; the chain has " + seen, null);
    }

    /** @return SHA-256 over the DER SubjectPublicKeyInfo, the pin format of RFC 7469 */
    static byte[] spkiSha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this platform has no SHA-256", e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client does not verify clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trust.getAcceptedIssuers();
    }
}
