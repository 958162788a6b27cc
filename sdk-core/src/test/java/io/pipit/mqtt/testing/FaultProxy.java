package io.pipit.mqtt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on loopback between a client under test and a broker, which breaks the network on command:
 * {@link #cut} (both sides closed at once), {@link #blackHole} (bytes silently lost, sockets kept open: the
 * half-open connection keepalive must detect), {@link #delay} (latency both ways), {@link #dropAfterIdle} (a
 * NAT that forgets a connection idle for too long, so it goes silent for good) and {@link #rejectConnections}
 * (broker unreachable). It counts connections and bytes so a test can assert what crossed.
 *
 * <pre>{@code
 * try (MosquittoBroker broker = MosquittoBroker.startOrSkip();
 *      FaultProxy proxy = FaultProxy.start(broker.port())) {
 *     // connect the client to 127.0.0.1:proxy.port(), then e.g. proxy.blackHole(true)
 * }
 * }</pre>
 *
 * <p>One named daemon thread ({@code pipit-fault-proxy-PORT}) runs a selector loop over every connection;
 * {@link #close} stops it and closes every socket. Bytes read while black-holed (or after an idle drop) are
 * discarded, FINs included, exactly like packets lost on the path: a connection that lost bytes carries a broken
 * stream even after {@code blackHole(false)}, which a client must then give up on. Faults apply to connections
 * open now and to those accepted later.
 *
 * <p><b>Thread-safety:</b> every public method may be called from any thread; settings are volatile and read
 * by the selector thread on its next pass, and {@link #cut} waits until that thread has closed the sockets.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    private static final long COMMAND_TIMEOUT_MS = 5_000;

    private final InetSocketAddress target;
    private final int port;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread loopThread;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final List<FaultProxyConnection> connections = new ArrayList<>();  // selector thread only
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);  // selector thread only
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicInteger openConnectionCount = new AtomicInteger();
    private final AtomicInteger rejectedCount = new AtomicInteger();
    private final AtomicLong bytesToBroker = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final AtomicLong droppedBytes = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean blackHoled;
    private volatile boolean rejecting;
    private volatile long delayNs;
    private volatile long idleLimitNs;  // 0: never drop
    private volatile Throwable loopFailure;

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            port = server.socket().getLocalPort();
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
        this.loopThread = new Thread(this::runLoop, "pipit-fault-proxy-" + port);
        loopThread.setDaemon(true);  // a test that forgets close() must not keep the JVM alive
        loopThread.start();
    }

    /** Starts a proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}. */
    public static FaultProxy start(int targetPort) {
        return start("127.0.0.1", targetPort);
    }

    /** Starts a proxy on a free loopback port forwarding to {@code targetHost:targetPort}. */
    public static FaultProxy start(String targetHost, int targetPort) {
        try {
            return new FaultProxy(new InetSocketAddress(targetHost, targetPort));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a proxy to " + targetHost + ":" + targetPort, e);
        }
    }

    /** @return the port clients connect to, on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return "127.0.0.1" */
    public String host() {
        return "127.0.0.1";
    }

    /** @return "tcp://127.0.0.1:PORT", the form Paho and most clients take */
    public String uri() {
        return "tcp://" + host() + ":" + port();
    }

    /** Closes both sides of every open connection at once (each sees end of stream); new ones still pass. */
    public void cut() {
        runOnLoop(() -> {
            for (FaultProxyConnection connection : connections) {
                closeQuietly(connection, "cut");
            }
            connections.clear();
            // NIO closes a registered channel's socket only when its key is deregistered by a select:
            // do it now, so both peers already see the close when cut() returns.
            selectNowForClose();
        });
    }

    /** While on, forwards nothing either way and keeps every socket open: a half-open, silent connection. */
    public void blackHole(boolean on) {
        blackHoled = on;
        selector.wakeup();
    }

    /** Holds every chunk of bytes this long before passing it on, both ways; 0 for none. */
    public void delay(long millis) {
        delayNs = TimeUnit.MILLISECONDS.toNanos(requireNonNegative(millis));
        selector.wakeup();
    }

    /**
     * Simulates a NAT idle timeout: a connection that carried no byte either way for {@code millis} is
     * black-holed for good, without telling either side. 0 turns it off (already dropped connections stay dead).
     */
    public void dropAfterIdle(long millis) {
        idleLimitNs = TimeUnit.MILLISECONDS.toNanos(requireNonNegative(millis));
        selector.wakeup();
    }

    /** While on, accepts new connections and closes them at once, as if the broker were down. */
    public void rejectConnections(boolean on) {
        rejecting = on;
    }

    /** @return connections accepted and forwarded since start (rejected ones not included) */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** @return connections open right now */
    public int openConnectionCount() {
        return openConnectionCount.get();
    }

    /** @return connections closed at once by {@link #rejectConnections} */
    public int rejectedCount() {
        return rejectedCount.get();
    }

    /** @return bytes written to the broker side, all connections */
    public long bytesToBroker() {
        return bytesToBroker.get();
    }

    /** @return bytes written to the client side, all connections */
    public long bytesToClient() {
        return bytesToClient.get();
    }

    /** @return bytes read and discarded by a black hole or an idle drop, both ways */
    public long droppedBytes() {
        return droppedBytes.get();
    }

    /** Stops the selector thread and closes every socket; idempotent. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            loopThread.join(COMMAND_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing " + this, e);
        }
        if (loopThread.isAlive()) {
            throw new IllegalStateException(this + ": selector thread did not stop within " + COMMAND_TIMEOUT_MS
                    + " ms");
        }
        if (loopFailure != null) {
            throw new IllegalStateException(this + " failed while running", loopFailure);
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[127.0.0.1:" + port() + " -> " + target.getHostString() + ":" + target.getPort() + "]";
    }

    private static long requireNonNegative(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("millis must be >= 0 but was " + millis);
        }
        return millis;
    }

    /** Runs {@code command} on the selector thread and waits for it, so its effect is visible on return. */
    private void runOnLoop(Runnable command) {
        if (!running) {
            throw new IllegalStateException(this + " is closed");
        }
        final CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(() -> {
            try {
                command.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            done.get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(this + ": command failed or timed out (running=" + running + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this, e);
        }
    }

    private void runLoop() {
        try {
            while (running) {
                final long nowNs = System.nanoTime();
                final long waitMs = millisUntil(nextDeadlineNs(nowNs), nowNs);
                if (waitMs == 0) {
                    selector.select();
                } else {
                    selector.select(waitMs);
                }
                for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
                    command.run();
                }
                handleSelectedKeys(System.nanoTime());
                sweep(System.nanoTime());
            }
        } catch (IOException | RuntimeException e) {
            loopFailure = e;
            LOG.error("{} stopped on an unexpected failure", this, e);
        } finally {
            shutdown();
        }
    }

    private void handleSelectedKeys(long nowNs) throws IOException {
        final Iterator<SelectionKey> selected = selector.selectedKeys().iterator();
        while (selected.hasNext()) {
            final SelectionKey key = selected.next();
            selected.remove();
            if (!key.isValid()) {
                continue;  // its connection was closed earlier in this pass
            }
            if (key.isAcceptable()) {
                accept(nowNs);
                continue;
            }
            final FaultProxyConnection connection = (FaultProxyConnection) key.attachment();
            try {
                if (key.isConnectable()) {
                    connection.finishBrokerConnect();
                } else if (key.isReadable()) {
                    droppedBytes.addAndGet(connection.receive(key.channel(), readBuffer, nowNs, delayNs, blackHoled));
                }
                // OP_WRITE needs nothing here: the sweep flushes every connection.
            } catch (IOException e) {
                LOG.debug("{} {} failed; closing both sides", this, connection, e);
                closeAndForget(connection, e.toString());
            }
        }
    }

    private void accept(long nowNs) throws IOException {
        final SocketChannel client = server.accept();
        if (client == null) {
            return;
        }
        if (rejecting) {
            rejectedCount.incrementAndGet();
            client.close();
            return;
        }
        final SocketChannel broker = SocketChannel.open();
        final FaultProxyConnection connection = new FaultProxyConnection(connectionCount.incrementAndGet(), client,
                broker, nowNs, bytesToBroker, bytesToClient);
        openConnectionCount.incrementAndGet();
        connections.add(connection);
        try {
            connection.register(selector, target);
        } catch (IOException e) {
            LOG.debug("{} {}: broker unreachable; closing the client", this, connection, e);
            closeAndForget(connection, e.toString());
        }
    }

    /** Flushes what is due, applies the idle limit, closes finished connections, refreshes interest. */
    private void sweep(long nowNs) {
        final long idleLimit = idleLimitNs;
        final boolean silent = blackHoled;
        for (Iterator<FaultProxyConnection> it = connections.iterator(); it.hasNext(); ) {
            final FaultProxyConnection connection = it.next();
            try {
                if (connection.service(nowNs, idleLimit, silent)) {
                    it.remove();
                    closeQuietly(connection, "both sides ended");
                }
            } catch (IOException e) {
                it.remove();
                closeQuietly(connection, e.toString());
            }
        }
    }

    /** @return the next moment a queued chunk falls due or an idle limit expires, or {@code NO_DEADLINE} */
    private long nextDeadlineNs(long nowNs) {
        final long idleLimit = idleLimitNs;
        long next = FaultProxyConnection.NO_DEADLINE;
        for (FaultProxyConnection connection : connections) {
            next = FaultProxyConnection.earlier(next, connection.nextDeadlineNs(idleLimit, nowNs), nowNs);
        }
        return next;
    }

    /** @return milliseconds to wait for {@code deadlineNs}, at least 1; 0 means "no deadline, wait for I/O" */
    private static long millisUntil(long deadlineNs, long nowNs) {
        if (deadlineNs == FaultProxyConnection.NO_DEADLINE) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - nowNs + 999_999));
    }

    private void closeAndForget(FaultProxyConnection connection, String reason) {
        connections.remove(connection);
        closeQuietly(connection, reason);
    }

    /** Closing is the goal here: a close that fails leaves nothing to do but say so. */
    private void closeQuietly(FaultProxyConnection connection, String reason) {
        openConnectionCount.decrementAndGet();
        LOG.debug("{} {} closed: {}", this, connection, reason);
        try {
            connection.close();
        } catch (IOException e) {
            LOG.warn("{} {}: close failed", this, connection, e);
        }
    }

    private void selectNowForClose() {
        try {
            selector.selectNow();
        } catch (IOException e) {
            throw new UncheckedIOException(this + ": selectNow after cut failed", e);
        }
    }

    private void shutdown() {
        for (FaultProxyConnection connection : connections) {
            closeQuietly(connection, "proxy closed");
        }
        connections.clear();
        try {
            server.close();
            selector.close();  // also releases the sockets of channels closed above
        } catch (IOException e) {
            LOG.warn("{}: closing the listener or selector failed", this, e);
        }
    }
}
