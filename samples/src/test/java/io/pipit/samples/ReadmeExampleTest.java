package io.pipit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.testkit.MockBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's code sample lives here, between the markers, so it compiles and runs in every build; a second test
 * checks the README still shows it word for word.
 */
class ReadmeExampleTest {
    private static final String BEGIN = "// README sample begins";
    private static final String END = "// README sample ends";

    static void readmeSample(String broker) throws Exception {
        // README sample begins
        MqttClient client = MqttClient.builder()
                .server(broker)                              // e.g. "mqtt://127.0.0.1:1883"; add more for failover
                .clientId("sensor-42")
                .cleanStart(false).sessionExpiry(1, TimeUnit.HOURS)
                .keepAlive(60, TimeUnit.SECONDS)
                .automaticReconnect(true)
                .publishListener((sequence, reasonCode) -> { /* QoS 1 PUBACK, QoS 2 PUBCOMP, or a refusal */ })
                .build();
        client.connect();                                    // throws MqttException with the server's reason code
        client.subscribe("cmd/sensor-42/#", QoS.AT_LEAST_ONCE, message -> {
            // on the client's I/O thread; the message is a view, valid during this call
        }).get(5, TimeUnit.SECONDS);
        Topic temp = Topic.of("tele/sensor-42/temp");        // encoded once
        byte[] payload = "21.5".getBytes(StandardCharsets.UTF_8);
        client.publish(temp, payload, 0, payload.length, QoS.AT_LEAST_ONCE);   // allocates nothing; queued offline
        client.close();                                      // sends what is queued, DISCONNECT, stops the thread
        // README sample ends
    }

    @Test
    void shouldPublishAsTheReadmeSampleSays() throws Exception {
        try (MockBroker broker = MockBroker.builder().awaitTimeout(Duration.ofSeconds(60)).start()) { // a bound only
            readmeSample(broker.uri());

            assertEquals("21.5", broker.awaitPublish("tele/sensor-42/temp").payloadAsString());
            assertEquals(List.of("cmd/sensor-42/#"), broker.awaitReceived("sensor-42",
                    io.pipit.mqtt.codec.PacketType.SUBSCRIBE).topicFilters());
        }
    }

    @Test
    void shouldShowTheSampleInTheReadmeVerbatim() throws Exception {
        // line endings do not count: readAllLines takes \n, \r\n or \r, and the README's \r\n become \n
        List<String> source = Files.readAllLines(Paths.get("src/test/java/io/pipit/samples/ReadmeExampleTest.java"));
        List<String> sample = source.subList(source.indexOf("        " + BEGIN) + 1, source.indexOf("        " + END));
        String dedented = sample.stream().map(line -> line.substring(Math.min(8, line.length())))
                .collect(Collectors.joining("\n", "```java\n", "\n```"));
        String readme = Files.readString(Path.of("..", "README.md")).replace("\r\n", "\n");
        assertTrue(readme.contains(dedented), "README.md must show, verbatim:\n" + dedented);
    }
}
