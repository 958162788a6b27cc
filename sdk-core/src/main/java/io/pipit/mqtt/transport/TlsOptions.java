package io.pipit.mqtt.transport;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How a client talks TLS to {@code mqtts://} servers: whom it trusts, who it is, and what it insists on.
 * Secure by default: the system trust store, TLS 1.2 and 1.3 only, and the server's certificate must name the
 * host of the URI (DNS name or IP address, from its Subject Alternative Names). Build one with
 * {@link #builder()}:
 *
 * <pre>{@code
 * TlsOptions tls = TlsOptions.builder()
 *         .trustPem(caPemText)                              // a private CA instead of the system store
 *         .clientCertificatePem(deviceCertPem, deviceKeyPem)  // mutual TLS; PKCS#8, PKCS#1 or SEC1 key
 *         .alpn("mqtt")
 *         .build();
 * }</pre>
 *
 * <p>PEM text is parsed in {@link Builder#build()}, so a malformed file fails there, naming the problem, not at
 * connect time; key stores are opened at the first connect. TLS-PSK and {@link Provider#BOUNCY_CASTLE} need {@code bctls-jdk18on} on the
 * class path; without it {@link Builder#build()} says so.
 *
 * <p><b>Thread-safety:</b> immutable once built (the trust and key managers made from it are cached inside,
 * under its lock), so one instance may serve any number of clients. The builder is not thread-safe.
 */
public final class TlsOptions {
    /** The TLS implementation a connection runs on. */
    public enum Provider {
        /** The platform's {@code SSLEngine} (JDK or Android): X.509 only. */
        JDK,
        /** BouncyCastle's {@code TlsClientProtocol} ({@code bctls-jdk18on}): X.509 (mutual too) and TLS-PSK. */
        BOUNCY_CASTLE
    }

    static final String TLS_12 = "TLSv1.2";
    static final String TLS_13 = "TLSv1.3";

    /**
     * One instance for every client left on the defaults, so each does not carry its own copy; its trust
     * manager (the system store) is then built once per process, on the first TLS connection.
     */
    private static final TlsOptions DEFAULTS = builder().build();

    final Provider provider;
    final List<X509Certificate> trustedCertificates;
    final KeyStore trustStore;
    final PrivateKey clientKey;
    final List<X509Certificate> clientChain;
    final KeyStore keyStore;
    final char[] keyStorePassword;
    final String serverName;
    final List<String> alpn;
    final List<byte[]> pins;
    final long handshakeTimeoutNs;
    final List<String> protocols;
    final boolean verifyHostname;
    final String pskIdentity;
    final byte[] pskKey;
    /** Built on first use by {@link TlsContexts}, under this object's lock. */
    javax.net.ssl.X509TrustManager cachedTrust;
    javax.net.ssl.KeyManager[] cachedKeys;

    private TlsOptions(Builder b, List<X509Certificate> trusted, PrivateKey key, List<X509Certificate> chain) {
        this.provider = b.provider;
        this.trustedCertificates = trusted;
        this.trustStore = b.trustStore;
        this.clientKey = key;
        this.clientChain = chain;
        this.keyStore = b.keyStore;
        this.keyStorePassword = b.keyStorePassword;
        this.serverName = b.serverName;
        this.alpn = Collections.unmodifiableList(new ArrayList<>(b.alpn));
        this.pins = Collections.unmodifiableList(new ArrayList<>(b.pins));
        this.handshakeTimeoutNs = b.handshakeTimeoutNs;
        this.protocols = Collections.unmodifiableList(new ArrayList<>(b.protocols));
        this.verifyHostname = b.verifyHostname;
        this.pskIdentity = b.pskIdentity;
        this.pskKey = b.pskKey;
    }

    /** @return the defaults: system trust store, hostname verification, TLS 1.2/1.3, the JDK provider */
    public static TlsOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true when TLS-PSK is configured */
    boolean psk() {
        return pskIdentity != null;
    }

    @Override
    public String toString() {
        return "TlsOptions[" + provider + ", " + protocols + (verifyHostname ? "" : ", INSECURE no hostname check")
                + (psk() ? ", psk '" + pskIdentity + "'" : "") + (alpn.isEmpty() ? "" : ", alpn " + alpn) + "]";
    }

    /** Collects the options; every setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private Provider provider = Provider.JDK;
        private String trustPem;
        private KeyStore trustStore;
        private String clientChainPem;
        private String clientKeyPem;
        private KeyStore keyStore;
        private char[] keyStorePassword;
        private String serverName;
        private final List<String> alpn = new ArrayList<>();
        private final List<byte[]> pins = new ArrayList<>();
        private long handshakeTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private List<String> protocols = Arrays.asList(TLS_13, TLS_12);
        private boolean verifyHostname = true;
        private String pskIdentity;
        private byte[] pskKey;

        private Builder() {
        }

        /** Trusts exactly the CA certificates in this PEM text (one or more {@code CERTIFICATE} blocks). */
        public Builder trustPem(String pemText) {
            this.trustPem = requireText(pemText, "trusted CA PEM");
            this.trustStore = null;
            return this;
        }

        /** Trusts exactly the certificates of this key store (e.g. a PKCS#12 or BKS trust store). */
        public Builder trustStore(KeyStore store) {
            if (store == null) {
                throw new IllegalArgumentException("trust store must not be null");
            }
            this.trustStore = store;
            this.trustPem = null;
            return this;
        }

        /**
         * Mutual TLS: presents this certificate chain (device certificate first) with its private key, both
         * PEM; the key may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
         * ({@code EC PRIVATE KEY}), unencrypted.
         */
        public Builder clientCertificatePem(String certificateChainPem, String privateKeyPem) {
            this.clientChainPem = requireText(certificateChainPem, "client certificate PEM");
            this.clientKeyPem = requireText(privateKeyPem, "client private key PEM");
            this.keyStore = null;
            return this;
        }

        /** Mutual TLS from a key store holding one private key entry (its password is copied). */
        public Builder clientKeyStore(KeyStore store, char[] password) {
            if (store == null || password == null) {
                throw new IllegalArgumentException("client key store and its password must not be null");
            }
            this.keyStore = store;
            this.keyStorePassword = password.clone();
            this.clientChainPem = null;
            this.clientKeyPem = null;
            return this;
        }

        /** The name sent in SNI, when it differs from the URI's host (default: the host; none for an IP). */
        public Builder serverName(String name) {
            this.serverName = requireText(name, "server name");
            return this;
        }

        /**
         * ALPN protocols to offer, in order of preference, e.g. {@code "mqtt"}, or {@code "x-amzn-mqtt-ca"} for
         * AWS IoT on port 443. Needs Java 8u252+ or Android 10+ with the JDK provider.
         */
        public Builder alpn(String... protocolNames) {
            alpn.clear();
            for (String name : protocolNames) {
                alpn.add(requireText(name, "ALPN protocol"));
            }
            return this;
        }

        /**
         * Also requires one certificate of the server's chain to carry this public key: the Base64 SHA-256 of
         * its SubjectPublicKeyInfo ({@code "sha256/..."} or just the Base64), as {@code openssl x509 -pubkey |
         * openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64} prints. Repeat for backup
         * pins; any one matching suffices. Trust and hostname checks still apply.
         */
        public Builder pinSha256(String base64Pin) {
            String text = requireText(base64Pin, "pin");
            byte[] digest = io.pipit.mqtt.auth.Base64.decode(text.startsWith("sha256/") ? text.substring(7) : text);
            if (digest.length != 32) {
                throw new IllegalArgumentException("pin '" + base64Pin + "' is " + digest.length
                        + " bytes, not a 32-byte SHA-256");
            }
            pins.add(digest);
            return this;
        }

        /** How long the TLS handshake may take once TCP is connected (default 10 s). */
        public Builder handshakeTimeout(long timeout, TimeUnit unit) {
            if (timeout <= 0) {
                throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
            }
            this.handshakeTimeoutNs = unit.toNanos(timeout);
            return this;
        }

        /** The protocol versions to offer: {@code "TLSv1.3"} and/or {@code "TLSv1.2"} (default both). */
        public Builder protocols(String... versions) {
            if (versions.length == 0) {
                throw new IllegalArgumentException("at least one protocol version is needed");
            }
            for (String version : versions) {
                if (!TLS_13.equals(version) && !TLS_12.equals(version)) {
                    throw new IllegalArgumentException("protocol '" + version + "' is not allowed; use "
                            + TLS_13 + " or " + TLS_12);
                }
            }
            this.protocols = Arrays.asList(versions.clone());
            return this;
        }

        /**
         * INSECURE: accepts a trusted certificate issued for any host name, so anyone holding a certificate
         * from the same CA can impersonate the broker. For test rigs only; every connect logs a warning.
         */
        public Builder insecureDisableHostnameVerification() {
            this.verifyHostname = false;
            return this;
        }

        /** Runs TLS on BouncyCastle ({@code bctls-jdk18on} must be on the class path). */
        public Builder bouncyCastle() {
            this.provider = Provider.BOUNCY_CASTLE;
            return this;
        }

        /**
         * TLS-PSK instead of certificates: TLS 1.2 PSK cipher suites, and TLS 1.3 with an external PSK
         * (SHA-256). Runs on BouncyCastle, which this selects. The key is copied.
         */
        public Builder psk(String identity, byte[] key) {
            this.pskIdentity = requireText(identity, "PSK identity");
            if (key == null || key.length == 0) {
                throw new IllegalArgumentException("PSK key must not be empty");
            }
            this.pskKey = key.clone();
            return bouncyCastle();
        }

        /**
         * @throws IllegalArgumentException for PEM that does not parse, naming what is wrong
         * @throws IllegalStateException when BouncyCastle is needed but not on the class path
         */
        public TlsOptions build() {
            List<X509Certificate> trusted = trustPem == null ? null : Pem.certificates(trustPem, "trusted CA PEM");
            PrivateKey key = clientKeyPem == null ? null : PemKeys.privateKey(clientKeyPem);
            List<X509Certificate> chain = clientChainPem == null ? null
                    : Pem.certificates(clientChainPem, "client certificate PEM");
            if (provider == Provider.BOUNCY_CASTLE) {
                BcSupport.requireBouncyCastle(pskIdentity != null ? "TLS-PSK" : "the BouncyCastle TLS provider");
            }
            return new TlsOptions(this, trusted, key, chain);
        }

        private static String requireText(String value, String what) {
            if (value == null || value.trim().isEmpty()) {
                throw new IllegalArgumentException(what + " must not be empty");
            }
            return value;
        }
    }
}
