package io.pipit.mqtt.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection through a {@link FaultProxy}: the accepted client socket, the socket to the broker, and
 * a queue of timed chunks per direction (so a delay holds bytes without holding up reads).
 *
 * <p><b>Thread-safety:</b> none; only the proxy's selector thread touches it.
 */
final class FaultProxyConnection {
    private static final Logger LOG = LoggerFactory.getLogger(FaultProxyConnection.class);
    /** "Nothing waits on a timer", for deadline arithmetic. */
    static final long NO_DEADLINE = Long.MAX_VALUE;
    /** Stop reading a side once this much waits for the other side, so a stalled peer cannot grow memory. */
    private static final int MAX_QUEUED_BYTES = 1 << 20;

    private final int id;
    private final SocketChannel client;
    private final SocketChannel broker;
    private final Direction upstream;
    private final Direction downstream;
    private SelectionKey clientKey;
    private SelectionKey brokerKey;
    private boolean brokerConnected;
    /** Set once the connection idled past the proxy's idle limit: from then on it forwards nothing, ever. */
    private boolean idleDropped;
    private long lastActivityNs;

    FaultProxyConnection(int id, SocketChannel client, SocketChannel broker, long nowNs,
            AtomicLong bytesToBroker, AtomicLong bytesToClient) {
        this.id = id;
        this.client = client;
        this.broker = broker;
        this.upstream = new Direction(client, broker, bytesToBroker);
        this.downstream = new Direction(broker, client, bytesToClient);
        this.lastActivityNs = nowNs;
    }

    /** Makes both sockets non-blocking, registers them and starts connecting to the broker. */
    void register(Selector selector, InetSocketAddress target) throws IOException {
        client.configureBlocking(false);
        client.socket().setTcpNoDelay(true);
        broker.configureBlocking(false);
        broker.socket().setTcpNoDelay(true);
        clientKey = client.register(selector, 0, this);
        brokerKey = broker.register(selector, SelectionKey.OP_CONNECT, this);
        if (broker.connect(target)) {
            finishBrokerConnect();
        }
    }

    /** Completes the broker connect once the selector says so; only then is the client read. */
    void finishBrokerConnect() throws IOException {
        if (broker.finishConnect()) {
            brokerConnected = true;
            updateInterest();
            LOG.debug("{} open", this);
        }
    }

    /**
     * Reads what {@code from} has and queues it for the other side {@code delayNs} from now, or drops it when
     * {@code blackHoled} or this connection was idle-dropped.
     *
     * @return bytes dropped
     */
    int receive(SelectableChannel from, ByteBuffer buffer, long nowNs, long delayNs, boolean blackHoled)
            throws IOException {
        final Direction direction = from == client ? upstream : downstream;
        final int read = direction.read(buffer);
        if (read <= 0) {
            return 0;
        }
        lastActivityNs = nowNs;
        if (blackHoled || idleDropped) {
            return read;
        }
        direction.enqueue(buffer, nowNs + delayNs);
        return 0;
    }

    /** @return true once both sides have ended their stream and every queued byte was delivered */
    private boolean finished() {
        return upstream.drainedAfterEof() && downstream.drainedAfterEof();
    }

    /**
     * One pass of the selector loop for this connection: marks it dropped once idle past {@code idleLimitNs}
     * (0: no limit), writes every chunk that is due (nothing passes the FINs while {@code blackHoled} or dropped)
     * and refreshes the keys' interest.
     *
     * @return true once both sides ended and everything was delivered: close it
     */
    boolean service(long nowNs, long idleLimitNs, boolean blackHoled) throws IOException {
        if (!brokerConnected) {
            return false;
        }
        if (idleLimitNs > 0 && !idleDropped && nowNs - lastActivityNs >= idleLimitNs) {
            idleDropped = true;
            LOG.debug("{} idle for {} ms: dropped silently", this, idleLimitNs / 1_000_000);
        }
        final boolean silent = blackHoled || idleDropped;
        upstream.flush(nowNs, silent);
        downstream.flush(nowNs, silent);
        if (finished()) {
            return true;
        }
        updateInterest();
        return false;
    }

    /** @return when this connection next needs the loop (a chunk due, the idle limit), or {@link #NO_DEADLINE} */
    long nextDeadlineNs(long idleLimitNs, long nowNs) {
        long next = earlier(upstream.nextDueNs(NO_DEADLINE), downstream.nextDueNs(NO_DEADLINE), nowNs);
        if (idleLimitNs > 0 && !idleDropped && brokerConnected) {
            next = earlier(next, lastActivityNs + idleLimitNs, nowNs);
        }
        return next;
    }

