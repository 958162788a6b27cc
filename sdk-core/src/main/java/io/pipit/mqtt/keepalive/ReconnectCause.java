package io.pipit.mqtt.keepalive;

/** Why a connection ended and the client went on to reconnect; counted in {@link ConnectionHealth}. */
public enum ReconnectCause {
    /** No PINGRESP (or no packet at all while acknowledgements were owed) in time: a half-open connection. */
    KEEPALIVE_TIMEOUT,
    /** The socket failed or the server closed it without DISCONNECT. */
    NETWORK_ERROR,
    /** The server sent DISCONNECT. */
    SERVER_DISCONNECT,
    /** An attempt failed before CONNACK: refused, unreachable or timed out. */
    CONNECT_FAILED,
    /** The platform reported a different network, so the old connection was dropped. */
    NETWORK_CHANGED,
    /** The client closed the connection over a protocol error by the server. */
    PROTOCOL_ERROR
}
