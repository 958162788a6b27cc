package io.pipit.mqtt.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT over TLS ({@code mqtts://}): a {@link TcpTransport} for the socket, and a TLS session on top of it,
 * the platform's {@code SSLEngine} or BouncyCastle's {@code TlsClientProtocol} as {@link TlsOptions} choose.
 * Non-blocking like TCP, so it runs on every driver: {@link #finishConnect} completes TCP, then the handshake,
 * a step each time the selector reports the socket ready, and enforces the handshake timeout.
 *
 * <p>Every failure is a {@link TlsException} naming its cause: untrusted issuer, host name mismatch (with the
 * names the certificate holds), expired certificate, pin mismatch, refused client certificate or pre-shared
 * key, handshake timeout, or a server that does not speak TLS.
 *
 * <p><b>Thread-safety:</b> as {@link TcpTransport}: the driver thread only, except {@link #close} (any thread)
 * and {@link #peer}.
 *
 * <p><b>Allocation:</b> the three buffers (network in, network out, plaintext in) are allocated once, in
 * {@link #connect}; this class allocates nothing per record after that. The TLS provider does: the JDK a
 * result object per call and record-layer buffers, BouncyCastle per-record arrays (bench/README.md lists the
 * bytes per message measured for each).
 */
public final class TlsTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(TlsTransport.class);
    private static final int TLS_ALERT = 0x15;
    private static final int TLS_HANDSHAKE = 0x16;

    /** TCP, or a tunnel through an HTTP proxy for {@code wss://}. */
    private final Transport tcp;
    private final String host;
    private final int port;
    private final TlsOptions options;
    /** Set only by the test constructor; otherwise the session is made in {@link #connect}. */
    private final TlsSession presetSession;
    private TlsSession session;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private boolean tcpConnected;
    private boolean handshaken;
    private boolean inputClosed;
    /** Plaintext has come from the server since the handshake (for MQTT: the CONNACK). */
    private boolean plaintextSeen;
    private long handshakeDeadlineNs = Long.MAX_VALUE;
    private long handshakeBytes;

    /**
     * @param host the host name or IP literal, which the server's certificate must name
     * @param port the TCP port, usually 8883
     * @param options trust, identity and protocol settings ({@link TlsOptions#defaults()} when in doubt)
     */
    public TlsTransport(String host, int port, TlsOptions options) {
        this(host, port, options, null);
    }

    /** With a given session instead of one made from the options: lets tests measure this class alone. */
    TlsTransport(String host, int port, TlsOptions options, TlsSession session) {
        this(new TcpTransport(host, port), host, port, options, session);
    }

    /** Over another byte pipe to {@code host}, such as an HTTP proxy tunnel. */
    TlsTransport(Transport inner, String host, int port, TlsOptions options, TlsSession session) {
        if (options == null) {
            throw new IllegalArgumentException("TLS options must not be null; use TlsOptions.defaults()");
        }
        this.tcp = inner;
        this.host = host;
        this.port = port;
        this.options = options;
        this.presetSession = session;
    }

    /**
     * Prepares the TLS session and starts the TCP connect.
     *
     * @throws IOException when TCP fails at once or the TLS options cannot be applied here (e.g. ALPN on a
     *     platform without it)
     * @throws IllegalStateException when called twice
     */
    @Override
    public void connect() throws IOException {
        if (session != null) {
            throw new IllegalStateException("connect() already called for " + peer() + "; use a new transport");
        }
        if (!options.verifyHostname) {
            LOG.warn("INSECURE: host name verification is off for {} (insecureDisableHostnameVerification): any "
                    + "certificate from a trusted CA is accepted, whoever it was issued to", peer());
        }
        if (presetSession != null) {
            session = presetSession;
        } else {
            try {
                session = options.provider == TlsOptions.Provider.BOUNCY_CASTLE
                        ? BcSupport.session(options, host) : JdkTlsSession.create(options, host, port);
            } catch (IllegalStateException e) {
                // the platform lacks something asked for (ALPN, a protocol version): a failed connect, not a crash
                throw new TlsException(TlsException.Reason.HANDSHAKE_FAILED, peer() + ": " + e.getMessage(), e);
            }
        }
        int packet = session.packetBufferSize();
        netIn = ByteBuffer.allocate(packet + 1024);
        netOut = ByteBuffer.allocate(2 * packet);
        appIn = ByteBuffer.allocate(session.applicationBufferSize() + 1024);
        tcp.connect();
    }

    /**
     * Completes TCP, then advances the handshake with what the socket holds.
     *
     * @return true once the handshake is complete and MQTT may flow
     * @throws TlsException when the handshake fails or times out, naming why
     */
    @Override
    public boolean finishConnect() throws IOException {
        if (handshaken) {
            return true;
        }
        if (!tcpConnected) {
            if (!tcp.finishConnect()) {
                return false;
            }
            tcpConnected = true;
            handshakeDeadlineNs = System.nanoTime() + options.handshakeTimeoutNs;
            try {
                session.begin(netOut);
            } catch (IOException e) {
                throw TlsFailures.classify(e, peer(), options);
            }
        }
        while (true) {
            flush();
            if (handshakeStep()) {
                flush();
                handshaken = netOut.position() == 0 && !session.hasOutput();
                if (handshaken) {
                    LOG.debug("TLS to {}: {}", peer(), session.describe());
                }
                return handshaken;
            }
            if (inputClosed) {
                throw TlsFailures.closedDuringHandshake(peer(), handshakeBytes, options, null);
            }
            if (readForHandshake() == 0) {
                break;
            }
        }
        if (System.nanoTime() - handshakeDeadlineNs >= 0) {
            throw TlsFailures.timeout(peer(), options.handshakeTimeoutNs, handshakeBytes);
        }
        return false;
    }

    private boolean handshakeStep() throws IOException {
        netIn.flip();
        try {
            return session.handshake(netIn, netOut, appIn);
        } catch (IOException e) {
            throw TlsFailures.classify(e, peer(), options);
        } finally {
            netIn.compact();
        }
    }

    /**
     * @return bytes read, 0 when none; 1 at end of stream, with {@link #inputClosed} set, so the caller takes one
     *     more handshake step before it reports the hang-up
     */
    private int readForHandshake() throws IOException {
        int read;
        try {
            read = tcp.read(netIn);
        } catch (IOException e) {
            // a reset is how a plaintext listener often answers a ClientHello
            throw TlsFailures.closedDuringHandshake(peer(), handshakeBytes, options, e);
        }
        if (read < 0) {
            inputClosed = true;
            return 1;  // one more step: the handshake may still say why the server hung up
        }
        if (read > 0 && handshakeBytes == 0) {
            int first = netIn.get(0) & 0xFF;
            if (first != TLS_HANDSHAKE && first != TLS_ALERT) {
                throw TlsFailures.notTls(peer(), first);
            }
        }
        handshakeBytes += read;
        return read;
    }

    /** @return OP_CONNECT until TCP is up; then OP_READ, with OP_WRITE while handshake bytes wait to go out */
    @Override
    public int connectInterestOps() {
        if (!tcpConnected) {
            return tcp.connectInterestOps();  // OP_CONNECT, or a proxy tunnel's exchange
        }
        return hasPendingWrites() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
    }

    /** @return the handshake deadline once TCP is connected, else {@code Long.MAX_VALUE} */
    @Override
    public long connectDeadlineNs() {
        return handshaken ? Long.MAX_VALUE : handshakeDeadlineNs;
    }

    /**
     * Decrypts what has arrived into {@code dst}; plaintext that does not fit waits here for the next call.
     *
     * @return plaintext bytes copied, 0 when none now, -1 once the server closed the connection
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int copied = 0;
        while (true) {
            copied += drainPlaintext(dst);
            if (!dst.hasRemaining() || appIn.position() > 0) {
                break;
            }
            if (unwrapBuffered() > 0) {
                continue;
            }
            if (inputClosed) {
                break;
            }
            int read;
            try {
                read = tcp.read(netIn);
            } catch (IOException e) {
                throw hungUpAfterHandshake(e);
            }
            if (read < 0) {
                inputClosed = true;
                if (!plaintextSeen && TlsFailures.offersClientCertificate(options)) {
                    throw TlsFailures.refusedAfterHandshake(peer(), null);
                }
            } else if (read == 0) {
                break;
            }
        }
        flush();  // a post-handshake answer (TLS 1.3 key update) may wait in netOut
        return copied == 0 && inputClosed && appIn.position() == 0 ? -1 : copied;
    }

    /** @return plaintext bytes produced from whole records in {@code netIn} */
    private int unwrapBuffered() throws IOException {
        netIn.flip();
        int produced;
        try {
            produced = session.unwrap(netIn, appIn, netOut);
        } catch (IOException e) {
            throw TlsFailures.classify(e, peer(), options);
        } finally {
            netIn.compact();
        }
        if (produced < 0) {
            inputClosed = true;
            return 0;
        }
        plaintextSeen |= produced > 0;
        return produced;
    }

    /** Copies buffered plaintext into {@code dst}, as much as fits; no allocation (a limit juggle, not a slice). */
    private int drainPlaintext(ByteBuffer dst) {
        if (appIn.position() == 0) {
            return 0;
        }
        appIn.flip();
        int count = Math.min(appIn.remaining(), dst.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + count);
        dst.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        return count;
    }

    /**
     * Encrypts from {@code src} as far as the network buffer has room, and writes what the socket takes.
     *
     * @return plaintext bytes consumed from {@code src}
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        int before = src.remaining();
        flush();
        int packet = session.packetBufferSize();
        try {
            while (src.hasRemaining() && netOut.remaining() >= packet && !session.hasOutput()) {
                if (session.wrap(src, netOut) == 0) {
                    break;
                }
                session.drainOutput(netOut);
            }
        } catch (IOException e) {
            throw TlsFailures.classify(e, peer(), options);
        }
        flush();
        return before - src.remaining();
    }

    private void flush() throws IOException {
        session.drainOutput(netOut);
        if (netOut.position() == 0) {
            return;
        }
        netOut.flip();
        try {
            tcp.write(netOut);
        } catch (IOException e) {
            throw hungUpAfterHandshake(e);
        } finally {
            netOut.compact();
        }
    }

    /**
     * With TLS 1.3 the server checks our client certificate only after our side of the handshake is done, so a
     * refusal can arrive as a reset on our first write or read instead of a readable alert: before any plaintext
     * came back, with a certificate offered, that is what it most likely means.
     */
    private IOException hungUpAfterHandshake(IOException e) {
        if (handshaken && !plaintextSeen && TlsFailures.offersClientCertificate(options)) {
            return TlsFailures.refusedAfterHandshake(peer(), e);
        }
        return e;
    }

    /** @return true while encrypted bytes wait for the socket */
    @Override
    public boolean hasPendingWrites() {
        return netOut != null && (netOut.position() > 0 || session.hasOutput());
    }

    @Override
    public SelectableChannel channel() {
        return tcp.channel();
    }

    @Override
    public String peer() {
        return tcp.peer();
    }

    /**
     * Closes the socket at once, without a TLS close_notify: it may come from any thread, where the session
     * cannot be touched, and MQTT's DISCONNECT already told the server the connection ends.
     */
    @Override
    public void close() throws IOException {
        tcp.close();
    }

    @Override
    public String toString() {
        return "TlsTransport[" + peer() + ", " + options.provider + (handshaken ? ", " + session.describe() : "")
                + "]";
    }
}
