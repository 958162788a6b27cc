package io.pipit.mqtt.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.testing.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the TLS tests share: a mosquitto with a TLS listener, a client for it, and a checked round trip. */
final class TlsSupport {
    private TlsSupport() {
    }

    /** mosquitto whose listener serves TLS with {@code server}'s certificate, plus extra listener lines. */
    static MosquittoBroker broker(Path directory, TestPki.Identity ca, TestPki.Identity server, String... lines) {
        Path[] files = server.write(directory, "server-" + server.certificate.getSerialNumber());
        Path caFile = ca.write(directory, "ca-" + ca.certificate.getSerialNumber())[0];
        MosquittoBroker.Builder builder = MosquittoBroker.builder()
                .config("cafile " + caFile)
                .config("certfile " + files[0])
                .config("keyfile " + files[1]);
        for (String line : lines) {
            builder.config(line);
        }
        return builder.startOrSkip();
    }

    static MqttClientBuilder client(String uri, TlsOptions tls, String clientId) {
        return MqttClient.builder().server(uri).tls(tls).clientId(clientId).connectTimeout(5, TimeUnit.SECONDS);
    }

    /** Connects, subscribes, publishes at QoS 1 and waits for the message to come back: TLS carries MQTT. */
    static void roundTrip(MqttClientBuilder builder) throws Exception {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(4);
        try (MqttClient client = builder.build()) {
            client.connect();
            client.subscribe("tls/echo", QoS.AT_LEAST_ONCE,
                    message -> received.add(message.topic() + "=" + message.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            client.publish("tls/echo", "over TLS".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE);
            assertEquals("tls/echo=over TLS", received.poll(5, TimeUnit.SECONDS));
        }
    }

    /** @return the message of the exception connect() fails with, after checking it names {@code reason} */
    static String connectFailure(MqttClientBuilder builder, TlsException.Reason reason) throws MqttException {
        try (MqttClient client = builder.build()) {
            MqttException failure = assertThrows(MqttException.class, client::connect);
            assertTrue(failure.getMessage().contains(reason + ":"), "expected " + reason + " in: " + failure.getMessage());
            return failure.getMessage();
        }
    }
}
