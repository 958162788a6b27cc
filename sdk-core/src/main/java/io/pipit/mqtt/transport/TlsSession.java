package io.pipit.mqtt.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One TLS provider's record layer and handshake, driven by {@link TlsTransport}, which owns the socket and the
 * three buffers. Every buffer argument is the transport's preallocated one: {@code netIn} in read mode
 * (position to limit is what arrived), {@code netOut} and {@code appIn} in write mode. Implementations:
 * {@link JdkTlsSession} on {@code SSLEngine}, {@link BcTlsSession} on BouncyCastle.
 *
 * <p><b>Thread-safety:</b> not thread-safe; the connection's driver thread only.
 */
interface TlsSession {
    /** @return bytes {@code netIn} and {@code netOut} must hold at least: one whole TLS record */
    int packetBufferSize();

    /** @return bytes {@code appIn} must hold: one whole record's plaintext */
    int applicationBufferSize();

    /** Starts the handshake (the ClientHello goes to {@code netOut}). */
    void begin(ByteBuffer netOut) throws IOException;

    /**
     * Advances the handshake with what {@code netIn} holds.
     *
     * @return true once the handshake is complete
     */
    boolean handshake(ByteBuffer netIn, ByteBuffer netOut, ByteBuffer appIn) throws IOException;

    /**
     * Decrypts the whole records {@code netIn} holds into {@code appIn} while it has room; answers post-handshake
     * messages into {@code netOut}.
     *
     * @return plaintext bytes produced, or -1 once the server has closed the TLS session
     */
    int unwrap(ByteBuffer netIn, ByteBuffer appIn, ByteBuffer netOut) throws IOException;

    /**
     * Encrypts from {@code src} into {@code netOut}, which has room for at least {@link #packetBufferSize}.
     *
     * @return plaintext bytes consumed from {@code src}
     */
    int wrap(ByteBuffer src, ByteBuffer netOut) throws IOException;

    /** Moves output the provider holds itself into {@code netOut}, as far as it has room. */
    void drainOutput(ByteBuffer netOut);

    /** @return true while the provider holds output {@link #drainOutput} has not yet taken */
    boolean hasOutput();

    /** @return the negotiated protocol and cipher suite, for logs */
    String describe();
}
