package io.pipit.mqtt.transport;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Turns what a TLS provider throws into a {@link TlsException} that names the cause: our own certificate
 * checks travel as a {@link TlsCertificateException} cause; the server's verdicts arrive as TLS alerts, whose
 * names (as both providers print them, {@code "... alert: bad_certificate"}) tell a refused client certificate
 * from a refused pre-shared key. Stateless.
 */
final class TlsFailures {
    private static final List<String> CLIENT_CERTIFICATE_ALERTS = Arrays.asList("bad_certificate",
            "unsupported_certificate", "certificate_revoked", "certificate_expired", "certificate_unknown",
            "unknown_ca", "certificate_required", "access_denied");
    private static final List<String> PSK_ALERTS = Arrays.asList("unknown_psk_identity", "decrypt_error",
            "bad_record_mac", "handshake_failure", "illegal_parameter");

    private TlsFailures() {
    }

    /** @return {@code failure} explained; {@code peer} is "host:port" */
    static TlsException classify(IOException failure, String peer, TlsOptions options) {
        if (failure instanceof TlsException) {
            return (TlsException) failure;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TlsCertificateException) {
                TlsCertificateException check = (TlsCertificateException) cause;
                return new TlsException(check.reason(), peer + ": " + check.getMessage(), failure);
            }
        }
        String alert = alert(failure);
        if (options.psk() && PSK_ALERTS.contains(alert)) {
            return new TlsException(TlsException.Reason.PSK_REJECTED, peer + ": the server refused the pre-shared "
                    + "key of identity '" + options.pskIdentity + "' (alert " + alert + "): an unknown identity or "
                    + "a wrong key", failure);
        }
        if (CLIENT_CERTIFICATE_ALERTS.contains(alert)) {
            boolean ours = options.clientKey != null || options.keyStore != null;
            return new TlsException(TlsException.Reason.CLIENT_CERTIFICATE_REJECTED, peer + ": the server refused "
                    + (ours ? "our client certificate" : "to go on without a client certificate (none configured)")
                    + " (alert " + alert + ")", failure);
        }
        return new TlsException(TlsException.Reason.HANDSHAKE_FAILED, peer + ": " + failure.getMessage()
                + (alert == null ? "" : " (we offered " + options.protocols + ")"), failure);
    }

    /** @return true when the options give the server a client certificate to check */
    static boolean offersClientCertificate(TlsOptions options) {
        return options.clientKey != null || options.keyStore != null;
    }

    /** The server hung up after our side of the handshake and before any plaintext: see TlsTransport. */
    static TlsException refusedAfterHandshake(String peer, IOException cause) {
        return new TlsException(TlsException.Reason.CLIENT_CERTIFICATE_REJECTED, peer + ": the server closed the "
                + "connection right after the TLS handshake, before answering anything; with TLS 1.3 that is how a "
                + "server refuses our client certificate when its alert is lost"
                + (cause == null ? "" : " (" + cause.getMessage() + ")"), cause);
    }

    /** The server hung up (closed or reset the connection) before the handshake completed. */
    static TlsException closedDuringHandshake(String peer, long bytesReceived, TlsOptions options, IOException cause) {
        if (bytesReceived == 0) {
            return new TlsException(TlsException.Reason.NOT_TLS, peer + ": the server closed the connection "
                    + "without answering the TLS ClientHello: a plaintext MQTT listener on this port (use mqtt://), "
                    + "or a TLS listener that accepts none of " + options.protocols, cause);
        }
        return new TlsException(TlsException.Reason.HANDSHAKE_FAILED, peer + ": the server closed the connection "
                + "during the TLS handshake after sending " + bytesReceived + " bytes", cause);
    }

    /** The first byte from the server is no TLS record type (alert 0x15 or handshake 0x16). */
    static TlsException notTls(String peer, int firstByte) {
        return new TlsException(TlsException.Reason.NOT_TLS, peer + ": the server answered the TLS ClientHello "
                + "with a byte that starts no TLS record (0x" + Integer.toHexString(firstByte)
                + (firstByte == 0x20 ? ", an MQTT CONNACK" : "") + "): is this a plaintext port? (use mqtt://)", null);
    }

    static TlsException timeout(String peer, long timeoutNs, long bytesReceived) {
        return new TlsException(TlsException.Reason.HANDSHAKE_TIMEOUT, peer + ": the TLS handshake did not "
                + "complete within " + timeoutNs / 1_000_000 + " ms (TCP connected; " + bytesReceived
                + " bytes received from the server)", null);
    }

    /** @return the alert name in a provider's message chain ("... alert: decrypt_error"), or null */
    private static String alert(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            int at = message == null ? -1 : message.indexOf("alert: ");
            if (at >= 0) {
                int from = at + 7;
                int to = from;
                while (to < message.length() && (Character.isLetter(message.charAt(to)) || message.charAt(to) == '_')) {
                    to++;
                }
                return message.substring(from, to);
            }
        }
        return null;
    }
}
