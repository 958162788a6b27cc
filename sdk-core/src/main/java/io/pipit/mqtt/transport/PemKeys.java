package io.pipit.mqtt.transport;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;

/**
 * Reads an unencrypted private key from PEM in the three forms device certificates come with: PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}). The last two are
 * wrapped into PKCS#8 here, by hand, because the platform reads only PKCS#8 and BouncyCastle is optional.
 * Stateless.
 */
final class PemKeys {
    /** AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** OID id-ecPublicKey (1.2.840.10045.2.1), DER. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    /** PrivateKeyInfo version 0, DER. */
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private PemKeys() {
    }

    /** @throws IllegalArgumentException when no key block is found or the key does not parse, saying why */
    static PrivateKey privateKey(String pemText) {
        String type = Pem.firstBlockType(pemText, "PRIVATE KEY");
        if (type == null) {
            throw new IllegalArgumentException("client private key PEM holds no '-----BEGIN ... PRIVATE KEY-----' block");
        }
        byte[] der = Pem.body(pemText, type);
        switch (type) {
            case "PRIVATE KEY":
                return pkcs8(der, "PKCS#8");
            case "RSA PRIVATE KEY":
                return pkcs8(Der.sequence(VERSION_0, RSA_ALGORITHM, Der.octetString(der)), "PKCS#1 RSA");
            case "EC PRIVATE KEY":
                byte[] algorithm = Der.sequence(EC_PUBLIC_KEY_OID, Der.sec1NamedCurve(der));
                return pkcs8(Der.sequence(VERSION_0, algorithm, Der.octetString(der)), "SEC1 EC");
            case "ENCRYPTED PRIVATE KEY":
                throw new IllegalArgumentException("the client private key is encrypted; decrypt it first, e.g. "
                        + "'openssl pkcs8 -topk8 -nocrypt -in key.pem'");
            default:
                throw new IllegalArgumentException("unsupported key block '" + type + "'; expected PRIVATE KEY, "
                        + "RSA PRIVATE KEY or EC PRIVATE KEY");
        }
    }

    /** Tries the key algorithms devices use; the PKCS#8 header names one, but parsing it would be more code. */
    private static PrivateKey pkcs8(byte[] der, String form) {
        IllegalArgumentException failure = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                if (failure == null) {
                    failure = new IllegalArgumentException("the " + form
                            + " client private key is not an RSA, EC or Ed25519 key this platform can read");
                }
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }
}
