package io.pipit.testkit.auth;

import io.pipit.testkit.AuthRequest;
import io.pipit.testkit.AuthResult;
import io.pipit.testkit.Authenticator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 for the mock broker, written independently of the client's code (the
 * JDK's PBKDF2 and Base64), so a test of the two together checks one against the other. Holds one user.
 * Called on the broker's thread only.
 */
final class ScramServer implements Authenticator {
    private final String user;
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final byte[] salt = "pipit-salt-16byt".getBytes(StandardCharsets.UTF_8);
    private final boolean impostor;
    private String clientFirstBare;
    private String serverFirst;

    /** @param impostor when true, the server does not know the password and fakes its final proof */
    ScramServer(String user, String password, boolean impostor) throws GeneralSecurityException {
        this.user = user;
        this.impostor = impostor;
        SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, 4096, 256)).getEncoded();
        storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
        serverKey = hmac(salted, "Server Key");
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        if (!"SCRAM-SHA-256".equals(request.authenticationMethod())) {
            return AuthResult.refuse(AuthResult.BAD_AUTHENTICATION_METHOD);
        }
        String data = new String(request.authenticationData(), StandardCharsets.UTF_8);
        try {
            return request.step() == 0 ? first(data) : last(data);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("SCRAM server failed on '" + data + "'", e);
        }
    }

    private AuthResult first(String clientFirst) {
        clientFirstBare = clientFirst.substring(3); // after "n,,"
        if (!clientFirstBare.startsWith("n=" + user + ",")) {
            return AuthResult.refuse(AuthResult.NOT_AUTHORIZED);
        }
        String clientNonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3);
        serverFirst = "r=" + clientNonce + "srvNonce,s=" + Base64.getEncoder().encodeToString(salt) + ",i=4096";
        return AuthResult.challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private AuthResult last(String clientFinal) throws GeneralSecurityException {
        String withoutProof = clientFinal.substring(0, clientFinal.indexOf(",p="));
        byte[] proof = Base64.getDecoder().decode(clientFinal.substring(clientFinal.indexOf(",p=") + 3));
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(storedKey, MessageDigest.getInstance("SHA-256").digest(clientKey))) {
            return AuthResult.refuse(AuthResult.NOT_AUTHORIZED);
        }
        byte[] signature = impostor ? new byte[32] : hmac(serverKey, authMessage);
        return AuthResult.accept(("v=" + Base64.getEncoder().encodeToString(signature))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
