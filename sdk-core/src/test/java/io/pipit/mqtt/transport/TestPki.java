package io.pipit.mqtt.transport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made at test time with BouncyCastle: a CA, certificates it issues (server or client, any SAN,
 * any validity), and PEM text in the forms brokers and devices use (PKCS#8, and the "traditional" PKCS#1 RSA
 * / SEC1 EC forms). Immutable values; thread-safe.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final long DAY_MS = TimeUnit.DAYS.toMillis(1);

    private TestPki() {
    }

    /** A key pair with its certificate (self-signed for a CA). */
    public static final class Identity {
        public final KeyPair keys;
        public final X509Certificate certificate;

        Identity(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }

        public String certificatePem() {
            return pem(certificate);
        }

        /** @return the key as PKCS#8 ("BEGIN PRIVATE KEY") */
        public String pkcs8KeyPem() {
            try {
                return pem(new JcaPKCS8Generator(keys.getPrivate(), null));
            } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * @return the key in OpenSSL's traditional form: "BEGIN RSA PRIVATE KEY", or "BEGIN EC PRIVATE KEY" with
         *     the named curve inside, as openssl writes it (BouncyCastle's own writer leaves the curve out)
         */
        String traditionalKeyPem() {
            if (!keys.getPrivate().getAlgorithm().equals("EC")) {
                return pem(keys.getPrivate());
            }
            try {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
                ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
                return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** @return the certificate and key as a PKCS#12 key store with this password (HiveMQ reads it) */
        public KeyStore pkcs12(char[] password) throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", keys.getPrivate(), password, new Certificate[] {certificate});
            return store;
        }

        /** Writes certificate and key PEM files ({@code name.crt}, {@code name.key}) into {@code directory}. */
        public Path[] write(Path directory, String name) {
            try {
                Path crt = Files.write(directory.resolve(name + ".crt"), certificatePem().getBytes(StandardCharsets.US_ASCII));
                Path key = Files.write(directory.resolve(name + ".key"), pkcs8KeyPem().getBytes(StandardCharsets.US_ASCII));
                return new Path[] {crt, key};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static Identity ca(String name) {
        KeyPair keys = ecKeys();
        X500Name subject = new X500Name("CN=" + name);
        return new Identity(keys, sign(subject, keys, subject, keys.getPrivate(), -1, 3650, builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }));
    }

    /** A server certificate valid from {@code fromDays} to {@code toDays} (relative to now), for these SANs. */
    static Identity server(Identity ca, String cn, int fromDays, int toDays, GeneralName... sans) {
        KeyPair keys = ecKeys();
        return new Identity(keys, sign(new X500Name("CN=" + cn), keys, new X500Name(ca.certificate
                .getSubjectX500Principal().getName()), ca.keys.getPrivate(), fromDays, toDays, builder -> {
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                }));
    }

    /** A server certificate for localhost and 127.0.0.1, valid now. */
    public static Identity localhost(Identity ca) {
        return server(ca, "localhost", -1, 365, new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }

    /** A client certificate; {@code rsa} picks an RSA 2048 key, else EC P-256. */
    public static Identity client(Identity ca, String cn, boolean rsa) {
        KeyPair keys = rsa ? rsaKeys() : ecKeys();
        return new Identity(keys, sign(new X500Name("CN=" + cn), keys, new X500Name(ca.certificate
                .getSubjectX500Principal().getName()), ca.keys.getPrivate(), -1, 365, builder -> builder
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))));
    }

    /** @return Base64 SHA-256 of the certificate's SubjectPublicKeyInfo, the pin form */
    static String pin(X509Certificate certificate) {
        return "sha256/" + io.pipit.mqtt.auth.Base64.encode(VerifyingTrustManager.spkiSha256(certificate));
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws IOException;
    }

    private static X509Certificate sign(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey issuerKey,
            int fromDays, int toDays, Extensions extensions) {
        long now = System.currentTimeMillis();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), new Date(now + fromDays * DAY_MS),
                    new Date(now + toDays * DAY_MS), subject, keys.getPublic());
            extensions.add(builder);
            String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a certificate for " + subject, e);
        }
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
