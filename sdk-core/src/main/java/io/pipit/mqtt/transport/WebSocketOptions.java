package io.pipit.mqtt.transport;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How a client speaks MQTT over WebSocket ({@code ws://} and {@code wss://} servers): the HTTP path when the URI
 * names none, the subprotocol, extra upgrade headers (an {@code Authorization} token, say), the largest frame
 * accepted and the upgrade timeout. Build one with {@link #builder()}:
 *
 * <pre>{@code
 * WebSocketOptions ws = WebSocketOptions.builder()
 *         .header("Authorization", "Bearer " + token)
 *         .build();
 * }</pre>
 *
 * <p><b>Thread-safety:</b> immutable once built, so one instance may serve any number of clients. The builder is
 * not thread-safe.
 */
public final class WebSocketOptions {
    /** The path used when the URI has none, as HiveMQ, Mosquitto and most cloud endpoints expect. */
    public static final String DEFAULT_PATH = "/mqtt";
    /** The subprotocol MQTT 3.1.1 and 5 register for WebSocket. */
    public static final String DEFAULT_SUBPROTOCOL = "mqtt";
    /** The largest MQTT packet (1 + 4 + 268,435,455 bytes): no frame of one packet can be longer. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 268_435_460;

    private static final WebSocketOptions DEFAULTS = builder().build();

    final String path;
    final String subprotocol;
    final Map<String, String> headers;
    final int maxFrameLength;
    final long handshakeTimeoutNs;
    final String proxyHost;
    final int proxyPort;
    final String proxyAuthorization;

    private WebSocketOptions(Builder b) {
        this.proxyHost = b.proxyHost;
        this.proxyPort = b.proxyPort;
        this.proxyAuthorization = b.proxyAuthorization;
        this.path = b.path;
        this.subprotocol = b.subprotocol;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.maxFrameLength = b.maxFrameLength;
        this.handshakeTimeoutNs = b.handshakeTimeoutNs;
    }

    /** @return path {@code /mqtt}, subprotocol {@code mqtt}, no extra headers, 10 s upgrade timeout */
    public static WebSocketOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the path used when the server URI has none */
    public String path() {
        return path;
    }

    /** @return the subprotocol asked for and required in the answer */
    public String subprotocol() {
        return subprotocol;
    }

    /** @return the extra upgrade headers, in the order given; unmodifiable */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the largest frame payload accepted from the server, and the largest one sent */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    public String toString() {
        return "WebSocketOptions[path " + path + ", subprotocol " + subprotocol + ", headers " + headers.keySet()
                + ", max frame " + maxFrameLength + (proxyHost == null ? "" : ", proxy " + proxyHost + ":" + proxyPort)
                + "]";
    }

    /** Collects settings; {@link #build()} checks nothing further, as each setter validates its argument. */
    public static final class Builder {
        private String path = DEFAULT_PATH;
        private String subprotocol = DEFAULT_SUBPROTOCOL;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;
        private long handshakeTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private String proxyHost;
        private int proxyPort;
        private String proxyAuthorization;

        private Builder() {
        }

        /**
         * Reaches the server through this HTTP proxy with {@code CONNECT} (for {@code wss://}, TLS then runs end to
         * end through the tunnel).
         *
         * @param authorization the {@code Proxy-Authorization} value, e.g. {@code "Basic " + base64(user:pass)},
         *     or null
         */
        public Builder proxy(String host, int port, String authorization) {
            if (host == null || host.isEmpty() || port < 1 || port > 65_535) {
                throw new IllegalArgumentException("proxy needs a host and a port 1..65535: " + host + ":" + port);
            }
            if (authorization != null && !isToken(authorization, "")) {
                throw new IllegalArgumentException("proxy authorization must not hold a line break");
            }
            this.proxyHost = host;
            this.proxyPort = port;
            this.proxyAuthorization = authorization;
            return this;
        }

        /**
         * The HTTP path for servers whose URI names none (default {@value #DEFAULT_PATH}).
         *
         * @throws IllegalArgumentException unless it starts with '/' and holds no space or line break
         */
        public Builder path(String value) {
            if (value == null || !value.startsWith("/") || !isToken(value, " ")) {
                throw new IllegalArgumentException("WebSocket path must start with '/' and hold no space or line "
                        + "break: '" + value + "'");
            }
            this.path = value;
            return this;
        }

        /**
         * The subprotocol to ask for (default {@value #DEFAULT_SUBPROTOCOL}; some old brokers want
         * {@code mqttv3.1}). The server must answer with exactly this one.
         */
        public Builder subprotocol(String value) {
            if (value == null || value.isEmpty() || !isToken(value, " ,")) {
                throw new IllegalArgumentException("WebSocket subprotocol must be one token: '" + value + "'");
            }
            this.subprotocol = value;
            return this;
        }

        /**
         * Adds a header to the upgrade request, e.g. {@code Authorization}; a second call with the same name
         * replaces the value.
         *
         * @throws IllegalArgumentException for an empty name, a line break in either, or a header the
         *     transport writes itself (Host, Upgrade, Connection, Sec-WebSocket-*)
         */
        public Builder header(String name, String value) {
            if (name == null || name.isEmpty() || !isToken(name, " :") || value == null || !isToken(value, "")) {
                throw new IllegalArgumentException("bad WebSocket header '" + name + ": " + value
                        + "': names are one token, and neither may hold a line break");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("host") || lower.equals("upgrade") || lower.equals("connection")
                    || lower.startsWith("sec-websocket-")) {
                throw new IllegalArgumentException("header '" + name + "' is written by the WebSocket transport");
            }
            headers.put(name, value);
            return this;
        }

        /**
         * The largest frame payload accepted (a longer one fails the connection with
         * {@link WebSocketException.Reason#FRAME_TOO_LARGE}); outgoing frames are no longer either.
         */
        public Builder maxFrameLength(int bytes) {
            if (bytes < 126) {
                throw new IllegalArgumentException("maxFrameLength must be at least 126 bytes: " + bytes);
            }
            this.maxFrameLength = bytes;
            return this;
        }

        /** How long the HTTP upgrade may take once TCP (and TLS) is up (default 10 s). */
        public Builder handshakeTimeout(long timeout, TimeUnit unit) {
            if (timeout <= 0) {
                throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
            }
            this.handshakeTimeoutNs = unit.toNanos(timeout);
            return this;
        }

        /** @return the options */
        public WebSocketOptions build() {
            return new WebSocketOptions(this);
        }

        private static boolean isToken(String text, String forbidden) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\r' || c == '\n' || forbidden.indexOf(c) >= 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
