package io.pipit.mqtt.transport;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.interfaces.ECPrivateKey;
import java.util.Enumeration;
import java.util.Vector;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsCredentialedSigner;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsRSAPSSSigner;

/**
 * Mutual TLS on BouncyCastle: answers a server's CertificateRequest with the client certificate of the
 * {@link TlsOptions} (PEM or key store) and a signature scheme the server offered that fits the key: ECDSA with
 * the curve's hash, or RSA-PSS (TLS 1.3; also preferred on 1.2), or PKCS#1 RSA with SHA-256+ on TLS 1.2.
 * Stateless; called on the connection's driver thread during the handshake.
 */
final class BcClientCredentials {
    /**
     * BouncyCastle's own JCA provider, for RSA-PSS signatures only: BouncyCastle TLS asks for them as
     * "SHA256WITHRSASSA-PSS", a name the JDK does not know. One immutable instance, made on first use.
     */
    private static final Provider PSS_PROVIDER = new BouncyCastleProvider();

    private BcClientCredentials() {
    }

    /** @return the credentials, or null when the options hold no client certificate or no offered scheme fits */
    static TlsCredentials answer(TlsContext context, JcaTlsCrypto crypto, TlsOptions options,
            CertificateRequest request) throws IOException {
        Object[] identity = identity(options);
        if (identity == null) {
            return null;
        }
        PrivateKey key = (PrivateKey) identity[0];
        Certificate[] chain = (Certificate[]) identity[1];
        boolean tls13 = TlsUtils.isTLSv13(context);
        SignatureAndHashAlgorithm scheme = choose(key, tls13, request.getSupportedSignatureAlgorithms());
        if (scheme == null) {
            return null;  // the server then refuses, and the failure names the client certificate
        }
        TlsCertificate[] certificates = new TlsCertificate[chain.length];
        CertificateEntry[] entries = new CertificateEntry[chain.length];
        try {
            for (int i = 0; i < chain.length; i++) {
                certificates[i] = crypto.createCertificate(chain[i].getEncoded());
                entries[i] = new CertificateEntry(certificates[i], null);
            }
        } catch (CertificateEncodingException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "unreadable client certificate", e);
        }
        org.bouncycastle.tls.Certificate certificate = tls13
                ? new org.bouncycastle.tls.Certificate(request.getCertificateRequestContext(), entries)
                : new org.bouncycastle.tls.Certificate(certificates);
        TlsCryptoParameters parameters = new TlsCryptoParameters(context);
        if (isRsaPss(scheme)) {
            JcaTlsCrypto pssCrypto = new JcaTlsCryptoProvider().setProvider(PSS_PROVIDER).create(new SecureRandom());
            return new DefaultTlsCredentialedSigner(parameters,
                    new JcaTlsRSAPSSSigner(pssCrypto, key, SignatureScheme.from(scheme)), certificate, scheme);
        }
        return new JcaDefaultTlsCredentialedSigner(parameters, crypto, key, certificate, scheme);
    }

    /** @return {private key, certificate chain}, or null when the options present no client certificate */
    private static Object[] identity(TlsOptions options) throws IOException {
        if (options.clientKey != null) {
            return new Object[] {options.clientKey, options.clientChain.toArray(new Certificate[0])};
        }
        if (options.keyStore == null) {
            return null;
        }
        try {
            Enumeration<String> aliases = options.keyStore.aliases();
            while (aliases.hasMoreElements()) {
                String alias = aliases.nextElement();
                Key key = options.keyStore.isKeyEntry(alias) ? options.keyStore.getKey(alias, options.keyStorePassword)
                        : null;
                if (key instanceof PrivateKey) {
                    return new Object[] {key, options.keyStore.getCertificateChain(alias)};
                }
            }
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "cannot read the client key store", e);
        }
        return null;
    }

    private static SignatureAndHashAlgorithm choose(PrivateKey key, boolean tls13, Vector<?> offered) {
        if (offered == null) {
            return null;
        }
        SignatureAndHashAlgorithm pkcs1 = null;
        for (Object element : offered) {
            SignatureAndHashAlgorithm scheme = (SignatureAndHashAlgorithm) element;
            if (key instanceof ECPrivateKey) {
                if (scheme.getSignature() == SignatureAlgorithm.ecdsa && scheme.getHash() == curveHash((ECPrivateKey) key)) {
                    return scheme;
                }
            } else if ("RSA".equals(key.getAlgorithm())) {
                if (isRsaPss(scheme)) {
                    return scheme;
                }
                if (!tls13 && pkcs1 == null && scheme.getSignature() == SignatureAlgorithm.rsa
                        && scheme.getHash() >= HashAlgorithm.sha256) {
                    pkcs1 = scheme;
                }
            }
        }
        return pkcs1;
    }

    private static boolean isRsaPss(SignatureAndHashAlgorithm scheme) {
        return scheme.equals(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256)
                || scheme.equals(SignatureAndHashAlgorithm.rsa_pss_rsae_sha384)
                || scheme.equals(SignatureAndHashAlgorithm.rsa_pss_rsae_sha512);
    }

    /** TLS 1.3 ties each ECDSA scheme to one curve; the same pairing is the sensible choice on 1.2. */
    private static short curveHash(ECPrivateKey key) {
        int bits = key.getParams().getCurve().getField().getFieldSize();
        return bits <= 256 ? HashAlgorithm.sha256 : bits <= 384 ? HashAlgorithm.sha384 : HashAlgorithm.sha512;
    }
}
