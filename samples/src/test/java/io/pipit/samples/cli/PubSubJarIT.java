package io.pipit.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipit pub} and {@code pipit sub} as processes against a real mosquitto, with each other and with
 * mosquitto_pub / mosquitto_sub: the message and its MQTT 5 properties arrive intact every way round.
 */
@ExtendWith(MosquittoPerClass.class)
class PubSubJarIT {
    private static final String PROPERTIES_JSON = "\"properties\":{\"messageExpiryInterval\":60,"
            + "\"contentType\":\"text/plain\",\"responseTopic\":\"reply/here\",\"correlationData\":\"req-42\","
            + "\"userProperties\":[{\"key\":\"site\",\"value\":\"north\"},{\"key\":\"site\",\"value\":\"south\"}],";

    @TempDir
    Path directory;

    @Test
    void shouldCarryPayloadAndPropertiesFromPipitPubToPipitSub(MosquittoBroker broker) throws Exception {
        JarProcess sub = awaitSubscribed(broker, "sub-1", JarProcess.pipit(directory, "sub", "-p", port(broker),
                "-i", "sub-1", "-t", "it/one/#", "-q", "1", "--json", "-C", "1", "-W", "30"));

        JarProcess pub = JarProcess.pipit(directory, "pub", "-L", "mqtt://127.0.0.1:" + port(broker) + "/it/one/t",
                "-q", "1", "-m", "21.5 \"C\"", "--content-type", "text/plain", "--message-expiry", "60",
                "--response-topic", "reply/here", "--correlation-data", "req-42", "-D", "site=north",
                "-D", "site=south");

        assertEquals(0, pub.exitCode(), pub::toString);
        assertEquals(0, sub.exitCode(), sub::toString);
        String line = sub.stdout().trim();
        assertTrue(line.startsWith("{\"topic\":\"it/one/t\",\"qos\":1,\"retain\":false,\"payload\":\"21.5 \\\"C\\\"\","
                + PROPERTIES_JSON), line);
        assertEquals("", sub.stderr() + pub.stderr());
    }

    @Test
    void shouldCarryPropertiesFromMosquittoPubToPipitSub(MosquittoBroker broker) throws Exception {
        JarProcess sub = awaitSubscribed(broker, "sub-2", JarProcess.pipit(directory, "sub", "-p", port(broker),
                "-i", "sub-2", "-t", "it/two/+", "-t", "it/other", "--json", "-C", "1", "-W", "30"));

        JarProcess pub = JarProcess.mosquittoClient(directory, "mosquitto_pub", "-p", port(broker), "-V", "mqttv5",
                "-t", "it/two/t", "-q", "1", "-m", "21.5 \"C\"", "-D", "PUBLISH", "content-type", "text/plain",
                "-D", "PUBLISH", "message-expiry-interval", "60", "-D", "PUBLISH", "response-topic", "reply/here",
                "-D", "PUBLISH", "correlation-data", "req-42", "-D", "PUBLISH", "user-property", "site", "north",
                "-D", "PUBLISH", "user-property", "site", "south");

        assertEquals(0, pub.exitCode(), pub::toString);
        assertEquals(0, sub.exitCode(), sub::toString);
        assertTrue(sub.stdout().trim().startsWith("{\"topic\":\"it/two/t\",\"qos\":0,\"retain\":false,"
                + "\"payload\":\"21.5 \\\"C\\\"\"," + PROPERTIES_JSON), sub.stdout());
    }

    @Test
    void shouldCarryPropertiesFromPipitPubToMosquittoSub(MosquittoBroker broker) throws Exception {
        JarProcess sub = awaitSubscribed(broker, "msub-3", JarProcess.mosquittoClient(directory, "mosquitto_sub",
                "-p", port(broker), "-V", "mqttv5", "-i", "msub-3", "-t", "it/three/#", "-q", "2", "-C", "1",
                "-W", "30", "-F", "%t|%q|%r|%p|%C|%E|%R|%D|%P"));

        JarProcess pub = JarProcess.pipit(directory, "pub", "-p", port(broker), "-t", "it/three/t", "-q", "2",
                "-m", "hello mosquitto", "--content-type", "text/plain", "--message-expiry", "60",
                "--response-topic", "reply/here", "--correlation-data", "req-42", "-D", "site=north",
                "-D", "site=south");

        assertEquals(0, pub.exitCode(), pub::toString);
        assertEquals(0, sub.exitCode(), sub::toString);
        assertEquals("it/three/t|2|0|hello mosquitto|text/plain|60|reply/here|req-42|site:north site:south",
                sub.stdout().trim());
    }

