package io.pipit.mqtt.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * Plain TCP to the broker over a non-blocking NIO {@link SocketChannel}, with Nagle's algorithm off
 * ({@code TCP_NODELAY}) because MQTT packets are small and a PUBACK held back 40 ms by delayed-ACK interplay
 * costs more than the extra segments.
 *
 * <p><b>Thread-safety:</b> not thread-safe; {@link #connect}, {@link #finishConnect}, {@link #read} and
 * {@link #write} belong to the one driver thread that runs this connection. {@link #close} alone may be called
 * from any thread (closing an NIO channel from another thread is safe, and a user's {@code close()} often
 * arrives that way). {@link #peer} is immutable and safe everywhere.
 *
 * <p><b>Allocation:</b> {@link #read}, {@link #write} and {@link #hasPendingWrites} allocate nothing once
 * connected (the JDK copies a heap buffer through a cached per-thread direct buffer); only failures allocate,
 * to build an exception that names the peer. The host name is resolved in {@link #connect}, so a reconnect
 * after a DNS change reaches the new address and a constructor never blocks on DNS.
 *
 * <p>The connect timeout is the driver's job: it closes this transport when {@link #finishConnect} has not
 * returned true in time.
 */
public final class TcpTransport implements Transport {
    private final String host;
    private final int port;
    private final String peer;
    /** Written by the driver thread in connect(), read by close() from any thread: hence volatile. */
    private volatile SocketChannel channel;
    private boolean connected;

    /**
     * @param host a host name or IP literal; resolved on each {@link #connect}
     * @param port the TCP port, 1 to 65535
     */
    public TcpTransport(String host, int port) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535 but was " + port);
        }
        this.host = host;
        this.port = port;
        // An IPv6 literal needs brackets, or "::1:1883" cannot be told apart from an address.
        this.peer = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Resolves the host and starts a non-blocking connect.
     *
     * @throws UnknownHostException when the host does not resolve (the message names host:port)
     * @throws IOException when the socket cannot be opened or the connect fails at once (e.g. refused)
     * @throws IllegalStateException when called twice; a transport connects once, a reconnect makes a new one
     */
    @Override
    public void connect() throws IOException {
        if (channel != null) {
            throw new IllegalStateException("connect() already called for " + peer + "; use a new transport");
        }
        final InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException("cannot resolve " + peer);
        }
        final SocketChannel opened = SocketChannel.open();
        channel = opened;
        try {
            opened.configureBlocking(false);
            // socket().setTcpNoDelay rather than setOption(StandardSocketOptions.TCP_NODELAY): Android API 21.
            opened.socket().setTcpNoDelay(true);
            connected = opened.connect(address);
        } catch (IOException e) {
            closeAfterFailure(opened, e);
            throw named("cannot connect to", e);
        }
    }

    /**
     * Completes the TCP handshake when the selector reports the channel connectable.
     *
     * @return true once connected; false while the handshake is still in progress
     * @throws IOException naming host:port when the connection was refused, timed out or reset
     */
    @Override
    public boolean finishConnect() throws IOException {
        if (connected) {
            return true;
        }
        final SocketChannel opened = requireChannel();
        try {
            connected = opened.finishConnect();
        } catch (IOException e) {
            closeAfterFailure(opened, e);
            throw named("cannot connect to", e);
        }
        return connected;
    }

    /** @return {@code OP_CONNECT}: until connected, TCP waits for nothing else */
    @Override
    public int connectInterestOps() {
        return SelectionKey.OP_CONNECT;
    }

    /** @return {@code Long.MAX_VALUE}: the driver's connect timeout is the only one */
    @Override
    public long connectDeadlineNs() {
        return Long.MAX_VALUE;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        final SocketChannel opened = requireChannel();
        try {
            return opened.read(dst);
        } catch (IOException e) {
            throw named("read failed from", e);
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        final SocketChannel opened = requireChannel();
        try {
            return opened.write(src);
        } catch (IOException e) {
            throw named("write failed to", e);
        }
    }

    /** @return false: plain TCP keeps no bytes of its own */
    @Override
    public boolean hasPendingWrites() {
        return false;
    }

    /**
     * @return the socket channel, for registering with a selector
     * @throws IllegalStateException before {@link #connect}
     */
    @Override
    public SelectableChannel channel() {
        return requireChannel();
    }

    /** @return "host:port" as given to the constructor (IPv6 literals in brackets) */
    @Override
    public String peer() {
        return peer;
    }

    /** Closes the socket; idempotent, callable from any thread, and a no-op before {@link #connect}. */
    @Override
    public void close() throws IOException {
        final SocketChannel opened = channel;
        if (opened != null) {
            opened.close();  // SocketChannel.close() is itself idempotent
        }
    }

    @Override
    public String toString() {
        return "TcpTransport[" + peer + (connected ? ", connected]" : "]");
    }

    private SocketChannel requireChannel() {
        final SocketChannel opened = channel;
        if (opened == null) {
            throw new IllegalStateException("connect() has not been called for " + peer);
        }
        return opened;
    }

    /** The JDK says only "Connection refused": a reconnect log across several servers needs the peer too. */
    private IOException named(String what, IOException cause) {
        final String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        final String message = what + " " + peer + ": " + reason;
        final IOException named = cause instanceof ConnectException
                ? new ConnectException(message)  // keeps "refused" distinguishable by type for the driver
                : new IOException(message);
        named.initCause(cause);
        return named;
    }

    /** The connect failure is what the caller needs; a failure to close as well rides along, suppressed. */
    private static void closeAfterFailure(SocketChannel opened, IOException failure) {
        try {
            opened.close();
        } catch (IOException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }
}