    /** @return the earlier of two deadlines (compared relative to now, as nanoTime requires) */
    static long earlier(long a, long b, long nowNs) {
        if (a == NO_DEADLINE) {
            return b;
        }
        if (b == NO_DEADLINE) {
            return a;
        }
        return b - nowNs < a - nowNs ? b : a;
    }

    /** Recomputes both keys' interest from the queues: read while there is room, write while a write stalled. */
    private void updateInterest() {
        if (!brokerConnected) {
            return;  // the broker key waits for OP_CONNECT; the client is not read until the broker is there
        }
        setInterest(clientKey, upstream.interestAsSource() | downstream.interestAsSink());
        setInterest(brokerKey, downstream.interestAsSource() | upstream.interestAsSink());
    }

    private static void setInterest(SelectionKey key, int ops) {
        if (key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** Closes both sockets; the caller's select() then releases them (NIO defers a registered channel's close). */
    void close() throws IOException {
        try {
            client.close();
        } finally {
            broker.close();
        }
    }

    @Override
    public String toString() {
        return "proxied connection #" + id + " from " + client.socket().getRemoteSocketAddress();
    }

    /** Bytes one way: read from {@code source}, held until due, written to {@code sink}. */
    static final class Direction {
        private final SocketChannel source;
        private final SocketChannel sink;
        private final AtomicLong forwardedBytes;
        private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
        private int queuedBytes;
        private boolean sourceEnded;
        private boolean sinkShut;
        private boolean writeStalled;

        Direction(SocketChannel source, SocketChannel sink, AtomicLong forwardedBytes) {
            this.source = source;
            this.sink = sink;
            this.forwardedBytes = forwardedBytes;
        }

        /**
         * Reads what the source has into {@code buffer}; @return bytes read, or -1 at end of stream. Queuing is
         * the caller's decision (a black hole drops what was read).
         */
        int read(ByteBuffer buffer) throws IOException {
            buffer.clear();
            final int read = source.read(buffer);
            if (read < 0) {
                sourceEnded = true;
            }
            buffer.flip();
            return read;
        }

        /** Queues a copy of {@code buffer}'s bytes to be written at {@code dueNs}. */
        void enqueue(ByteBuffer buffer, long dueNs) {
            final byte[] copy = new byte[buffer.remaining()];
            buffer.get(copy);
            queue.addLast(new Chunk(ByteBuffer.wrap(copy), dueNs));
            queuedBytes += copy.length;
        }

        /**
         * Writes every chunk that is due; on end of stream with nothing left, passes the FIN on unless
         * {@code swallowEof} (a black hole loses FINs too).
         */
        void flush(long nowNs, boolean swallowEof) throws IOException {
            writeStalled = false;
            for (Chunk head = queue.peekFirst(); head != null && head.dueNs - nowNs <= 0; head = queue.peekFirst()) {
                final int written = sink.write(head.bytes);
                forwardedBytes.addAndGet(written);
                queuedBytes -= written;
                if (head.bytes.hasRemaining()) {
                    writeStalled = true;  // the sink's socket buffer is full: OP_WRITE says when to go on
                    return;
                }
                queue.pollFirst();
            }
            if (sourceEnded && queue.isEmpty() && !sinkShut && !swallowEof) {
                sinkShut = true;
                sink.shutdownOutput();
            }
        }

        /** @return the earliest due time among queued chunks, or {@code noneNs} when nothing waits on a timer */
        long nextDueNs(long noneNs) {
            final Chunk head = queue.peekFirst();
            return head == null || writeStalled ? noneNs : head.dueNs;
        }

        boolean drainedAfterEof() {
            return sourceEnded && queue.isEmpty();
        }

        int interestAsSource() {
            return !sourceEnded && queuedBytes < MAX_QUEUED_BYTES ? SelectionKey.OP_READ : 0;
        }

        int interestAsSink() {
            return writeStalled ? SelectionKey.OP_WRITE : 0;
        }
    }

    /** Bytes read at one moment, to be written once {@code dueNs} has passed. */
    private static final class Chunk {
        final ByteBuffer bytes;
        final long dueNs;

        Chunk(ByteBuffer bytes, long dueNs) {
            this.bytes = bytes;
            this.dueNs = dueNs;
        }
    }
}
