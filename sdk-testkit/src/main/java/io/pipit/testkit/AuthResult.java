package io.pipit.testkit;

/**
 * An {@link Authenticator}'s verdict: accept, challenge (send AUTH 0x18 Continue Authentication and wait for
 * the client's answer) or refuse with a reason code. Immutable; safe to share between threads.
 */
public final class AuthResult {
    /** 0x86 Bad User Name or Password (MQTT 5; return code 4 on MQTT 3.1.1). */
    public static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    /** 0x87 Not authorized (MQTT 5; return code 5 on MQTT 3.1.1). */
    public static final int NOT_AUTHORIZED = 0x87;
    /** 0x8C Bad authentication method. */
    public static final int BAD_AUTHENTICATION_METHOD = 0x8C;

    /** What the broker does next. */
    public enum Verdict { ACCEPT, CHALLENGE, REFUSE }

    private static final AuthResult ACCEPT = new AuthResult(Verdict.ACCEPT, null, 0);

    private final Verdict verdict;
    private final byte[] data;
    private final int reasonCode;

    private AuthResult(Verdict verdict, byte[] data, int reasonCode) {
        this.verdict = verdict;
        this.data = data;
        this.reasonCode = reasonCode;
    }

    /** @return accept the client with no Authentication Data in the CONNACK */
    public static AuthResult accept() {
        return ACCEPT;
    }

    /** @return accept the client and send {@code data} as Authentication Data in CONNACK (or AUTH 0x00) */
    public static AuthResult accept(byte[] data) {
        return new AuthResult(Verdict.ACCEPT, data.clone(), 0);
    }

    /** @return send AUTH 0x18 Continue Authentication carrying {@code data} and wait for the client's AUTH */
    public static AuthResult challenge(byte[] data) {
        return new AuthResult(Verdict.CHALLENGE, data.clone(), 0);
    }

    /**
     * @param reasonCode an MQTT 5 CONNACK reason code of 0x80 or above, e.g. {@link #NOT_AUTHORIZED}; mapped
     *     to the nearest MQTT 3.1.1 return code for 3.1.1 clients
     * @return refuse the client
     */
    public static AuthResult refuse(int reasonCode) {
        if (reasonCode < 0x80 || reasonCode > 0xFF) {
            throw new IllegalArgumentException("a refusal needs a reason code 0x80..0xFF: " + reasonCode);
        }
        return new AuthResult(Verdict.REFUSE, null, reasonCode);
    }

    /** @return what the broker does next */
    public Verdict verdict() {
        return verdict;
    }

    /** @return the Authentication Data to send (a copy), or null */
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    /** @return the refusal's reason code, 0 unless {@link #verdict()} is REFUSE */
    public int reasonCode() {
        return reasonCode;
    }

    @Override
    public String toString() {
        return verdict == Verdict.REFUSE ? String.format("REFUSE(0x%02X)", reasonCode) : verdict.name();
    }
}
