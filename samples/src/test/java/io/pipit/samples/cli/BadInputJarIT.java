package io.pipit.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.testing.MosquittoBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the jar, run as a process: each case is one line on stderr naming the cause, a non-zero exit code
 * from {@link ExitCodes}, and no stack trace unless {@code --debug}.
 */
class BadInputJarIT {
    @TempDir
    Path directory;

    @Test
    void shouldRefuseAnUnknownOption() throws Exception {
        assertOneLineFailure(ExitCodes.USAGE, "pipit gateway: Unknown option",
                JarProcess.pipit(directory, "gateway", "--sensor", "3"));
        assertOneLineFailure(ExitCodes.USAGE, "pipit pub: Unknown option: '-Z'",
                JarProcess.pipit(directory, "pub", "-Z", "-t", "a", "-m", "b"));
        assertOneLineFailure(ExitCodes.USAGE, "pipit: missing command: one of gateway, pub, sub",
                JarProcess.pipit(directory));
    }

    @Test
    void shouldRefuseAMalformedUri() throws Exception {
        assertOneLineFailure(ExitCodes.USAGE,
                "pipit gateway: Invalid value for option '--broker' (URI): malformed broker URI 'mqtt://bad host'",
                JarProcess.pipit(directory, "gateway", "--broker", "mqtt://bad host"));
        assertOneLineFailure(ExitCodes.USAGE, "pipit sub: Invalid value for option '--url': malformed URL "
                + "'http://127.0.0.1/t': broker URI 'http://127.0.0.1/t' must start with mqtt://",
                JarProcess.pipit(directory, "sub", "-L", "http://127.0.0.1/t"));
    }

    @Test
    void shouldRefuseBadValues() throws Exception {
        assertOneLineFailure(ExitCodes.USAGE, "pipit gateway: Invalid value for option '--duration': "
                + "'5 s' is not a duration", JarProcess.pipit(directory, "gateway", "--duration", "5 s"));
        assertOneLineFailure(ExitCodes.USAGE, "pipit pub: Invalid value for option '--qos': '3' is not a QoS",
                JarProcess.pipit(directory, "pub", "-t", "a", "-m", "b", "-q", "3"));
        assertOneLineFailure(ExitCodes.USAGE, "pipit pub: missing topic",
                JarProcess.pipit(directory, "pub", "-m", "b"));
        Path notADirectory = Files.writeString(directory.resolve("plain-file"), "x");
        assertOneLineFailure(ExitCodes.FAILED, "pipit gateway: --queue " + notADirectory + ": ",
                JarProcess.pipit(directory, "gateway", "--queue", notADirectory.toString()));
    }

    @Test
    void shouldReportAnUnreachableBroker() throws Exception {
        try (Socket refusing = refusingPort()) {
            int closedPort = refusing.getLocalPort();
            assertOneLineFailure(ExitCodes.UNREACHABLE, "pipit pub: cannot reach the broker: connection failed: "
                    + "127.0.0.1:" + closedPort + ": cannot connect to 127.0.0.1:" + closedPort
                    + ": Connection refused", JarProcess.pipit(directory, "pub", "-h", "127.0.0.1", "-p",
                    Integer.toString(closedPort), "-t", "a", "-m", "b"));
            assertOneLineFailure(ExitCodes.UNREACHABLE, "pipit gateway: cannot reach the broker",
                    JarProcess.pipit(directory, "gateway", "--broker", "mqtt://127.0.0.1:" + closedPort));
        }
    }

    @Test
    void shouldNameTheReasonCodeWhenTheBrokerRefusesTheCredentialsOrAPublish() throws Exception {
        Path passwords = directory.resolve("passwords");
        JarProcess made = JarProcess.mosquittoClient(directory, "mosquitto_passwd", "-b", "-c", passwords.toString(),
                "alice", "secret");
        assertEquals(0, made.exitCode(), made::toString);
        Path acl = java.nio.file.Files.writeString(directory.resolve("acl"), "user alice\ntopic readwrite ok/#\n");
        try (MosquittoBroker broker = MosquittoBroker.builder().config("allow_anonymous false")
                .config("password_file " + passwords).config("acl_file " + acl).startOrSkip()) {
            String port = Integer.toString(broker.port());
            assertOneLineFailure(ExitCodes.NOT_AUTHORIZED, "pipit pub: not authorized: connection failed: server "
                    + "refused CONNECT: 0x87 Not authorized", JarProcess.pipit(directory, "pub", "-p", port,
                    "-u", "alice", "-P", "wrong", "-t", "a", "-m", "b"));
            assertOneLineFailure(ExitCodes.NOT_AUTHORIZED, "pipit sub: not authorized: connection failed: server "
                    + "refused CONNECT: 0x87 Not authorized", JarProcess.pipit(directory, "sub", "-p", port,
                    "-V", "311", "-u", "alice", "-P", "wrong", "-t", "a"));
            JarProcess debug = JarProcess.pipit(directory, "pub", "-p", port, "-t", "a", "-m", "b", "--debug");
            assertEquals(ExitCodes.NOT_AUTHORIZED, debug.exitCode(), debug::toString);
            assertTrue(debug.stderr().contains("\tat io.pipit.samples.cli.PubCommand.call"), debug::toString);

            JarProcess allowed = JarProcess.pipit(directory, "pub", "-L", "mqtt://alice:secret@127.0.0.1:" + port
                    + "/ok/a", "-m", "b", "-q", "1");
            assertEquals(ExitCodes.OK, allowed.exitCode(), allowed::toString);
            assertOneLineFailure(ExitCodes.NOT_AUTHORIZED, "pipit pub: not authorized: PUBLISH not accepted "
                    + "(0x87 Not authorized)", JarProcess.pipit(directory, "pub", "-L", "mqtt://alice:secret@127.0.0.1:"
                    + port + "/not/ok", "-m", "b", "-q", "1"));
        }
    }

    /** Exit code {@code expected}, exactly one line on stderr starting with {@code line}, no stack trace. */
    static void assertOneLineFailure(int expected, String line, JarProcess process) throws InterruptedException {
        assertEquals(expected, process.exitCode(), process::toString);
        String stderr = process.stderr();
        assertTrue(stderr.startsWith(line), process::toString);
        assertEquals(1, stderr.lines().count(), process::toString);
        assertFalse(stderr.contains("\tat "), process::toString);
    }

    /**
     * A port on 127.0.0.1 that refuses connections for as long as the socket stays open: bound, so no other process
     * can take the port meanwhile, but never listening, so the kernel answers a connect with a reset. Without
     * SO_REUSEADDR: with it, a ServerSocket (which sets it by default on Linux) could still bind the same port.
     */
    private static Socket refusingPort() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
