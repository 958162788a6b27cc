package io.pipit.mqtt.driver;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A broker address parsed from {@code mqtt://host[:port]} (also {@code tcp://}), or over TLS from
 * {@code mqtts://host[:port]} (also {@code ssl://}), or over WebSocket from {@code ws://host[:port][/path]} and
 * {@code wss://host[:port][/path]} (TLS); immutable. Parsing happens once, at build time, so a
 * malformed address fails before any connection is tried.
 */
public final class ServerAddress {
    /** The IANA port for MQTT over TCP. */
    public static final int DEFAULT_PORT = 1883;
    /** The IANA port for MQTT over TLS. */
    public static final int DEFAULT_TLS_PORT = 8883;
    /** The HTTP port, for {@code ws://}. */
    public static final int DEFAULT_WS_PORT = 80;
    /** The HTTPS port, for {@code wss://}. */
    public static final int DEFAULT_WSS_PORT = 443;

    private final String host;
    private final int port;
    private final boolean secure;
    private final boolean webSocket;
    private final String path;

    private ServerAddress(String host, int port, boolean secure) {
        this(host, port, secure, false, null);
    }

    private ServerAddress(String host, int port, boolean secure, boolean webSocket, String path) {
        this.host = host;
        this.port = port;
        this.secure = secure;
        this.webSocket = webSocket;
        this.path = path;
    }

    /**
     * @throws IllegalArgumentException for a malformed URI, an unsupported scheme or a bad port, naming it
     */
    public static ServerAddress parse(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed broker URI '" + uri + "': " + e.getMessage(), e);
        }
        String scheme = parsed.getScheme();
        if ("ws".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme)) {
            return parseWebSocket(uri, parsed, "wss".equalsIgnoreCase(scheme));
        }
        boolean secure = "mqtts".equalsIgnoreCase(scheme) || "ssl".equalsIgnoreCase(scheme);
        if (!secure && !"mqtt".equalsIgnoreCase(scheme) && !"tcp".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("broker URI '" + uri + "' must start with mqtt:// (or tcp://), "
                    + "or mqtts:// (or ssl://) for TLS, or ws:// or wss:// for WebSocket" + (scheme == null ? "" : "; '" + scheme
                    + "://' is not supported yet"));
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has no host");
        }
        int port = parsed.getPort() >= 0 ? parsed.getPort() : secure ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        if (port == 0 || port > 65_535) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has an invalid port " + port);
        }
        return new ServerAddress(parsed.getHost(), port, secure);
    }

    private static ServerAddress parseWebSocket(String uri, URI parsed, boolean secure) {
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has no host");
        }
        int port = parsed.getPort() >= 0 ? parsed.getPort() : secure ? DEFAULT_WSS_PORT : DEFAULT_WS_PORT;
        if (port == 0 || port > 65_535) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has an invalid port " + port);
        }
        String rawPath = parsed.getRawPath();
        String path = rawPath == null || rawPath.isEmpty() ? null
                : parsed.getRawQuery() == null ? rawPath : rawPath + "?" + parsed.getRawQuery();
        return new ServerAddress(parsed.getHost(), port, secure, true, path);
    }

    /**
     * Parses an MQTT 5 Server Reference: a URI, or {@code host[:port]}; when it lists several (space
     * separated), the first.
     *
     * @return the address, or null when the reference cannot be understood (the client then keeps its list)
     */
    public static ServerAddress fromReference(String reference) {
        return fromReference(reference, false);
    }

    /**
     * {@link #fromReference(String)} for a client on {@code secure} (TLS) servers: a reference without a scheme
     * stays on TLS, and one that would leave TLS is refused, so a redirect can never downgrade the connection.
     *
     * @return the address, or null when the reference cannot be understood or would leave TLS
     */
    public static ServerAddress fromReference(String reference, boolean secure) {
        String first = reference.trim().split("\\s+")[0];
        try {
            ServerAddress address = parse(first.contains("://") ? first : (secure ? "mqtts://" : "mqtt://") + first);
            return secure && !address.secure ? null : address;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** @return true for {@code mqtts://} and {@code ssl://}: the connection runs over TLS */
    public boolean secure() {
        return secure;
    }

    /** @return true for {@code ws://} and {@code wss://}: MQTT travels in WebSocket frames */
    public boolean webSocket() {
        return webSocket;
    }

    /** @return the HTTP path (with any query) of a {@code ws://} or {@code wss://} URI, or null when it names none */
    public String path() {
        return path;
    }

    @Override
    public String toString() {
        if (webSocket) {
            return (secure ? "wss://" : "ws://") + host + ":" + port + (path == null ? "" : path);
        }
        return (secure ? "mqtts://" : "mqtt://") + host + ":" + port;
    }
}
