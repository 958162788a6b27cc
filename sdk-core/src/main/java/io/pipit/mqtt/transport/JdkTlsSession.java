package io.pipit.mqtt.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS on the platform's {@link SSLEngine} (JDK or Android). Each {@code wrap}/{@code unwrap} returns a new
 * {@link SSLEngineResult} and the engine allocates inside its record layer: that is the JDK's share of the
 * bytes per message, which this class cannot avoid; it allocates nothing of its own per record.
 *
 * <p><b>Thread-safety:</b> not thread-safe; the connection's driver thread only.
 */
final class JdkTlsSession implements TlsSession {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;

    private JdkTlsSession(SSLEngine engine) {
        this.engine = engine;
    }

    /** @throws IOException when the options cannot be turned into an engine (e.g. a broken key store) */
    static JdkTlsSession create(TlsOptions options, String host, int port) throws IOException {
        SSLEngine engine;
        try {
            engine = TlsContexts.sslContext(options, host)
                    .createSSLEngine(options.serverName != null ? options.serverName : host, port);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for " + host + ":" + port + ": " + e.getMessage(), e);
        }
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(enabled(options.protocols, engine.getSupportedProtocols()));
        if (options.serverName != null) {
            SslParametersCompat.serverName(parameters, options.serverName);
        }
        if (!options.alpn.isEmpty()) {
            SslParametersCompat.applicationProtocols(parameters, options.alpn);
        }
        engine.setSSLParameters(parameters);
        return new JdkTlsSession(engine);
    }

    private static String[] enabled(List<String> wanted, String[] supported) {
        List<String> enabled = new ArrayList<>(wanted);
        enabled.retainAll(Arrays.asList(supported));
        if (enabled.isEmpty()) {
            throw new IllegalStateException("this platform supports none of " + wanted + " (it has "
                    + Arrays.toString(supported) + ")");
        }
        return enabled.toArray(new String[0]);
    }

    @Override
    public int packetBufferSize() {
        return engine.getSession().getPacketBufferSize();
    }

    @Override
    public int applicationBufferSize() {
        return engine.getSession().getApplicationBufferSize();
    }

    @Override
    public void begin(ByteBuffer netOut) throws IOException {
        engine.beginHandshake();
    }

    @Override
    public boolean handshake(ByteBuffer netIn, ByteBuffer netOut, ByteBuffer appIn) throws IOException {
        while (true) {
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                if (netOut.remaining() < packetBufferSize()) {
                    return false;  // flush first
                }
                requireOpen(engine.wrap(EMPTY, netOut));
            } else if (status == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                SSLEngineResult result = engine.unwrap(netIn, appIn);
                requireOpen(result);
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    return false;  // underflow: wait for more bytes; overflow: let appIn drain
                }
            } else {
                return true;  // FINISHED or NOT_HANDSHAKING
            }
        }
    }

    @Override
    public int unwrap(ByteBuffer netIn, ByteBuffer appIn, ByteBuffer netOut) throws IOException {
        if (engine.isInboundDone()) {
            return -1;
        }
        int produced = 0;
        while (netIn.hasRemaining()) {
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                return produced > 0 ? produced : -1;
            }
            produced += result.bytesProduced();
            if (engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                handshake(netIn, netOut, appIn);  // TLS 1.3 post-handshake messages, e.g. a key update
            }
            if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                break;  // underflow (a partial record), overflow (appIn full), or nothing the engine could take
            }
        }
        return produced;
    }

    @Override
    public int wrap(ByteBuffer src, ByteBuffer netOut) throws IOException {
        SSLEngineResult result = engine.wrap(src, netOut);
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("the TLS session is closed");
        }
        return result.bytesConsumed();
    }

    @Override
    public void drainOutput(ByteBuffer netOut) {
        // the engine writes straight into netOut
    }

    @Override
    public boolean hasOutput() {
        return false;
    }

    @Override
    public String describe() {
        return engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();  // on the driver thread: certificate checks are short, and it keeps one thread per client
        }
    }

    private static void requireOpen(SSLEngineResult result) throws SSLException {
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("the server closed the TLS session during the handshake");
        }
    }
}
