package io.pipit.mqtt.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Vector;
import javax.net.ssl.SSLException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.BasicTlsPSKExternal;
import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.TlsPSKIdentity;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * TLS on BouncyCastle's {@link TlsClientProtocol} in its non-blocking mode (bytes offered in, records read
 * out): TLS 1.3 and 1.2 with the server authenticated by X.509 through {@link VerifyingTrustManager} (the
 * same checks as on the JDK) and, when asked, a client certificate ({@link BcClientCredentials}), or TLS-PSK (TLS 1.2 PSK cipher suites, TLS 1.3 external PSK with SHA-256).
 * Crypto runs on the platform's JCA through {@code JcaTlsCrypto}. Loaded only through {@link BcSupport}.
 *
 * <p>BouncyCastle takes and gives {@code byte[]}: {@code netIn} is a heap buffer handed over by its array, and
 * outgoing plaintext is copied into one preallocated array first. BouncyCastle allocates per record (nonce,
 * additional data, output arrays); this class does not.
 *
 * <p><b>Thread-safety:</b> not thread-safe; the connection's driver thread only.
 */
final class BcTlsSession implements TlsSession {
    /** The largest TLS plaintext fragment, and BouncyCastle's record overhead bound with room to spare. */
    private static final int FRAGMENT = 16_384;
    private static final int PACKET = FRAGMENT + 2_048;

    private final TlsClientProtocol protocol = new TlsClientProtocol();
    private final Client client;
    private final byte[] plaintext = new byte[FRAGMENT];

    private BcTlsSession(Client client) {
        this.client = client;
    }

    static BcTlsSession create(TlsOptions options, String host) throws IOException {
        TlsCrypto crypto = new JcaTlsCryptoProvider().create(new SecureRandom());
        if (options.psk()) {
            return new BcTlsSession(new Client(crypto, options, host, null));
        }
        VerifyingTrustManager verifier;
        try {
            verifier = TlsContexts.verifier(options, host);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for " + host + ": " + e.getMessage(), e);
        }
        return new BcTlsSession(new Client(crypto, options, host, verifier));
    }

    @Override
    public int packetBufferSize() {
        return PACKET;
    }

    @Override
    public int applicationBufferSize() {
        return FRAGMENT;
    }

    @Override
    public void begin(ByteBuffer netOut) throws IOException {
        try {
            protocol.connect(client);
        } catch (IOException e) {
            throw explained(e);
        }
        drainOutput(netOut);
    }

    @Override
    public boolean handshake(ByteBuffer netIn, ByteBuffer netOut, ByteBuffer appIn) throws IOException {
        offer(netIn);
        drainOutput(netOut);
        return protocol.isConnected() && !protocol.isHandshaking();
    }

    @Override
    public int unwrap(ByteBuffer netIn, ByteBuffer appIn, ByteBuffer netOut) throws IOException {
        offer(netIn);
        drainOutput(netOut);
        int count = Math.min(protocol.getAvailableInputBytes(), appIn.remaining());
        if (count > 0) {
            protocol.readInput(appIn, count);
            return count;
        }
        return protocol.isClosed() ? -1 : 0;
    }

    @Override
    public int wrap(ByteBuffer src, ByteBuffer netOut) throws IOException {
        int count = Math.min(src.remaining(), FRAGMENT);
        src.get(plaintext, 0, count);
        try {
            protocol.writeApplicationData(plaintext, 0, count);
        } catch (IOException e) {
            throw explained(e);
        }
        drainOutput(netOut);
        return count;
    }

    @Override
    public void drainOutput(ByteBuffer netOut) {
        int count = Math.min(protocol.getAvailableOutputBytes(), netOut.remaining());
        if (count > 0) {
            protocol.readOutput(netOut, count);
        }
    }

    @Override
    public boolean hasOutput() {
        return protocol.getAvailableOutputBytes() > 0;
    }

    @Override
    public String describe() {
        return "BouncyCastle " + (client.verifier == null ? "PSK " : "X.509 ") + client.negotiated();
    }

    /** Hands all of {@code netIn} to BouncyCastle, which buffers partial records itself. */
    private void offer(ByteBuffer netIn) throws IOException {
        int count = netIn.remaining();
        if (count == 0) {
            return;
        }
        try {
            protocol.offerInput(netIn.array(), netIn.arrayOffset() + netIn.position(), count);
        } catch (IOException e) {
            throw explained(e);
        } finally {
            netIn.position(netIn.limit());
        }
    }

