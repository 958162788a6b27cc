package io.pipit.mqtt.transport;

import io.pipit.mqtt.auth.Base64;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP/1.1 upgrade of RFC 6455 section 4, client side: the request with a fresh random key, and the check of
 * the answer (status 101, Upgrade and Connection headers, Sec-WebSocket-Accept, the one subprotocol asked for).
 * Runs once per connection, so it may allocate. Not thread-safe: one per transport.
 */
final class WebSocketHandshake {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] END_OF_HEADER = {'\r', '\n', '\r', '\n'};

    private final String key;
    private final String peer;
    private final WebSocketOptions options;

    WebSocketHandshake(SecureRandom random, String peer, WebSocketOptions options) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        this.key = Base64.encode(nonce);
        this.peer = peer;
        this.options = options;
    }

    /** @return the request for {@code path} on {@code hostHeader} ("host" or "host:port"), as bytes */
    byte[] request(String hostHeader, String path) {
        StringBuilder request = new StringBuilder(256)
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n")
                .append("Sec-WebSocket-Protocol: ").append(options.subprotocol).append("\r\n");
        for (Map.Entry<String, String> header : options.headers.entrySet()) {
            request.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Checks the answer once its header is complete in {@code in} (position to limit), advancing the position past
     * it: what follows is already frames.
     *
     * @return true once the upgrade is accepted; false while the header is incomplete (position unchanged)
     * @throws WebSocketException when the server refused or answered wrongly, or the header fills the buffer
     */
    boolean accept(ByteBuffer in) throws WebSocketException {
        int end = indexOfBlankLine(in, in.position(), in.limit());
        if (end < 0) {
            if (in.limit() == in.capacity()) {
                throw new WebSocketException(WebSocketException.Reason.UPGRADE_FAILED, peer
                        + " answered the upgrade with a header longer than " + in.capacity() + " bytes");
            }
            return false;
        }
        String header = new String(in.array(), in.arrayOffset() + in.position(), end - in.position(),
                StandardCharsets.ISO_8859_1);
        in.position(end + END_OF_HEADER.length);
        String[] lines = header.split("\r\n");
        String status = lines[0];
        Map<String, String> fields = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                fields.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        check(status, fields);
        return true;
    }

    private void check(String status, Map<String, String> fields) throws WebSocketException {
        if (!isStatus(status, "101")) {
            throw new WebSocketException(WebSocketException.Reason.UPGRADE_FAILED, peer
                    + " refused the WebSocket upgrade: '" + status + "'");
        }
        if (!"websocket".equalsIgnoreCase(fields.get("upgrade"))
                || !String.valueOf(fields.get("connection")).toLowerCase(Locale.ROOT).contains("upgrade")) {
            throw new WebSocketException(WebSocketException.Reason.UPGRADE_FAILED, peer + " answered '" + status
                    + "' without 'Upgrade: websocket' and 'Connection: Upgrade' (Upgrade: " + fields.get("upgrade")
                    + ", Connection: " + fields.get("connection") + ")");
        }
        String expected = acceptFor(key);
        if (!expected.equals(fields.get("sec-websocket-accept"))) {
            throw new WebSocketException(WebSocketException.Reason.BAD_ACCEPT, peer + " answered Sec-WebSocket-Accept '"
                    + fields.get("sec-websocket-accept") + "' but the key sent needs '" + expected + "'");
        }
        String protocol = fields.get("sec-websocket-protocol");
        if (!options.subprotocol.equals(protocol)) {
            throw new WebSocketException(WebSocketException.Reason.WRONG_SUBPROTOCOL, peer + " chose subprotocol "
                    + (protocol == null ? "none" : "'" + protocol + "'") + " but '" + options.subprotocol
                    + "' was asked for");
        }
    }

    /** @return Sec-WebSocket-Accept for {@code key}: Base64 of SHA-1 over the key and RFC 6455's GUID */
    static String acceptFor(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.encode(sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this platform, which every Java and Android has", e);
        }
    }

    /** @return true when {@code statusLine} is an HTTP status line whose code starts with {@code codePrefix} */
    static boolean isStatus(String statusLine, String codePrefix) {
        String[] parts = statusLine.split(" ", 3);
        return parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].startsWith(codePrefix);
    }

    /** @return the absolute index in {@code [from, to)} of the CRLF CRLF ending an HTTP header, or -1 */
    static int indexOfBlankLine(ByteBuffer buf, int from, int to) {
        for (int i = from; i + END_OF_HEADER.length <= to; i++) {
            if (buf.get(i) == '\r' && buf.get(i + 1) == '\n' && buf.get(i + 2) == '\r' && buf.get(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }
}
