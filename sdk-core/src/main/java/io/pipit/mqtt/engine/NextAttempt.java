package io.pipit.mqtt.engine;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.Property;

/**
 * What the end of a connection means for the next attempt: whether to retry at once instead of after a backoff
 * (after a fallback to 3.1.1, or to follow a Server Reference), and which server the last one redirected us
 * to. The driver reads both once the engine reports the connection closed; both are cleared when the next
 * connection opens. Only set-up and teardown paths come here, so the Server Reference may be a String.
 *
 * <p>Not thread-safe: engine thread only.
 */
final class NextAttempt {
    private boolean followServerReference;
    private boolean retryImmediately;
    private String serverReference;

    /** Whether a redirect (0x9C, 0x9D with a Server Reference) asks for an immediate retry there. */
    void followServerReference(boolean enabled) {
        this.followServerReference = enabled;
    }

    /** @return whether a redirect is followed (see {@link #followServerReference(boolean)}) */
    boolean followsServerReference() {
        return followServerReference;
    }

    /** A new connection opened: what the previous one's end advised is spent. */
    void onNewConnection() {
        retryImmediately = false;
        serverReference = null;
    }

    /** The connection ended for a reason that a retry at once fixes (e.g. the switch to 3.1.1). */
    void retryImmediately() {
        retryImmediately = true;
    }

    /**
     * The server ended the connection with {@code reasonCode}: "Use another server" (0x9C) or "Server moved"
     * (0x9D) with a Server Reference redirects us, at once when following is on.
     */
    void noteServerReference(int reasonCode, PropertiesView properties) {
        boolean redirect = reasonCode == ReasonCode.USE_ANOTHER_SERVER || reasonCode == ReasonCode.SERVER_MOVED;
        if (redirect && properties.has(Property.SERVER_REFERENCE)) {
            serverReference = properties.string(Property.SERVER_REFERENCE).toString();
            retryImmediately = followServerReference;
        }
    }

    /** @return true when the next attempt follows a redirect: it goes to a server we have not spoken to */
    boolean isRedirect() {
        return retryImmediately && serverReference != null;
    }

    boolean wantsImmediateRetry() {
        return retryImmediately;
    }

    /** @return the Server Reference of this connection's end, or null */
    String serverReference() {
        return serverReference;
    }
}
