package io.pipit.mqtt.transport;

import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.testing.HiveMqBroker;
import io.pipit.mqtt.testing.QosRoundTrip;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MQTT over {@code ws://} through HiveMQ CE embedded's WebSocket listener (path /mqtt). */
@ExtendWith(HiveMqBroker.Extension.class)
class WebSocketHiveMqTest {
    private static MqttClientBuilder client(String uri, String clientId) {
        return MqttClient.builder().server(uri).clientId(clientId).connectTimeout(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldExchangeMessagesAtEveryQosBothWays(HiveMqBroker broker) throws Exception {
        QosRoundTrip.everyQos(client(broker.websocketUri(), "hivemq-ws-sub"),
                client(broker.websocketUri(), "hivemq-ws-pub"), "ws");
    }

    @Test
    void shouldTakeTheDefaultPathWhenTheUriNamesNone(HiveMqBroker broker) throws Exception {
        String uri = "ws://127.0.0.1:" + broker.websocketPort();
        QosRoundTrip.everyQos(client(uri, "hivemq-ws-sub2").webSocket(WebSocketOptions.defaults()),
                client(broker.uri(), "hivemq-tcp-pub"), "ws-default-path");
    }
}
