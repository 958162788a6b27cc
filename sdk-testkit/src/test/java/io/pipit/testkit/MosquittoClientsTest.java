package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker against the mosquitto command-line clients, another independent implementation. Skipped with a
 * notice when {@code mosquitto_pub} / {@code mosquitto_sub} are not on PATH, except under {@code CI=true},
 * where their absence fails the test so CI cannot silently skip it.
 */
class MosquittoClientsTest {
    private MockBroker broker;

    private static String find(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    @BeforeEach
    void requireMosquitto() {
        boolean present = find("mosquitto_pub") != null && find("mosquitto_sub") != null;
        if (!present) {
            String notice = "mosquitto_pub/mosquitto_sub not found on PATH (install the mosquitto-clients package)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(notice + "; under CI=true this test may not be skipped");
            }
            System.err.println("SKIPPED MosquittoClientsTest: " + notice);
            Assumptions.assumeTrue(false, notice);
        }
        broker = MockBroker.start();
    }

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(Arrays.asList(args));
        cmd.addAll(Arrays.asList("-h", "127.0.0.1", "-p", String.valueOf(broker.port())));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String finish(Process p) throws Exception {
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "mosquitto client did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), "exit code; output: " + out);
        return out;
    }

    @Test
    void shouldCarryMessagesBetweenMosquittoClientsAtEveryQosAndVersion() throws Exception {
        for (String version : new String[] {"mqttv5", "mqttv311"}) {
            for (int qos = 0; qos <= 2; qos++) {
                String id = "sub-" + version + "-" + qos;
                Process sub = start("mosquitto_sub", "-V", version, "-q", String.valueOf(qos), "-t", "m/+/x",
                        "-C", "1", "-i", id, "-W", "10");
                broker.awaitSent(id, io.pipit.mqtt.codec.PacketType.SUBACK);
                finish(start("mosquitto_pub", "-V", version, "-q", String.valueOf(qos), "-t", "m/" + qos + "/x",
                        "-m", "hello " + version));
                assertEquals("hello " + version, finish(sub));
            }
        }
    }

    @Test
    void shouldServeRetainedMessagesToMosquittoSub() throws Exception {
        finish(start("mosquitto_pub", "-V", "mqttv5", "-q", "1", "-r", "-t", "r/state", "-m", "on"));
        broker.awaitPublish("r/state");
        assertEquals("r/state on", finish(start("mosquitto_sub", "-V", "mqttv5", "-t", "r/#", "-C", "1", "-v",
                "-W", "10")));
    }

    @Test
    void shouldAcceptTopicAliasesAndUserPropertiesFromMosquittoPub() throws Exception {
        finish(start("mosquitto_pub", "-V", "mqttv5", "-t", "alias/t", "-m", "a", "-D", "publish", "topic-alias",
                "1", "-D", "publish", "user-property", "k", "v"));
        RecordedPacket p = broker.awaitPublish("alias/t");
        assertEquals(1, p.topicAlias());
        assertEquals("v", p.userProperties().get("k"));
    }
}