    @Test
    void shouldPrintTopicAndBinaryPayloadsLikeMosquittoSub(MosquittoBroker broker) throws Exception {
        JarProcess verbose = awaitSubscribed(broker, "sub-4", JarProcess.pipit(directory, "sub", "-p", port(broker),
                "-i", "sub-4", "-t", "it/four/#", "-v", "-C", "2", "-W", "30"));
        JarProcess json = awaitSubscribed(broker, "sub-5", JarProcess.pipit(directory, "sub", "-p", port(broker),
                "-i", "sub-5", "-t", "it/four/bin", "--json", "-C", "1", "-W", "30"));

        JarProcess text = JarProcess.pipit(directory, "pub", "-p", port(broker), "-t", "it/four/text", "-m", "plain",
                "-q", "1");
        assertEquals(0, text.exitCode(), text::toString);
        JarProcess binary = JarProcess.mosquittoClient(directory, "mosquitto_pub", "-p", port(broker), "-t",
                "it/four/bin", "-q", "1", "-f", java.nio.file.Files.write(directory.resolve("bin"),
                        new byte[] {(byte) 0xFF, 0, 1}).toString());
        assertEquals(0, binary.exitCode(), binary::toString);

        assertEquals(0, verbose.exitCode(), verbose::toString);
        assertTrue(verbose.stdout().startsWith("it/four/text plain\nit/four/bin "), verbose.stdout());
        assertEquals(0, json.exitCode(), json::toString);
        assertTrue(json.stdout().contains("\"payloadBase64\":\"/wAB\""), json.stdout());
    }

    @Test
    void shouldResumeAPersistentSessionWithTheMessagesPublishedMeanwhile(MosquittoBroker broker) throws Exception {
        String[] session = {"sub", "-p", port(broker), "-i", "sess-6", "--no-clean-start", "-x", "300", "-q", "1",
                "-t", "it/six"};
        JarProcess first = JarProcess.pipit(directory, concat(session, "-W", "1"));
        assertEquals(0, first.exitCode(), first::toString);

        JarProcess pub = JarProcess.pipit(directory, "pub", "-p", port(broker), "-t", "it/six", "-m", "while away",
                "-q", "1");
        assertEquals(0, pub.exitCode(), pub::toString);

        JarProcess second = JarProcess.pipit(directory, concat(session, "-C", "1", "-W", "30"));
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals("while away\n", second.stdout());
    }

    @Test
    void shouldHaveTheWillPublishedOnlyWhenTheToolDiesWithoutDisconnecting(MosquittoBroker broker) throws Exception {
        JarProcess watcher = awaitSubscribed(broker, "will-watch", JarProcess.mosquittoClient(directory,
                "mosquitto_sub", "-p", port(broker), "-i", "will-watch", "-t", "it/will/#", "-v", "-C", "1",
                "-W", "30"));
        String[] will = {"-p", port(broker), "-t", "it/nothing", "--will-topic", "it/will/x", "--will-payload",
                "gone", "--will-qos", "1"};

        JarProcess terminated = awaitSubscribed(broker, "will-7", JarProcess.pipit(directory,
                concat(new String[] {"sub", "-i", "will-7"}, will)));
        terminated.terminate(); // SIGTERM: the shutdown hook sends DISCONNECT, so no Will
        awaitLog(broker, "Client will-7 disconnected.");
        JarProcess killed = awaitSubscribed(broker, "will-8", JarProcess.pipit(directory,
                concat(new String[] {"sub", "-i", "will-8"}, will)));
        killed.kill();

        assertEquals(0, watcher.exitCode(), watcher::toString);
        assertEquals("it/will/x gone\n", watcher.stdout()); // one Will: will-8's, after will-7 left cleanly
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    static String port(MosquittoBroker broker) {
        return Integer.toString(broker.port());
    }

    /** Waits (bounded) until mosquitto logged the subscription of {@code clientId}, so nothing is published early. */
    static JarProcess awaitSubscribed(MosquittoBroker broker, String clientId, JarProcess subscriber)
            throws InterruptedException {
        awaitLog(broker, ": " + clientId + " ");
        return subscriber;
    }

    static void awaitLog(MosquittoBroker broker, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L; // generous: JVM start-up on a loaded 2-core CI box
        while (!broker.log().contains(text)) {
            assertTrue(System.nanoTime() < deadline, () -> "mosquitto never logged '" + text + "'; log:\n"
                    + broker.log());
            Thread.sleep(20);
        }
    }
}
