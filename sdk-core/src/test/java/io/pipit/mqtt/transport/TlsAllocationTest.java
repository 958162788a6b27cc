package io.pipit.mqtt.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.AllocationMeter;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-allocation contract over TLS. Our side, {@link TlsTransport}'s buffering, is measured alone with a
 * pass-through session and must allocate nothing; end to end through mosquitto, the TLS providers' record
 * layers allocate, and this test reports their bytes per message (copied into bench/README.md) under a sanity
 * bound that catches a regression by an order of magnitude, not a tuning target.
 */
class TlsAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int RECORDS = 100_000;
    private static final int MESSAGES = 20_000;
    /** Far above the 3.3-4.2 KB per message measured here for either provider; see the class doc. */
    private static final long BYTES_PER_MESSAGE_BOUND = 64 * 1024;

    @TempDir
    Path directory;

    @Test
    void shouldMoveRecordsThroughTheTransportWithoutAllocating() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echoer = new Thread(() -> echo(echo), "tls-echo");
            echoer.setDaemon(true);
            echoer.start();
            TlsTransport transport = new TlsTransport("127.0.0.1", echo.getLocalPort(), TlsOptions.defaults(),
                    new PassThroughSession());
            try {
                transport.connect();
                while (!transport.finishConnect()) {
                    Thread.yield();
                }
                ByteBuffer out = ByteBuffer.allocateDirect(64);
                ByteBuffer in = ByteBuffer.allocateDirect(64);
                exchange(transport, out, in, RECORDS);  // warm-up
                // least of three rounds: a one-off recompilation on a loaded machine shows in one round only
                AllocationMeter meter = new AllocationMeter(3);
                long bytes = meter.leastBytesPerRound(() -> {
                    try {
                        exchange(transport, out, in, RECORDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("round trip failed while measuring", e);
                    }
                    return RECORDS;
                });
                assertEquals(0, bytes, "TlsTransport allocated " + bytes + " bytes for " + RECORDS + " round trips");
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void shouldReportBytesPerMessageOverJdkTls() throws Exception {
        report("JDK SSLEngine", TlsOptions.builder());
    }

    @Test
    void shouldReportBytesPerMessageOverBouncyCastleTls() throws Exception {
        report("BouncyCastle", TlsOptions.builder().bouncyCastle());
    }

    /** Writes one 64-byte record and reads it back, {@code count} times; busy-polls, as a driver would. */
    private static void exchange(TlsTransport transport, ByteBuffer out, ByteBuffer in, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            out.clear();
            out.putLong(0, i);
            while (out.hasRemaining()) {
                transport.write(out);
            }
            in.clear();
            while (in.hasRemaining()) {
                if (transport.read(in) < 0) {
                    throw new AssertionError("echo closed after " + i + " records");
                }
            }
            assertEquals(i, in.getLong(0));
        }
    }

    private static void echo(ServerSocket server) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[4096];
            for (int read; (read = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, read);
            }
        } catch (java.io.IOException e) {
            // the transport closed: the echo is done
        }
    }

    private void report(String provider, TlsOptions.Builder options) throws Exception {
        TestPki.Identity ca = TestPki.ca("alloc CA");
        AtomicLong received = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        TlsOptions tls = options.trustPem(ca.certificatePem()).build();
        String tag = provider.startsWith("JDK") ? "jdk" : "bc";
        try (MosquittoBroker broker = TlsSupport.broker(directory, ca, TestPki.localhost(ca));
                MqttClient subscriber = TlsSupport.client("mqtts://127.0.0.1:" + broker.port(), tls, "alloc-sub-" + tag)
                        .build();
                MqttClient publisher = TlsSupport.client("mqtts://127.0.0.1:" + broker.port(), tls, "alloc-pub-" + tag)
                        .publishListener((sequence, reasonCode) -> completed.incrementAndGet()).build()) {
            subscriber.connect();
            subscriber.subscribe("alloc/tls/#", QoS.AT_LEAST_ONCE, message -> received.incrementAndGet())
                    .get(5, TimeUnit.SECONDS);
            publisher.connect();
            long[] threads = {Thread.currentThread().getId(), ioThread("alloc-sub-" + tag), ioThread("alloc-pub-" + tag)};
            Topic topic = Topic.of("alloc/tls/temp");
            byte[] payload = new byte[64];
            publish(publisher, topic, payload, MESSAGES, received, completed);  // warm-up
            long before = sum(THREADS.getThreadAllocatedBytes(threads));
            publish(publisher, topic, payload, MESSAGES, received, completed);
            long perMessage = (sum(THREADS.getThreadAllocatedBytes(threads)) - before) / MESSAGES;
            System.out.println("TLS allocation, " + provider + ": " + perMessage + " bytes per QoS 1 message "
                    + "(64-byte payload, published and received, all threads)");
            assertTrue(perMessage < BYTES_PER_MESSAGE_BOUND, provider + " allocated " + perMessage + " B/message");
        }
    }

    private static void publish(MqttClient publisher, Topic topic, byte[] payload, int count, AtomicLong received,
            AtomicLong completed) throws InterruptedException {
        long receivedTarget = received.get() + count;
        long completedTarget = completed.get() + count;
        for (int i = 0; i < count; i++) {
            while (publisher.publish(topic, payload, 0, payload.length, QoS.AT_LEAST_ONCE) < 0) {
                Thread.yield();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((received.get() < receivedTarget || completed.get() < completedTarget) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(receivedTarget, received.get(), "messages received");
        assertEquals(completedTarget, completed.get(), "publishes completed");
    }

    private static long ioThread(String clientId) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("pipit-io-" + clientId))
                .findFirst().orElseThrow(() -> new AssertionError("no I/O thread for " + clientId)).getId();
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long value : values) {
            total += value;
        }
        return total;
    }

    /** No encryption: records pass as they are, so only {@link TlsTransport}'s own work is measured. */
    private static final class PassThroughSession implements TlsSession {
        @Override
        public int packetBufferSize() {
            return 16_384;
        }

        @Override
        public int applicationBufferSize() {
            return 16_384;
        }

        @Override
        public void begin(ByteBuffer netOut) {
        }

        @Override
        public boolean handshake(ByteBuffer netIn, ByteBuffer netOut, ByteBuffer appIn) {
            return true;
        }

        @Override
        public int unwrap(ByteBuffer netIn, ByteBuffer appIn, ByteBuffer netOut) {
            return copy(netIn, appIn);
        }

        @Override
        public int wrap(ByteBuffer src, ByteBuffer netOut) {
            return copy(src, netOut);
        }

        private static int copy(ByteBuffer from, ByteBuffer to) {
            int count = Math.min(from.remaining(), to.remaining());
            int limit = from.limit();
            from.limit(from.position() + count);
            to.put(from);
            from.limit(limit);
            return count;
        }

        @Override
        public void drainOutput(ByteBuffer netOut) {
        }

        @Override
        public boolean hasOutput() {
            return false;
        }

        @Override
        public String describe() {
            return "pass-through";
        }
    }
}
