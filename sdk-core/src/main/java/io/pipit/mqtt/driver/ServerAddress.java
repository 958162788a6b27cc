package io.pipit.mqtt.driver;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A broker address parsed from {@code mqtt://host[:port]} (also {@code tcp://}); immutable. Parsing happens
 * once, at build time, so a malformed address fails before any connection is tried.
 */
public final class ServerAddress {
    /** The IANA port for MQTT over TCP. */
    public static final int DEFAULT_PORT = 1883;

    private final String host;
    private final int port;

    private ServerAddress(String host, int port) {
        this.host = host;
        this.port = port;
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
        if (!"mqtt".equalsIgnoreCase(scheme) && !"tcp".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("broker URI '" + uri + "' must start with mqtt:// (or tcp://)"
                    + (scheme == null ? "" : "; '" + scheme + "://' is not supported yet"));
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has no host");
        }
        int port = parsed.getPort() < 0 ? DEFAULT_PORT : parsed.getPort();
        if (port == 0 || port > 65_535) {
            throw new IllegalArgumentException("broker URI '" + uri + "' has an invalid port " + port);
        }
        return new ServerAddress(parsed.getHost(), port);
    }

    /**
     * Parses an MQTT 5 Server Reference: a URI, or {@code host[:port]}; when it lists several (space
     * separated), the first.
     *
     * @return the address, or null when the reference cannot be understood (the client then keeps its list)
     */
    public static ServerAddress fromReference(String reference) {
        String first = reference.trim().split("\\s+")[0];
        try {
            return parse(first.contains("://") ? first : "mqtt://" + first);
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

    @Override
    public String toString() {
        return "mqtt://" + host + ":" + port;
    }
}
