package io.pipit.mqtt.transport;

import java.security.cert.CertificateException;

/**
 * A certificate check of ours failed; carries the {@link TlsException.Reason} out of the TLS provider, which
 * only lets a {@link CertificateException} (JDK) or an alert's cause (BouncyCastle) through. Immutable.
 */
final class TlsCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final TlsException.Reason reason;

    TlsCertificateException(TlsException.Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    TlsException.Reason reason() {
        return reason;
    }
}
