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
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClient;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * TLS on BouncyCastle's {@link TlsClientProtocol} in its non-blocking mode (bytes offered in, records read
 * out): TLS 1.3 and 1.2 with the server authenticated by X.509 through {@link VerifyingTrustManager} (the
 * same checks as on the JDK), or TLS-PSK (TLS 1.2 PSK cipher suites, TLS 1.3 external PSK with SHA-256).
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
    private static final int[] TLS13_SUITES = {CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256};

    private final TlsClientProtocol protocol = new TlsClientProtocol();
    private final TlsClient client;
    private final byte[] plaintext = new byte[FRAGMENT];

    private BcTlsSession(TlsClient client) {
        this.client = client;
    }

    static BcTlsSession create(TlsOptions options, String host) throws IOException {
        TlsCrypto crypto = new JcaTlsCryptoProvider().create(new SecureRandom());
        if (options.psk()) {
            return new BcTlsSession(new PskClient(crypto, options, host));
        }
        VerifyingTrustManager verifier;
        try {
            verifier = TlsContexts.verifier(options, host);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for " + host + ": " + e.getMessage(), e);
        }
        return new BcTlsSession(new X509Client(crypto, options, host, verifier));
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
        return "BouncyCastle " + (client instanceof PskClient ? "PSK " : "X.509 ")
                + ((Describable) client).negotiated();
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

    static ProtocolVersion[] versions(TlsOptions options) {
        ProtocolVersion[] versions = new ProtocolVersion[options.protocols.size()];
        for (int i = 0; i < versions.length; i++) {
            versions[i] = TlsOptions.TLS_13.equals(options.protocols.get(i))
                    ? ProtocolVersion.TLSv13 : ProtocolVersion.TLSv12;
        }
        return versions;
    }

    static Vector<ServerName> serverNames(TlsOptions options, String host) {
        String name = options.serverName != null ? options.serverName : host;
        Vector<ServerName> names = new Vector<>();
        if (name.indexOf(':') < 0 && !name.matches("[0-9.]+")) {  // no SNI for an IP literal (RFC 6066)
            names.add(new ServerName(NameType.host_name, name.getBytes(StandardCharsets.US_ASCII)));
        }
        return names.isEmpty() ? null : names;
    }

    static Vector<ProtocolName> protocolNames(TlsOptions options) {
        if (options.alpn.isEmpty()) {
            return null;
        }
        Vector<ProtocolName> names = new Vector<>();
        for (String name : options.alpn) {
            names.add(ProtocolName.asUtf8Encoding(name));
        }
        return names;
    }

    /** What both clients can tell about the handshake they made. */
    private interface Describable {
        String negotiated();
    }

    /** X.509: the server's chain goes through the same checks as on the JDK; no client certificate. */
    private static final class X509Client extends DefaultTlsClient implements Describable {
        private final TlsOptions options;
        private final String host;
        private final VerifyingTrustManager verifier;

        X509Client(TlsCrypto crypto, TlsOptions options, String host, VerifyingTrustManager verifier) {
            super(crypto);
            this.options = options;
            this.host = host;
            this.verifier = verifier;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return versions(options);
        }

        @Override
        protected Vector<ServerName> getSNIServerNames() {
            return serverNames(options, host);
        }

        @Override
        protected Vector<ProtocolName> getProtocolNames() {
            return protocolNames(options);
        }

        @Override
        public TlsAuthentication getAuthentication() {
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
                public TlsCredentials getClientCredentials(CertificateRequest request) {
                    return null;
                }
            };
        }

        @Override
        public String negotiated() {
            return context.getServerVersion() + " " + context.getSecurityParameters().getCipherSuite();
        }
    }

    /** TLS-PSK: the 1.2 PSK suites of BouncyCastle's client, plus TLS 1.3 with the same key as external PSK. */
    private static final class PskClient extends PSKTlsClient implements Describable {
        private final TlsOptions options;
        private final String host;

        PskClient(TlsCrypto crypto, TlsOptions options, String host) {
            super(crypto, new BasicTlsPSKIdentity(options.pskIdentity, options.pskKey));
            this.options = options;
            this.host = host;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return versions(options);
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            int[] tls12 = super.getSupportedCipherSuites();
            int[] all = new int[TLS13_SUITES.length + tls12.length];
            System.arraycopy(TLS13_SUITES, 0, all, 0, TLS13_SUITES.length);
            System.arraycopy(tls12, 0, all, TLS13_SUITES.length, tls12.length);
            return TlsUtils.getSupportedCipherSuites(getCrypto(), all);
        }

        @Override
        public Vector<TlsPSKExternal> getExternalPSKs() {
            if (!options.protocols.contains(TlsOptions.TLS_13)) {
                return null;
            }
            Vector<TlsPSKExternal> psks = new Vector<>();
            psks.add(new BasicTlsPSKExternal(options.pskIdentity.getBytes(StandardCharsets.UTF_8),
                    getCrypto().createSecret(options.pskKey), PRFAlgorithm.tls13_hkdf_sha256));
            return psks;
        }

        @Override
        protected Vector<ServerName> getSNIServerNames() {
            return serverNames(options, host);
        }

        @Override
        protected Vector<ProtocolName> getProtocolNames() {
            return protocolNames(options);
        }

        @Override
        public String negotiated() {
            return context.getServerVersion() + " " + context.getSecurityParameters().getCipherSuite();
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
