package io.pipit.mqtt.transport;

import java.io.IOException;

/**
 * The door to BouncyCastle, which is optional: this class names no BouncyCastle type, so it loads without the
 * jar and says clearly when a feature needs it. {@link BcTlsSession}, which does name them, is loaded only
 * through {@link #session}. Stateless.
 */
final class BcSupport {
    private static final String PROBE = "org.bouncycastle.tls.TlsClientProtocol";

    private BcSupport() {
    }

    /** @throws IllegalStateException naming the jars to add when BouncyCastle TLS is not on the class path */
    static void requireBouncyCastle(String feature) {
        try {
            Class.forName(PROBE, false, BcSupport.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(feature + " needs BouncyCastle TLS, which is not on the class path: add "
                    + "org.bouncycastle:bctls-jdk18on:1.84 (it brings bcprov-jdk18on and bcutil-jdk18on)", e);
        }
    }

    static TlsSession session(TlsOptions options, String host) throws IOException {
        requireBouncyCastle(options.psk() ? "TLS-PSK" : "the BouncyCastle TLS provider");
        return BcTlsSession.create(options, host);
    }
}
