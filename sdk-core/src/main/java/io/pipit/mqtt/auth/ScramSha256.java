package io.pipit.mqtt.auth;

import io.pipit.mqtt.Authenticator;
import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash) over MQTT 5 enhanced authentication: the password never
 * crosses the network, and the server proves it knows the password's verifier too, so a client is not
 * fooled by an impostor broker. No channel binding ({@code n,,}); run it inside TLS.
 *
 * <p>Not thread-safe: one exchange at a time, on the client's I/O thread (as {@link Authenticator} says).
 * Works on Android API 21: PBKDF2 is computed here from HMAC-SHA-256 rather than taken from the platform.
 */
public final class ScramSha256 implements Authenticator {
    /** The Authentication Method name, as registered for SASL. */
    public static final String METHOD = "SCRAM-SHA-256";

    private final String userName;
    private final byte[] password;
    private final SecureRandom random;
    private String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;
    private String fixedNonce;

    /**
     * @param password the password as UTF-8 (SASLprep normalisation is left to the caller: pass it already
     *     normalised when it may hold non-ASCII characters)
     */
    public ScramSha256(String userName, String password) {
        this(userName, password, new SecureRandom());
    }

    ScramSha256(String userName, String password, SecureRandom random) {
        if (userName == null || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("SCRAM-SHA-256 needs a user name and a non-empty password");
        }
        this.userName = userName;
        this.password = password.getBytes(StandardCharsets.UTF_8);
        this.random = random;
    }

    /** For known-answer tests only: the next {@link #start()} uses {@code nonce} instead of a random one. */
    void fixNonce(String nonce) {
        this.fixedNonce = nonce;
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public byte[] start() {
        byte[] nonce = new byte[18];
        random.nextBytes(nonce);
        clientNonce = fixedNonce != null ? fixedNonce : Base64.encode(nonce);
        clientFirstBare = "n=" + userName.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        expectedServerSignature = null;
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] challenge(byte[] serverData) throws MqttException {
        if (clientFirstBare == null) {
            throw refuse("server-first-message before client-first-message");
        }
        String serverFirst = new String(serverData, StandardCharsets.UTF_8);
        String nonce = attribute(serverFirst, 'r');
        String salt = attribute(serverFirst, 's');
        String iterations = attribute(serverFirst, 'i');
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw refuse("the server's nonce does not extend ours");
        }
        int count;
        try {
            count = Integer.parseInt(iterations);
        } catch (NumberFormatException e) {
            throw new MqttException("SCRAM iteration count '" + iterations + "' is not a number", e);
        }
        if (count < 1 || count > 10_000_000) {
            throw refuse("SCRAM iteration count " + count + " is out of range");
        }
        try {
            byte[] salted = pbkdf2(password, decode(salt, "salt"), count);
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            String clientFinalWithoutProof = "c=biws,r=" + nonce;
            String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;
            byte[] clientSignature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
            }
            expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
            return (clientFinalWithoutProof + ",p=" + Base64.encode(proof)).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new MqttException("SCRAM-SHA-256 needs HMAC-SHA-256 and SHA-256 from the platform", e);
        }
    }

    @Override
    public void complete(byte[] serverData) throws MqttException {
        if (expectedServerSignature == null) {
            throw refuse("the server accepted before proving it knows the password");
        }
        String serverFinal = new String(serverData, StandardCharsets.UTF_8);
        if (serverFinal.startsWith("e=")) {
            throw refuse("the server reported " + serverFinal.substring(2));
        }
        byte[] signature = decode(attribute(serverFinal, 'v'), "server signature");
        if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw refuse("the server's signature is wrong: it does not know this password");
        }
    }

    private static String attribute(String message, char name) throws MqttException {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        throw refuse("SCRAM message lacks '" + name + "=': " + message);
    }

    private static byte[] decode(String base64, String what) throws MqttException {
        try {
            return Base64.decode(base64);
        } catch (IllegalArgumentException e) {
            throw new MqttException("SCRAM " + what + " is not Base64", e);
        }
    }

    private static MqttException refuse(String why) {
        return new MqttException(ReasonCode.NOT_AUTHORIZED, "SCRAM-SHA-256: " + why);
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        return hmac(key, data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    /** PBKDF2-HMAC-SHA-256 with one output block, which is all SCRAM needs (RFC 5802 "Hi"). */
    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(password, "HmacSHA256"));
        mac.update(salt);
        byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int k = 0; k < result.length; k++) {
                result[k] ^= u[k];
            }
        }
        return result;
    }
}