    /** Alerts in the words {@link TlsFailures} reads, the JDK's: "Received fatal alert: decrypt_error". */
    private static IOException explained(IOException e) {
        if (e instanceof TlsFatalAlertReceived) {
            return new SSLException("Received fatal alert: "
                    + AlertDescription.getName(((TlsFatalAlertReceived) e).getAlertDescription()), e);
        }
        if (e instanceof TlsFatalAlert) {
            return new SSLException("Sent fatal alert: "
                    + AlertDescription.getName(((TlsFatalAlert) e).getAlertDescription()) + " (" + e.getMessage()
                    + ")", e);
        }
        return e;
    }

    /**
     * One client for both modes: X.509 (the server's chain goes through the same checks as on the JDK; a client
     * certificate when the server asks and the options hold one), or TLS-PSK (1.2 PSK suites, and TLS 1.3 with the same key as an external PSK).
     */
    private static final class Client extends DefaultTlsClient {
        /** TLS 1.3 suites (for the external PSK), then TLS 1.2 PSK suites, forward-secret ones first. */
        private static final int[] PSK_SUITES = {CipherSuite.TLS_AES_128_GCM_SHA256,
            CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_DHE_PSK_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_PSK_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_PSK_WITH_CHACHA20_POLY1305_SHA256};

        private final TlsOptions options;
        private final String host;
        private final VerifyingTrustManager verifier;

        /** @param verifier the server checks, or null for TLS-PSK */
        Client(TlsCrypto crypto, TlsOptions options, String host, VerifyingTrustManager verifier) {
            super(crypto);
            this.options = options;
            this.host = host;
            this.verifier = verifier;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            ProtocolVersion[] versions = new ProtocolVersion[options.protocols.size()];
            for (int i = 0; i < versions.length; i++) {
                versions[i] = TlsOptions.TLS_13.equals(options.protocols.get(i))
                        ? ProtocolVersion.TLSv13 : ProtocolVersion.TLSv12;
            }
            return versions;
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return options.psk() ? TlsUtils.getSupportedCipherSuites(getCrypto(), PSK_SUITES)
                    : super.getSupportedCipherSuites();
        }

        @Override
        public TlsPSKIdentity getPSKIdentity() {
            return options.psk() ? new BasicTlsPSKIdentity(options.pskIdentity, options.pskKey) : null;
        }

        @Override
        public Vector<TlsPSKExternal> getExternalPSKs() {
            if (!options.psk() || !options.protocols.contains(TlsOptions.TLS_13)) {
                return null;
            }
            Vector<TlsPSKExternal> psks = new Vector<>();
            psks.add(new BasicTlsPSKExternal(options.pskIdentity.getBytes(StandardCharsets.UTF_8),
                    getCrypto().createSecret(options.pskKey), PRFAlgorithm.tls13_hkdf_sha256));
            return psks;
        }

        @Override
        protected Vector<ServerName> getSNIServerNames() {
            String name = options.serverName != null ? options.serverName : host;
            if (name.indexOf(':') >= 0 || name.matches("[0-9.]+")) {
                return null;  // no SNI for an IP literal (RFC 6066)
            }
            Vector<ServerName> names = new Vector<>();
            names.add(new ServerName(NameType.host_name, name.getBytes(StandardCharsets.US_ASCII)));
            return names;
        }

        @Override
        protected Vector<ProtocolName> getProtocolNames() {
            if (options.alpn.isEmpty()) {
                return null;
            }
            Vector<ProtocolName> names = new Vector<>();
            for (String name : options.alpn) {
                names.add(ProtocolName.asUtf8Encoding(name));
            }
            return names;
        }

        @Override
        public TlsAuthentication getAuthentication() throws IOException {
            if (verifier == null) {
                throw new TlsFatalAlert(AlertDescription.internal_error, "a PSK handshake asked for certificates");
            }
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate certificate) throws IOException {
                    X509Certificate[] chain = toX509(certificate.getCertificate().getCertificateList());
                    try {
                        verifier.checkServer(chain, "UNKNOWN");
                    } catch (TlsCertificateException e) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate, e.getMessage(), e);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    return BcClientCredentials.answer(context, (JcaTlsCrypto) getCrypto(), options, request);
                }
            };
        }

        String negotiated() {
            return context.getServerVersion() + " cipher suite 0x"
                    + Integer.toHexString(context.getSecurityParameters().getCipherSuite());
        }
    }

    private static X509Certificate[] toX509(org.bouncycastle.tls.crypto.TlsCertificate[] list) throws IOException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            X509Certificate[] chain = new X509Certificate[list.length];
            for (int i = 0; i < list.length; i++) {
                chain[i] = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(list[i].getEncoded()));
            }
            return chain;
        } catch (CertificateException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "unreadable server certificate", e);
        }
    }
}
