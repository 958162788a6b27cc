package io.pipit.mqtt.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PingEncoder;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The mosquitto fixture against the real binary: MQTT 5 and 3.1.1, kill and restart with persistence. */
class MosquittoBrokerTest {
    @Test
    void shouldRouteAMessageWithPahoV5(TestInfo test) throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.startOrSkip();
                PahoProbe paho = new PahoProbe(broker.uri(), "mosquitto-self-test")) {
            final String topic = "pipit/" + test.getDisplayName();

            paho.connect().subscribe(topic, 1).publish(topic, "hello mosquitto", 1);

            assertEquals("hello mosquitto", paho.awaitMessage(), broker.log());
        }
    }

    @Test
    void shouldAnswerCodecEncodedConnectAndPingOverTcpTransport() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.startOrSkip();
                RawMqttConnection raw = new RawMqttConnection(broker.host(), broker.port())) {
            final ConnectEncoder connect = new ConnectEncoder().clientId("raw-v5").keepAliveSeconds(30);
            final ByteBuffer out = ByteBuffer.allocate(connect.encodedLength());
            connect.encode(out);
            raw.send(out.flip());

            final PacketDecoder decoder = new PacketDecoder(ProtocolVersion.MQTT_5, FixedHeader.MAX_PACKET_SIZE);
            final byte[] connack = raw.receivePacket();
            assertNotNull(connack, broker.log());
            assertEquals(connack.length, decoder.decode(ByteBuffer.wrap(connack), 0, connack.length));
            assertEquals(PacketType.CONNACK, decoder.type());
            assertEquals(0x00, decoder.connack().reasonCode(), "Success");

            final ByteBuffer ping = ByteBuffer.allocate(PingEncoder.PACKET_LENGTH);
            PingEncoder.encode(ping, PacketType.PINGREQ);
            raw.send(ping.flip());
            assertArrayEquals(new byte[] {(byte) 0xD0, 0x00}, raw.receivePacket(), "PINGRESP");
        }
    }

    @Test
    void shouldAnswerMqtt311Connect() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.startOrSkip();
                RawMqttConnection raw = new RawMqttConnection(broker.host(), broker.port())) {
            final ConnectEncoder connect = new ConnectEncoder().version(ProtocolVersion.MQTT_3_1_1).clientId("raw-v3");
            final ByteBuffer out = ByteBuffer.allocate(connect.encodedLength());
            connect.encode(out);
            raw.send(out.flip());

            assertArrayEquals(new byte[] {
                0x20, 0x02,  // CONNACK, remaining length 2
                0x00,        // no session present
                0x00,        // return code 0: accepted
            }, raw.receivePacket(), broker.log());
        }
    }

    @Test
    void shouldKeepAQueuedMessageAcrossKillAndRestart(TestInfo test) throws Exception {
        final String topic = "pipit/" + test.getDisplayName();
        try (MosquittoBroker broker = MosquittoBroker.builder().persistence(true).startOrSkip()) {
            final int port = broker.port();
            leaveAQueuedMessage(broker, topic, "survives SIGKILL");

            broker.awaitSave();
            broker.kill();
            assertFalse(broker.isRunning());
            assertThrows(ConnectException.class, () -> new Socket(broker.host(), port).close());
            broker.restart();

            assertEquals(port, broker.port(), "restart keeps the port");
            assertEquals("survives SIGKILL", resumeAndReceive(broker), broker.log());
        }
    }

    @Test
    void shouldKeepAQueuedMessageAcrossGracefulRestart(TestInfo test) throws Exception {
        final String topic = "pipit/" + test.getDisplayName();
        try (MosquittoBroker broker = MosquittoBroker.builder().persistence(true).autosaveIntervalSeconds(3600)
                .startOrSkip()) {
            leaveAQueuedMessage(broker, topic, "saved on SIGTERM");

            broker.restart();  // SIGTERM: mosquitto saves on the way out, whatever the autosave interval

            assertEquals("saved on SIGTERM", resumeAndReceive(broker), broker.log());
        }
    }

    /**
     * Subscribes with a session kept for 300 s, goes offline, and has a QoS 1 message queued for it. Clean
     * Start is off even on this first connect: mosquitto 2.0.11 writes a session to its database only when the
     * CONNECT that made it had Clean Start 0, whatever its Session Expiry.
     */
    private static void leaveAQueuedMessage(MosquittoBroker broker, String topic, String payload) throws Exception {
        try (PahoProbe subscriber = new PahoProbe(broker.uri(), "persistent-subscriber");
                PahoProbe publisher = new PahoProbe(broker.uri(), "publisher")) {
            subscriber.connect(false, 300).subscribe(topic, 1).disconnect();
            publisher.connect().publish(topic, payload, 1).disconnect();
        }
    }

    /**
     * Resumes the persistent subscriber's session with a new Paho instance: Paho v5 1.2.5 reusing its
     * MqttClient after disconnect() with Clean Start off drops the queued PUBLISH mosquitto sends at once.
     */
    private static String resumeAndReceive(MosquittoBroker broker) throws Exception {
        try (PahoProbe resumed = new PahoProbe(broker.uri(), "persistent-subscriber")) {
            return resumed.connect(false, 300).awaitMessage();
        }
    }

    @Test
    void shouldStopGracefullyAndCaptureTheLog() throws Exception {
        final MosquittoBroker broker = MosquittoBroker.startOrSkip();
        broker.stop();
        broker.close();  // idempotent after stop

        assertFalse(broker.isRunning());
        assertTrue(Files.exists(broker.directory().resolve("mosquitto.conf")));
        assertTrue(broker.log().contains("mosquitto version"), broker.log());
        assertTrue(broker.log().contains("terminating"), broker.log());
    }

    @Test
    void shouldAbortLocallyButFailUnderCiWhenMosquittoIsMissing() {
        assertThrows(TestAbortedException.class, () -> MosquittoBroker.skipOrFail("no mosquitto", null));
        assertThrows(TestAbortedException.class, () -> MosquittoBroker.skipOrFail("no mosquitto", "false"));
        final AssertionFailedError failure =
                assertThrows(AssertionFailedError.class, () -> MosquittoBroker.skipOrFail("no mosquitto", "true"));
        assertTrue(failure.getMessage().contains("CI=true"), failure.getMessage());
    }
}
