package io.pipit.testkit;

/**
 * What a client presented to authenticate: its CONNECT credentials, or the data of one AUTH packet.
 * Immutable; made by the broker, never implemented by users. Arrays returned are copies.
 */
public interface AuthRequest {
    /** @return the Client Identifier (the assigned one when the client sent none) */
    String clientId();

    /** @return the User Name from CONNECT, or null when absent */
    String userName();

    /** @return the Password from CONNECT, or null when absent */
    byte[] password();

    /** @return the Authentication Method (MQTT 5 enhanced authentication), or null when absent */
    String authenticationMethod();

    /** @return the Authentication Data of this CONNECT or AUTH, or null when absent */
    byte[] authenticationData();

    /** @return 0 for the CONNECT, then 1, 2, ... for each AUTH of the same exchange */
    int step();

    /** @return true when the client asked to re-authenticate a live connection (AUTH 0x19) */
    boolean reauthentication();
}
