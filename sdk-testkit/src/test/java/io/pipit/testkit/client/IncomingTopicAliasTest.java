package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.RecordedPacket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Topic aliases from the server, over a real socket: the mock broker assigns them (no real broker we test
 * against does), and the client delivers every message under its full topic.
 */
class IncomingTopicAliasTest {
    @Test
    void shouldDeliverAliasedMessagesUnderTheirFullTopic() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (MockBroker broker = MockBroker.builder().assignTopicAliases(true).start();
                MqttClient client = MqttClient.builder().server(broker.uri()).clientId("aliased")
                        .topicAliasMaximum(4).build()) {
            client.connect();
            client.subscribe("tele/#", QoS.AT_LEAST_ONCE, m -> received.add(m.topic() + "=" + m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                broker.publish("tele/sensor-42/temp", "t" + i, 1, false);
                broker.publish("tele/sensor-42/humidity", "h" + i, 0, false);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals("tele/sensor-42/temp=t" + i, received.poll(5, TimeUnit.SECONDS));
                assertEquals("tele/sensor-42/humidity=h" + i, received.poll(5, TimeUnit.SECONDS));
            }
            List<RecordedPacket> sent = broker.sent("aliased").stream().filter(p -> p.type() == PacketType.PUBLISH)
                    .collect(Collectors.toList());
            assertEquals(List.of(1, 2, 1, 2, 1, 2), sent.stream().map(RecordedPacket::topicAlias)
                    .collect(Collectors.toList()), "the broker really used aliases");
            assertEquals(2, sent.stream().filter(p -> !p.topic().isEmpty()).count(),
                    "only the first message per topic carried the topic: " + broker.describeRecording());
        }
    }
}
