package io.pipit.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client bridged to the mock broker's TCP port: the server side of RFC 6455's upgrade, then two
 * pumps, client frames (unmasked) to broker bytes and broker bytes to binary frames, cut into fragments of
 * {@code fragmentLength} bytes when asked. Tests inject raw frames and close frames through it.
 *
 * <p>Thread-safety: writes to the client are synchronized on this object; the pumps run on two threads of
 * their own, named after the listener port.
 */
public final class WebSocketBridge implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketBridge.class);
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** How the listener answers an upgrade; shared by all its bridges, read when a client arrives. */
    public static final class Answer {
        volatile String path = "/mqtt";
        volatile int refuseStatus;
        volatile String refuseReason = "";
        volatile String subprotocol;
        volatile int fragmentLength;

        /** @return the path upgraded */
        public String pathForUri() {
            return path;
        }

        /** The only path upgraded; others get 404. */
        public void path(String value) {
            path = value;
        }

        /** Refuse every upgrade with this status (0: accept). */
        public void refuse(int status, String reason) {
            refuseStatus = status;
            refuseReason = reason;
        }

        /** Answer with this subprotocol instead of the one the client asked for (null: echo the client's). */
        public void subprotocol(String value) {
            subprotocol = value;
        }

        /** Cut broker bytes into fragments of this many bytes (0: one frame per read). */
        public void fragmentLength(int bytes) {
            fragmentLength = bytes;
        }
    }

    private final Socket client;
    private final Answer answer;
    private final String name;
    private final AtomicInteger pongs = new AtomicInteger();
    private Socket broker;
    private OutputStream toClient;

    WebSocketBridge(Socket client, Answer answer, String name) {
        this.client = client;
        this.answer = answer;
        this.name = name;
    }

    /** Upgrades the client, connects to the broker and starts the pumps; closes itself on failure. */
    public static WebSocketBridge open(Socket client, int brokerPort, Answer answer, String name) throws IOException {
        WebSocketBridge bridge = new WebSocketBridge(client, answer, name);
        try {
            if (bridge.upgrade()) {
                bridge.broker = new Socket("127.0.0.1", brokerPort);
                bridge.broker.setTcpNoDelay(true);
                bridge.start();
            } else {
                bridge.close();
            }
        } catch (IOException e) {
            bridge.close();
            throw e;
        }
        return bridge;
    }

    private boolean upgrade() throws IOException {
        client.setTcpNoDelay(true);
        InputStream in = client.getInputStream();
        toClient = client.getOutputStream();
        String request = readHeader(in);
        String[] lines = request.split("\r\n");
        String key = field(lines, "sec-websocket-key");
        String asked = field(lines, "sec-websocket-protocol");
        String[] requestLine = lines[0].split(" ");
        String status = answer.refuseStatus != 0 ? answer.refuseStatus + " " + answer.refuseReason
                : requestLine.length < 2 || !requestLine[1].equals(answer.path) ? "404 Not Found"
                : key == null ? "400 Bad Request" : null;
        if (status != null) {
            write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return false;
        }
        String chosen = answer.subprotocol != null ? answer.subprotocol : asked;
        write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n"
                + (chosen == null || chosen.isEmpty() ? "" : "Sec-WebSocket-Protocol: " + chosen + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        return true;
    }

    private void start() {
        Thread up = new Thread(this::clientToBroker, name + "-up");
        Thread down = new Thread(this::brokerToClient, name + "-down");
        up.setDaemon(true);
        down.setDaemon(true);
        up.start();
        down.start();
    }

    private void clientToBroker() {
        try (DataInputStream in = new DataInputStream(client.getInputStream())) {
            OutputStream out = broker.getOutputStream();
            byte[] payload = new byte[64 * 1024];
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7F;
                length = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
                if ((second & 0x80) == 0 || length > payload.length) {
                    throw new IOException("client frame unmasked or longer than " + payload.length + ": " + length);
                }
                byte[] mask = new byte[4];
                in.readFully(mask);
                in.readFully(payload, 0, (int) length);
                for (int i = 0; i < length; i++) {
                    payload[i] ^= mask[i & 3];
                }
                int opcode = first & 0x0F;
                if (opcode == 0x8) {
                    break;
                } else if (opcode == 0x9) {
                    write(frame(0x8A, payload, (int) length));
                } else if (opcode == 0xA) {
                    pongs.incrementAndGet();
                } else {
                    out.write(payload, 0, (int) length);
                }
            }
        } catch (EOFException e) {
            LOG.debug("{}: client closed", name);
        } catch (IOException e) {
            LOG.debug("{}: client side ended: {}", name, e.toString());
        } finally {
            close();
        }
    }

    private void brokerToClient() {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = broker.getInputStream()) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                int fragment = answer.fragmentLength > 0 ? answer.fragmentLength : read;
                synchronized (this) {
                    for (int offset = 0; offset < read; offset += fragment) {
                        int length = Math.min(fragment, read - offset);
                        int opcode = offset == 0 ? 0x2 : 0x0;
                        int fin = offset + length == read ? 0x80 : 0;
                        byte[] piece = new byte[length];
                        System.arraycopy(buffer, offset, piece, 0, length);
                        toClient.write(frame(fin | opcode, piece, length));
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: broker side ended: {}", name, e.toString());
        } finally {
            close();
        }
    }

    /** Writes raw bytes to the client, between whole frames. */
    public synchronized void write(byte[] bytes) throws IOException {
        toClient.write(bytes);
        toClient.flush();
    }

    /** @return the pongs the client sent */
    public int pongs() {
        return pongs.get();
    }

    /** @return an unmasked server frame: {@code first} is FIN, RSV and opcode; any payload length */
    public static byte[] frame(int first, byte[] payload, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 10);
        out.write(first);
        if (length < 126) {
            out.write(length);
        } else if (length < 65_536) {
            out.write(126);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift));
            }
        }
        out.write(payload, 0, length);
        return out.toByteArray();
    }

    /** Closes both sockets; idempotent. */
    @Override
    public void close() {
        closeQuietly(client);
        if (broker != null) {
            closeQuietly(broker);
        }
    }

    private void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("{}: closing a socket failed; it is gone either way", name, e);
        }
    }

    private static String readHeader(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("client closed during the upgrade request");
            }
            header.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return header.toString(StandardCharsets.ISO_8859_1);
    }

    private static String field(String[] lines, String name) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }
}
