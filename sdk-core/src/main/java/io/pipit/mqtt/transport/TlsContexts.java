package io.pipit.mqtt.transport;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Turns {@link TlsOptions} into the platform's trust and key managers, and an {@link SSLContext} per
 * connection (its trust manager knows the host it checks). The managers are built once per options object:
 * loading the system trust store takes tens of milliseconds, too long to repeat on every reconnect.
 *
 * <p><b>Thread-safety:</b> safe from any thread (the cache is filled under the options' lock).
 */
final class TlsContexts {
    /** Protects the in-memory key store only; it never leaves this process. */
    private static final char[] IN_MEMORY_PASSWORD = "pipit".toCharArray();

    private TlsContexts() {
    }

    /** @return the platform trust manager for the options' trust source (system store by default) */
    static X509TrustManager trustManager(TlsOptions options) throws GeneralSecurityException, IOException {
        synchronized (options) {
            if (options.cachedTrust == null) {
                KeyStore store = options.trustStore;
                if (options.trustedCertificates != null) {
                    store = inMemoryStore();
                    int index = 0;
                    for (X509Certificate certificate : options.trustedCertificates) {
                        store.setCertificateEntry("ca-" + index++, certificate);
                    }
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);  // null: the system trust store
                options.cachedTrust = firstX509(factory.getTrustManagers());
            }
            return options.cachedTrust;
        }
    }

    /** @return key managers presenting the client certificate, or null when the options have none */
    static KeyManager[] keyManagers(TlsOptions options) throws GeneralSecurityException, IOException {
        synchronized (options) {
            if (options.cachedKeys == null && (options.clientKey != null || options.keyStore != null)) {
                KeyStore store = options.keyStore;
                char[] password = options.keyStorePassword;
                if (options.clientKey != null) {
                    store = inMemoryStore();
                    password = IN_MEMORY_PASSWORD;
                    List<X509Certificate> chain = options.clientChain;
                    store.setKeyEntry("client", options.clientKey, password, chain.toArray(new Certificate[0]));
                }
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, password);
                options.cachedKeys = factory.getKeyManagers();
            }
            return options.cachedKeys;
        }
    }

    /** @return a fresh context whose trust manager checks {@code host} as the options say */
    static SSLContext sslContext(TlsOptions options, String host) throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(options), new TrustManager[] {verifier(options, host)}, null);
        return context;
    }

    static VerifyingTrustManager verifier(TlsOptions options, String host) throws GeneralSecurityException,
            IOException {
        return new VerifyingTrustManager(trustManager(options), host, options.verifyHostname, options.pins);
    }

    private static KeyStore inMemoryStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        return store;
    }

    private static X509TrustManager firstX509(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager) {
                return (X509TrustManager) manager;
            }
        }
        throw new IllegalStateException("the platform offers no X.509 trust manager");
    }
}
