package io.pipit.mqtt.transport;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * A byte pipe to the broker: the only thing a driver needs from TCP, TLS or WebSocket. Non-blocking, so one
 * thread can serve many connections. Not thread-safe: a transport belongs to the driver thread that opened it.
 *
 * <p>The contract, kept deliberately small:
 * <ul>
 *   <li>{@link #read} and {@link #write} never block; 0 means "nothing now, try again when the selector says
 *       so", never "closed". End of stream is -1 from {@code read}; every other failure is an
 *       {@link IOException} naming the peer.</li>
 *   <li>{@link #connect} starts the connection (TCP, then any handshake); {@link #finishConnect} advances it
 *       and returns true once bytes can flow. A driver calls it whenever the channel is ready.</li>
 *   <li>Neither read nor write allocates once connected (TLS layers allocate inside the JDK and say so).</li>
 * </ul>
 */
public interface Transport extends Closeable {
    /** Starts connecting; returns at once. */
    void connect() throws IOException;

    /** @return true once the connection (and any handshake) is complete and bytes can flow */
    boolean finishConnect() throws IOException;

    /**
     * @return the selector interest while {@link #finishConnect} has not yet returned true:
     *     {@code OP_CONNECT} for TCP; a TLS handshake also waits to read or to write
     */
    int connectInterestOps();

    /**
     * @return the {@code System.nanoTime()} by which {@link #finishConnect} must be called again even without
     *     readiness, because it enforces a deadline of its own (a TLS handshake timeout); else
     *     {@code Long.MAX_VALUE}
     */
    long connectDeadlineNs();

    /**
     * Reads what has arrived into {@code dst} (from its position up to its limit).
     *
     * @return bytes read, 0 when none are available now, -1 at end of stream
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes from {@code src} (position to limit) as much as the socket takes now.
     *
     * @return bytes written, possibly 0 when the socket buffer is full
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * @return true when this transport holds bytes it still has to write although {@code src} is empty
     *     (e.g. TLS records); plain TCP never does
     */
    boolean hasPendingWrites();

    /** @return the channel a selector waits on, for drivers that multiplex many connections */
    SelectableChannel channel();

    /** @return "host:port" of the peer, for messages and logs */
    String peer();

    /** Closes the connection at once; idempotent, never throws for an already closed transport. */
    @Override
    void close() throws IOException;
}
