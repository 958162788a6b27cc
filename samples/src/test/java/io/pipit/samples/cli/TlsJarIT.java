package io.pipit.samples.cli;

import static io.pipit.samples.cli.BadInputJarIT.assertOneLineFailure;
import static io.pipit.samples.cli.PubSubJarIT.awaitSubscribed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.transport.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipit pub}/{@code sub}/{@code gateway} over TLS as processes, against a mosquitto whose listener demands
 * TLS and a client certificate, with certificates made by the test: mosquitto's option names work, and a server
 * the CA file does not vouch for is one line naming the cause.
 */
class TlsJarIT {
    @TempDir
    Path directory;

    /**
     * The broker listens on 127.0.0.1 only, so the clients are given 127.0.0.1 (a name can resolve to ::1 first); the
     * server certificate names it as an IP address Subject Alternative Name, so host name verification still runs.
     */
    private MosquittoBroker mutualTls(TestPki.Identity ca) {
        Path[] server = TestPki.localhost(ca).write(directory, "server");
        return MosquittoBroker.builder().config("cafile " + ca.write(directory, "ca")[0])
                .config("certfile " + server[0]).config("keyfile " + server[1])
                .config("require_certificate true").startOrSkip();
    }

    @Test
    void shouldPublishAndSubscribeWithMutualTls() throws Exception {
        TestPki.Identity ca = TestPki.ca("pipit test CA");
        Path[] device = TestPki.client(ca, "device-1", false).write(directory, "device");
        String[] tls = {"--cafile", directory.resolve("ca.crt").toString(), "--cert", device[0].toString(),
            "--key", device[1].toString(), "-h", "127.0.0.1"};
        try (MosquittoBroker broker = mutualTls(ca)) {
            String port = Integer.toString(broker.port());
            JarProcess sub = awaitSubscribed(broker, "tls-sub", JarProcess.pipit(directory, concat(tls, "sub", "-p",
                    port, "-i", "tls-sub", "-t", "tls/#", "-v", "-C", "1", "-W", "30")));
            JarProcess pub = JarProcess.pipit(directory, concat(tls, "pub", "-p", port, "-t", "tls/t", "-q", "1",
                    "-m", "over mutual TLS"));

            assertEquals(0, pub.exitCode(), pub::toString);
            assertEquals(0, sub.exitCode(), sub::toString);
            assertEquals("tls/t over mutual TLS", sub.stdout().trim());

            JarProcess gateway = JarProcess.pipit(directory, "gateway", "--broker", "mqtts://127.0.0.1:" + port,
                    "--duration", "2s", "--cafile", directory.resolve("ca.crt").toString(), "--cert",
                    device[0].toString(), "--key", device[1].toString());
            assertEquals(0, gateway.exitCode(), gateway::toString);
        }
    }

    @Test
    void shouldRefuseAServerTheCaFileDoesNotVouchFor() throws Exception {
        TestPki.Identity ca = TestPki.ca("pipit test CA");
        Path otherCa = TestPki.ca("some other CA").write(directory, "other-ca")[0];
        try (MosquittoBroker broker = mutualTls(ca)) {
            assertOneLineFailure(ExitCodes.UNREACHABLE, "pipit pub: cannot reach the broker: ",
                    JarProcess.pipit(directory, "pub", "--cafile", otherCa.toString(), "-h", "127.0.0.1", "-p",
                            Integer.toString(broker.port()), "-t", "t", "-m", "m"));
        }
    }

    /** Options before the subcommand do not parse, so the subcommand comes first: {@code sub, -p, ..., tls...}. */
    private static String[] concat(String[] tls, String command, String... rest) {
        String[] all = new String[1 + rest.length + tls.length];
        all[0] = command;
        System.arraycopy(rest, 0, all, 1, rest.length);
        System.arraycopy(tls, 0, all, 1 + rest.length, tls.length);
        return all;
    }
}
