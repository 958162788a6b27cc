package io.pipit.samples.cli;

import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.transport.TlsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * TLS options of the gateway, pub and sub, named as mosquitto's tools name them. Any of them turns TLS on (a
 * server given by host and port then uses {@code mqtts://}); an {@code mqtts://} broker URI with none of them
 * gets the secure defaults (system trust store, host name verified). Filled by picocli on the main thread.
 */
public final class TlsCliOptions {
    @Option(names = "--cafile", paramLabel = "PEM", description = "Trust the CA certificates in this PEM file.")
    Path caFile;

    @Option(names = "--cert", paramLabel = "PEM", description = "Client certificate chain (PEM), with --key.")
    Path certFile;

    @Option(names = "--key", paramLabel = "PEM", description = "Client private key (PEM: PKCS#8, PKCS#1 or SEC1).")
    Path keyFile;

    @Option(names = "--psk", paramLabel = "HEX", description = "TLS-PSK key in hex, with --psk-identity (needs "
            + "BouncyCastle's bctls on the class path).")
    String pskHex;

    @Option(names = "--psk-identity", paramLabel = "ID", description = "TLS-PSK identity.")
    String pskIdentity;

    @Option(names = "--tls-provider", paramLabel = "jdk|bc",
            description = "TLS implementation: the JDK's (default) or BouncyCastle's.")
    String provider = "jdk";

    @Option(names = "--insecure", description = "Do not check that the certificate names the server (testing only;"
            + " logged as a warning at every connect).")
    boolean insecure;

    /** @return true when any TLS option was given */
    public boolean wanted() {
        return caFile != null || certFile != null || keyFile != null || pskHex != null || pskIdentity != null
                || insecure || !"jdk".equals(provider);
    }

    /**
     * Gives {@code builder} the TLS settings, when any option was given.
     *
     * @throws IllegalArgumentException for options that do not go together or a file that cannot be read
     */
    public void applyTo(MqttClientBuilder builder) {
        if (!wanted()) {
            return;
        }
        TlsOptions.Builder tls = TlsOptions.builder();
        if (!"jdk".equals(provider) && !"bc".equals(provider)) {
            throw new IllegalArgumentException("--tls-provider must be jdk or bc, not '" + provider + "'");
        }
        if ("bc".equals(provider)) {
            tls.bouncyCastle();
        }
        if (caFile != null) {
            tls.trustPem(read(caFile, "--cafile"));
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--cert and --key go together");
        }
        if (certFile != null) {
            tls.clientCertificatePem(read(certFile, "--cert"), read(keyFile, "--key"));
        }
        if ((pskHex == null) != (pskIdentity == null)) {
            throw new IllegalArgumentException("--psk and --psk-identity go together");
        }
        if (pskHex != null) {
            tls.psk(pskIdentity, hex(pskHex));
        }
        if (insecure) {
            tls.insecureDisableHostnameVerification();
        }
        builder.tls(tls.build());
    }

    private static String read(Path file, String option) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(option + " " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] hex(String text) {
        if (!text.matches("([0-9a-fA-F]{2})+")) {
            throw new IllegalArgumentException("--psk takes an even number of hex digits, not '" + text + "'");
        }
        byte[] key = new byte[text.length() / 2];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return key;
    }
}
