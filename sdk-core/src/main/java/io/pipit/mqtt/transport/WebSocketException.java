package io.pipit.mqtt.transport;

import java.io.IOException;

/**
 * A WebSocket connection failed for a reason named by {@link #reason()} and spelled out in the message (the
 * status line of a refused upgrade, the close code and reason the server sent, the offending frame header).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class WebSocketException extends IOException {
    private static final long serialVersionUID = 1L;

    /** No close frame was received; see {@link #closeCode()}. */
    public static final int NO_CLOSE_CODE = -1;

    /** Why the WebSocket connection failed. */
    public enum Reason {
        /** The server did not answer the upgrade with 101 Switching Protocols; the message holds its status line. */
        UPGRADE_FAILED,
        /** The server's Sec-WebSocket-Accept does not match the key sent: not a WebSocket server, or a proxy. */
        BAD_ACCEPT,
        /** The server chose no subprotocol, or another than the one asked for. */
        WRONG_SUBPROTOCOL,
        /** The HTTP proxy refused to CONNECT to the server; the message holds its status line. */
        PROXY_REFUSED,
        /** The upgrade did not complete in time. */
        HANDSHAKE_TIMEOUT,
        /** A frame announced a payload longer than {@link WebSocketOptions#maxFrameLength()}. */
        FRAME_TOO_LARGE,
        /** A 64-bit frame length had its most significant bit set, which RFC 6455 forbids. */
        LENGTH_OVERFLOW,
        /** A frame carried an opcode that is reserved, or text where MQTT needs binary. */
        BAD_OPCODE,
        /** A frame from the server was masked, which RFC 6455 forbids. */
        MASKED_SERVER_FRAME,
        /** Any other breach of RFC 6455: reserved bits, a fragmented or long control frame, a stray continuation. */
        PROTOCOL_ERROR,
        /** The server sent a close frame; {@link #closeCode()} and the message carry its code and reason. */
        CLOSED_BY_SERVER
    }

    private final Reason reason;
    private final int closeCode;

    /** @param message what happened, naming the peer */
    public WebSocketException(Reason reason, String message) {
        this(reason, message, NO_CLOSE_CODE);
    }

    /** @param closeCode the status code of the server's close frame, or {@link #NO_CLOSE_CODE} */
    public WebSocketException(Reason reason, String message, int closeCode) {
        super(reason + ": " + message);
        this.reason = reason;
        this.closeCode = closeCode;
    }

    /** @return why the connection failed */
    public Reason reason() {
        return reason;
    }

    /**
     * @return the status code of the server's close frame (1000 normal, 1001 going away, 1002 protocol error,
     *     1008 policy, 1011 server error, ...), 1005 when the frame had none, or {@link #NO_CLOSE_CODE}
     */
    public int closeCode() {
        return closeCode;
    }
}
