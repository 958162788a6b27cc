package io.pipit.mqtt;

/**
 * An MQTT 5 enhanced-authentication mechanism (spec 4.12): the client and server trade AUTH packets carrying
 * mechanism-specific data until the server accepts (CONNACK, or AUTH Success when re-authenticating). Called
 * on the thread that drives the client's connection (its I/O thread, its shared event loop's thread, or in poll
 * mode the thread inside {@code poll}), one exchange at a time; each call may allocate (authentication is rare
 * work). Compute the answer here rather than wait for another client: the calls that would wait for a client
 * driven by this thread throw {@link IllegalStateException}.
 *
 * <p>pipit ships {@code io.pipit.mqtt.auth.ScramSha256} (SCRAM-SHA-256, RFC 7677).
 */
public interface Authenticator {
    /** @return the Authentication Method announced in CONNECT, e.g. {@code "SCRAM-SHA-256"} */
    String method();

    /**
     * Begins an exchange (a new connection, or a re-authentication).
     *
     * @return the Authentication Data for CONNECT or AUTH 0x19, or null for none
     */
    byte[] start();

    /**
     * The server continued the exchange (AUTH 0x18 Continue Authentication).
     *
     * @param serverData its Authentication Data (empty when it sent none)
     * @return our answer's Authentication Data
     * @throws MqttException when the server's data is unacceptable; the client then disconnects
     */
    byte[] challenge(byte[] serverData) throws MqttException;

    /**
     * The server accepted (CONNACK Success or AUTH Success). Verify what it proved about itself, if anything.
     *
     * @param serverData its final Authentication Data (empty when it sent none)
     * @throws MqttException when the server failed to prove itself; the client then disconnects
     */
    void complete(byte[] serverData) throws MqttException;
}
