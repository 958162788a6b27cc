package io.pipit.samples.cli;

import static io.pipit.samples.cli.BadInputJarIT.assertOneLineFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.testkit.MockBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-packet-size}: pub and sub carry messages larger than the client's default 256 KiB limit when asked
 * to, tell the broker the limit in CONNECT, and name the option when a message is over it. Run as processes against
 * a {@link MockBroker}.
 */
class MaxPacketSizeJarIT {
    /** Larger than both the default maximum packet size (256 KiB) and the client's default queue (4 MB). */
    private static final int LARGE = 5 * 1024 * 1024;

    @TempDir
    Path directory;

    @Test
    void shouldPublishAndReceiveAMessageLargerThanTheDefaultLimit() throws Exception {
        try (MockBroker broker = MockBroker.builder().awaitTimeout(Duration.ofSeconds(60)).start()) {
            String port = Integer.toString(broker.port());
            JarProcess sub = JarProcess.pipit(directory, "sub", "-h", "127.0.0.1", "-p", port, "-i", "big-sub",
                    "-t", "it/large", "-q", "1", "-C", "1", "-W", "60", "--max-packet-size", "6000000");
            broker.awaitSent("big-sub", PacketType.SUBACK); // subscribed: nothing is published early
            String text = "x".repeat(LARGE);
            Path file = Files.writeString(directory.resolve("large"), text);

            JarProcess pub = JarProcess.pipit(directory, "pub", "-h", "127.0.0.1", "-p", port, "-i", "big-pub",
                    "-t", "it/large", "-q", "1", "-f", file.toString(), "--max-packet-size", "6000000");

            assertEquals(ExitCodes.OK, pub.exitCode(), pub::toString);
            assertEquals(ExitCodes.OK, sub.exitCode(), sub::toString);
            assertTrue(sub.stdout().equals(text + "\n"), () -> "sub printed " + sub.stdout().length() + " chars");
            assertEquals("", pub.stderr() + sub.stderr());
            assertEquals(6_000_000L, broker.awaitReceived("big-sub", PacketType.CONNECT)
                    .property(Property.MAXIMUM_PACKET_SIZE, -1));
            assertEquals(6_000_000L, broker.awaitReceived("big-pub", PacketType.CONNECT)
                    .property(Property.MAXIMUM_PACKET_SIZE, -1));
        }
    }

    @Test
    void shouldNameTheOptionWhenAMessageIsOverTheClientsLimit() throws Exception {
        Path file = Files.write(directory.resolve("over"), new byte[300 * 1024]);
        try (MockBroker broker = MockBroker.start()) {
            String port = Integer.toString(broker.port());
            // 300 KiB to it/a at QoS 0: 1 + 3 (fixed header) + 2 + 1 (topic) + 1 (no properties) + 307,200 bytes
            assertOneLineFailure(ExitCodes.USAGE, "pipit pub: the PUBLISH is 307208 bytes, over the maximum packet "
                    + "size of 262144 bytes: raise it with --max-packet-size", JarProcess.pipit(directory, "pub",
                    "-h", "127.0.0.1", "-p", port, "-t", "a", "-f", file.toString()));
            assertOneLineFailure(ExitCodes.USAGE, "pipit pub: the PUBLISH is 307208 bytes, over the maximum packet "
                    + "size of 300000 bytes: raise it with --max-packet-size", JarProcess.pipit(directory, "pub",
                    "-h", "127.0.0.1", "-p", port, "-t", "a", "-f", file.toString(), "--max-packet-size", "300000"));
            // checked before connecting: a CONNECT would have been recorded before the process could end
            assertEquals(List.of(), broker.packets(), broker::describeRecording);
        }
    }

    @Test
    void shouldRefuseASizeThatIsNotAWholeNumberOfBytesInRange() throws Exception {
        assertOneLineFailure(ExitCodes.USAGE, "pipit pub: Invalid value for option '--max-packet-size': '1M' is "
                + "not a packet size: give a whole number of bytes, 1024 to 268435460", JarProcess.pipit(directory,
                "pub", "-t", "a", "-m", "b", "--max-packet-size", "1M"));
        assertOneLineFailure(ExitCodes.USAGE, "pipit sub: Invalid value for option '--max-packet-size': '100' is "
                + "not a packet size: give a whole number of bytes, 1024 to 268435460", JarProcess.pipit(directory,
                "sub", "-t", "a", "--max-packet-size", "100"));
    }

    @Test
    void shouldListTheOptionInTheHelpOfPubAndSub() throws Exception {
        for (String command : new String[] {"pub", "sub"}) {
            JarProcess help = JarProcess.pipit(directory, command, "--help");
            assertEquals(ExitCodes.OK, help.exitCode(), help::toString);
            assertTrue(help.stdout().contains("--max-packet-size=BYTES"), help::toString);
        }
    }
}
