package io.pipit.samples.cli;

import static io.pipit.samples.cli.BadInputJarIT.assertOneLineFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.RecordedPacket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code pipit pub} ends when its message does not go through, run as a process against a {@link MockBroker}:
 * a publish the client itself refuses (over the server's Maximum Packet Size) is a local failure that says so, and
 * a server's DISCONNECT before the acknowledgement ends the command at once with the server's reason code and
 * Reason String. Each case is one line on stderr and an exit code of {@link ExitCodes}.
 */
class PubOutcomeJarIT {
    /** Generous: the jar's JVM starts on a loaded 2-core CI box. */
    private static final Duration AWAIT = Duration.ofSeconds(60);

    private static final byte[] DISCONNECT_SERVER_BUSY = {
        (byte) 0xE0, 0x14,          // DISCONNECT, remaining length 20
        (byte) 0x89,                // reason code 0x89 Server busy
        0x12,                       // properties: 18 bytes
        0x1F, 0x00, 0x0F,           // Reason String, 15 bytes:
        't', 'r', 'y', ' ', 'a', 'g', 'a', 'i', 'n', ' ', 'l', 'a', 't', 'e', 'r'};

    private static final byte[] DISCONNECT_NOT_AUTHORIZED = {
        (byte) 0xE0, 0x13,          // DISCONNECT, remaining length 19
        (byte) 0x87,                // reason code 0x87 Not authorized
        0x11,                       // properties: 17 bytes
        0x1F, 0x00, 0x0E,           // Reason String, 14 bytes:
        'q', 'u', 'o', 't', 'a', ' ', 'e', 'x', 'c', 'e', 'e', 'd', 'e', 'd'};

    @TempDir
    Path directory;

    @Test
    void shouldSayAQos0PublishOverTheServersMaximumPacketSizeWasNotSent() throws Exception {
        try (MockBroker broker = MockBroker.builder().maximumPacketSize(1024).awaitTimeout(AWAIT).start()) {
            // 2,000 bytes to it/big at QoS 0: 1 + 2 (fixed header) + 2 + 6 (topic) + 1 (no properties) + 2,000
            JarProcess pub = pub(broker, "big-0", "-t", "it/big", "-q", "0", "-f", payload(2000).toString());

            assertOneLineFailure(ExitCodes.FAILED, "pipit pub: not sent: the PUBLISH is 2012 bytes, over the "
                    + "server's Maximum Packet Size of 1024 bytes", pub);
            assertNoPublishBeforeDisconnect(broker, "big-0");
        }
    }

    @Test
    void shouldNotBlameTheBrokerForAQos1PublishTheClientRefusedForItsMaximumPacketSize() throws Exception {
        try (MockBroker broker = MockBroker.builder().maximumPacketSize(1024).awaitTimeout(AWAIT).start()) {
            // QoS 1 adds the 2-byte Packet Identifier
            JarProcess pub = pub(broker, "big-1", "-t", "it/big", "-q", "1", "-f", payload(2000).toString());

            assertOneLineFailure(ExitCodes.FAILED, "pipit pub: not sent: the PUBLISH is 2014 bytes, over the "
                    + "server's Maximum Packet Size of 1024 bytes", pub);
            assertNoPublishBeforeDisconnect(broker, "big-1");
        }
    }

    @Test
    void shouldEndWithTheServersReasonWhenItDisconnectsBeforeThePuback() throws Exception {
        try (MockBroker broker = MockBroker.builder().awaitTimeout(AWAIT).start()) {
            broker.faults("busy-1").withhold(PacketType.PUBACK);
            JarProcess pub = pub(broker, "busy-1", "-t", "it/busy", "-q", "1", "-m", "21.5");
            broker.awaitPublish("it/busy");
            broker.sendRaw("busy-1", DISCONNECT_SERVER_BUSY);

            // the reason code and Reason String can only be printed if the DISCONNECT was seen
            assertOneLineFailure(ExitCodes.REFUSED, "pipit pub: refused by the broker: ", pub);
            assertTrue(pub.stderr().contains("0x89 Server busy"), pub::toString);
            assertTrue(pub.stderr().contains("try again later"), pub::toString);
        }
    }

    @Test
    void shouldExitNotAuthorizedWhenTheServerDisconnectsWith0x87BeforeThePuback() throws Exception {
        try (MockBroker broker = MockBroker.builder().awaitTimeout(AWAIT).start()) {
            broker.faults("quota-1").withhold(PacketType.PUBACK);
            JarProcess pub = pub(broker, "quota-1", "-t", "it/quota", "-q", "1", "-m", "21.5");
            broker.awaitPublish("it/quota");
            broker.sendRaw("quota-1", DISCONNECT_NOT_AUTHORIZED);

            assertOneLineFailure(ExitCodes.NOT_AUTHORIZED, "pipit pub: not authorized: ", pub);
            assertTrue(pub.stderr().contains("0x87 Not authorized"), pub::toString);
            assertTrue(pub.stderr().contains("quota exceeded"), pub::toString);
        }
    }

    @Test
    void shouldReportAConnectionLostBeforeThePubackAsTheBrokerUnreachable() throws Exception {
        try (MockBroker broker = MockBroker.builder().awaitTimeout(AWAIT).start()) {
            broker.faults("drop-1").withhold(PacketType.PUBACK);
            JarProcess pub = pub(broker, "drop-1", "-t", "it/drop", "-q", "1", "-m", "21.5");
            broker.awaitPublish("it/drop");
            broker.drop("drop-1"); // no DISCONNECT: a network failure

            assertOneLineFailure(ExitCodes.UNREACHABLE, "pipit pub: cannot reach the broker: connection ended "
                    + "before the PUBACK: ", pub);
        }
    }

    private JarProcess pub(MockBroker broker, String clientId, String... args) {
        String[] all = new String[args.length + 7];
        System.arraycopy(new String[] {"pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-i",
            clientId}, 0, all, 0, 7);
        System.arraycopy(args, 0, all, 7, args.length);
        return JarProcess.pipit(directory, all);
    }

    private Path payload(int length) throws java.io.IOException {
        return Files.write(directory.resolve("payload-" + length), "x".repeat(length).getBytes());
    }

    /** The client's DISCONNECT is the last thing it sends: every PUBLISH it sent was recorded before it. */
    private static void assertNoPublishBeforeDisconnect(MockBroker broker, String clientId) {
        broker.awaitReceived(clientId, PacketType.DISCONNECT);
        List<RecordedPacket> received = broker.received(clientId);
        assertTrue(received.stream().noneMatch(p -> p.type() == PacketType.PUBLISH), broker::describeRecording);
        assertEquals(PacketType.CONNECT, received.get(0).type(), broker::describeRecording);
    }
}
