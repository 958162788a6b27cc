package io.pipit.mqtt.transport;

import java.io.IOException;

/**
 * A TLS connection failed for a reason the application can act on, named by {@link #reason()} and spelled out
 * in the message (which certificate, which names, which alert), instead of a bare handshake exception.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class TlsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the TLS connection failed. */
    public enum Reason {
        /** The server's chain does not lead to a trusted CA. */
        UNTRUSTED_ISSUER,
        /** The server's certificate names other hosts than the one connected to; the message lists its names. */
        HOSTNAME_MISMATCH,
        /** A certificate of the server's chain has expired. */
        EXPIRED,
        /** A certificate of the server's chain is not valid yet (check the device clock). */
        NOT_YET_VALID,
        /** No certificate of the server's chain carries a pinned public key. */
        PIN_MISMATCH,
        /** The server refused our client certificate, or wanted one we did not have. */
        CLIENT_CERTIFICATE_REJECTED,
        /** The server refused the pre-shared key or its identity. */
        PSK_REJECTED,
        /** The handshake did not complete in time. */
        HANDSHAKE_TIMEOUT,
        /** The server does not speak TLS on this port (a plaintext listener, most likely). */
        NOT_TLS,
        /** Any other handshake or record failure; the message carries the provider's words. */
        HANDSHAKE_FAILED
    }

    private final Reason reason;

    /** @param message what happened, naming the peer */
    public TlsException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    /** @return why the connection failed */
    public Reason reason() {
        return reason;
    }
}
