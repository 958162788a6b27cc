package io.pipit.mqtt.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP proxy that only tunnels ({@code CONNECT host:port}), on a loopback port, for tests of clients behind
 * proxies; it records each request header and can refuse with a status of the test's choosing.
 *
 * <p>Thread-safety: safe from any thread; it runs one accept thread and two pump threads per tunnel, all daemons,
 * ended by {@link #close}.
 */
public final class ConnectProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectProxy.class);

    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile String refusal;

    private ConnectProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop, "connect-proxy-" + server.getLocalPort());
    }

    /** @return a running proxy; close it after use */
    public static ConnectProxy start() throws IOException {
        return new ConnectProxy();
    }

    /** @return the loopback port */
    public int port() {
        return server.getLocalPort();
    }

    /** Answers every CONNECT from now on with this status line tail, e.g. {@code "407 Proxy Authentication Required"}. */
    public void refuse(String status) {
        refusal = status;
    }

    /** @return the request headers received, oldest first */
    public List<String> requests() {
        return requests;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                tunnel(client);
            } catch (IOException e) {
                LOG.debug("connect proxy on {}: {}", port(), e.toString());
            }
        }
    }

    private void tunnel(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        String header = readHeader(in);
        requests.add(header);
        String[] requestLine = header.split("\r\n", 2)[0].split(" ");
        if (refusal != null || requestLine.length < 2 || !requestLine[0].equals("CONNECT")) {
            out.write(("HTTP/1.1 " + (refusal != null ? refusal : "405 Method Not Allowed") + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            client.close();
            return;
        }
        String target = requestLine[1];
        int colon = target.lastIndexOf(':');
        Socket upstream = new Socket(target.substring(0, colon).replace("[", "").replace("]", ""),
                Integer.parseInt(target.substring(colon + 1)));
        sockets.add(upstream);
        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        daemon(() -> pump(in, upstream), "connect-proxy-up");
        daemon(() -> pump(upstream, client), "connect-proxy-down");
    }

    private static void pump(InputStream from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int read;
            while ((read = from.read(buffer)) > 0) {
                to.getOutputStream().write(buffer, 0, read);
            }
        } catch (IOException e) {
            LOG.debug("connect proxy tunnel ended: {}", e.toString());
        } finally {
            try {
                to.close();
            } catch (IOException e) {
                LOG.debug("closing a tunnel end failed; it is gone either way", e);
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            pump(from.getInputStream(), to);
        } catch (IOException e) {
            LOG.debug("connect proxy tunnel ended: {}", e.toString());
        }
    }

    private static String readHeader(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int lastFour = 0;
        int b;
        while (lastFour != 0x0D0A0D0A && (b = in.read()) >= 0) {  // until CR LF CR LF
            header.write(b);
            lastFour = lastFour << 8 | b;
        }
        return new String(header.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops accepting and closes every tunnel; idempotent. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
