package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.queue.MemoryQueue;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} from a listener when the DISCONNECT cannot be written: the server accepted the connection and then
 * stopped reading, so the socket's buffers and the outbound queue are full. The listener's {@code close()} returns at
 * once; the I/O thread then gives the queue the connect timeout to drain, the DISCONNECT the connect timeout again to
 * be written, and closes the connection without it and ends (it used to stay busy with the unwritable bytes for
 * good). Nothing here measures time: the outcome is awaited with a generous deadline.
 */
class UnreadPeerCloseTest {
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    private final List<Object> heard = new ArrayList<>();
    private volatile MqttClient client;

    @Test
    void shouldEndTheConnectionAndTheThreadWhenTheDisconnectCannotBeWritten() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(4096); // before bind: the window stays small
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = MqttClient.builder().server("mqtt://127.0.0.1:" + server.getLocalPort())
                    .clientId("unread-peer").connectTimeout(1, TimeUnit.SECONDS)
                    .queue(new MemoryQueue(1 << 20, 1_000))
                    .connectionListener(new ConnectionListener() {
                        @Override
                        public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                            record("disconnected " + detail);
                        }
                    })
                    .unroutedMessageListener(message -> {
                        record(Thread.currentThread());
                        try {
                            client.close();
                            record("close() returned");
                        } catch (Exception | Error e) {
                            record(e);
                        }
                    }).build();
            try (MqttClient closedLast = client) {
                closedLast.connectAsync();
                try (Socket peer = server.accept()) {
                    closeWhileUnread(peer);
                }
            }
        }
    }

    private void closeWhileUnread(Socket peer) throws IOException, InterruptedException {
        DataInputStream in = new DataInputStream(peer.getInputStream());
        readPacket(in); // CONNECT; nothing is read after it
        OutputStream out = peer.getOutputStream();
        out.write(new byte[] {0x20, 0x03, 0x00, 0x00, 0x00}); // CONNACK: success, no properties
        out.flush();
        awaitUntil(client::isConnected, "connected");
        fillUntilRefused(client);

        // PUBLISH QoS 0 to "go", no properties, payload "x": the client still reads, so its listener runs
        out.write(new byte[] {0x30, 0x06, 0x00, 0x02, 'g', 'o', 0x00, 'x'});
        out.flush();
        awaitUntil(() -> recorded().size() >= 2, "the listener's close()");
        assertEquals("close() returned", recorded().get(1), () -> "listener heard " + recorded());
        Thread io = (Thread) recorded().get(0);
        awaitUntil(() -> !io.isAlive(), "the end of the I/O thread " + io.getName());
        assertFalse(client.isConnected());
        assertTrue(recorded().stream().anyMatch(e -> String.valueOf(e).startsWith("disconnected ")),
                () -> "the end was reported: " + recorded());
    }

    /**
     * Publishes QoS 0 until the outbound queue stays full for half a second: the peer reads nothing, so once the
     * socket's buffers are full nothing drains. (The waiting publish is allowed here: this is not the I/O thread.)
     */
    private static void fillUntilRefused(MqttClient client) throws InterruptedException {
        byte[] payload = new byte[32 * 1024];
        Topic topic = Topic.of("fill");
        long deadline = System.nanoTime() + DEADLINE_NS;
        while (client.publish(topic, payload, 0, payload.length, QoS.AT_MOST_ONCE, false, null, 500,
                TimeUnit.MILLISECONDS) >= 0) {
            if (deadline - System.nanoTime() <= 0) {
                throw new AssertionError("the queue never filled up: the peer was supposed to read nothing");
            }
        }
    }

    private static void readPacket(DataInputStream in) throws IOException {
        in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        in.readFully(new byte[length]);
    }

    private synchronized void record(Object event) {
        heard.add(event);
        notifyAll();
    }

    private synchronized List<Object> recorded() {
        return new ArrayList<>(heard);
    }

    private void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_NS;
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                if (deadline - System.nanoTime() <= 0) {
                    throw new AssertionError("expected " + what + " within 30 s; heard " + heard);
                }
                wait(20); // events wake it; other conditions are re-checked every 20 ms
            }
        }
    }
}
