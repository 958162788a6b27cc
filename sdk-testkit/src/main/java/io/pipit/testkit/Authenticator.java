package io.pipit.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decides whether the mock broker lets a client in: plain User Name / Password, or MQTT 5 enhanced
 * authentication, where the broker and the client trade AUTH packets until one side is satisfied.
 *
 * <p>Thread-safety: the broker calls it on its own loop thread ({@code pipit-mock-broker-<port>}), one call at
 * a time; it must return quickly and never block. Without an authenticator every client is accepted, and a
 * CONNECT that names an Authentication Method is refused with 0x8C Bad Authentication Method.
 *
 * <pre>{@code
 * MockBroker broker = MockBroker.builder()
 *         .authenticator(Authenticator.userNamePassword("device-7", "s3cret"))
 *         .start();
 * }</pre>
 */
@FunctionalInterface
public interface Authenticator {
    /**
     * Called for a CONNECT (step 0), for each AUTH the client sends while connecting (step 1, 2, ...), and for
     * an AUTH with reason 0x19 Re-authenticate after the connection is up.
     *
     * @return {@link AuthResult#accept()}, {@link AuthResult#challenge(byte[])} to send AUTH 0x18 Continue
     *     Authentication with data, or {@link AuthResult#refuse(int)}
     */
    AuthResult authenticate(AuthRequest request);

    /** @return an authenticator that accepts exactly this User Name and Password, refusing others with 0x86 */
    static Authenticator userNamePassword(String userName, String password) {
        byte[] expected = password.getBytes(StandardCharsets.UTF_8);
        return request -> userName.equals(request.userName()) && request.password() != null
                && Arrays.equals(expected, request.password())
                ? AuthResult.accept() : AuthResult.refuse(AuthResult.BAD_USER_NAME_OR_PASSWORD);
    }
}
