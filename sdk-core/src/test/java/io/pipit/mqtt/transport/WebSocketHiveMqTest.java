package io.pipit.mqtt.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.testing.ConnectProxy;
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
    void shouldTunnelThroughAnHttpProxyWithItsAuthorization(HiveMqBroker broker) throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start()) {
            WebSocketOptions options = WebSocketOptions.builder().proxy("127.0.0.1", proxy.port(), "Basic dTpw").build();
            QosRoundTrip.everyQos(client(broker.websocketUri(), "hivemq-proxy-sub").webSocket(options),
                    client(broker.websocketUri(), "hivemq-proxy-pub").webSocket(options), "proxied");
            assertEquals(2, proxy.requests().size());
            assertTrue(proxy.requests().get(0).startsWith("CONNECT 127.0.0.1:" + broker.websocketPort() + " HTTP/1.1")
                    && proxy.requests().get(0).contains("Proxy-Authorization: Basic dTpw"), proxy.requests().get(0));
        }
    }

    @Test
    void shouldShowTheStatusLineWhenTheProxyRefuses(HiveMqBroker broker) throws Exception {
        try (ConnectProxy proxy = ConnectProxy.start(); MqttClient client = client(broker.websocketUri(), "hivemq-407")
                .webSocket(WebSocketOptions.builder().proxy("127.0.0.1", proxy.port(), null).build())
                .automaticReconnect(false).build()) {
            proxy.refuse("407 Proxy Authentication Required");
            MqttException failure = assertThrows(MqttException.class, client::connect);
            assertTrue(failure.getMessage().contains("PROXY_REFUSED")
                    && failure.getMessage().contains("HTTP/1.1 407 Proxy Authentication Required"), failure.getMessage());
        }
    }

    @Test
    void shouldTakeTheDefaultPathWhenTheUriNamesNone(HiveMqBroker broker) throws Exception {
        String uri = "ws://127.0.0.1:" + broker.websocketPort();
        QosRoundTrip.everyQos(client(uri, "hivemq-ws-sub2").webSocket(WebSocketOptions.defaults()),
                client(broker.uri(), "hivemq-tcp-pub"), "ws-default-path");
    }
}
