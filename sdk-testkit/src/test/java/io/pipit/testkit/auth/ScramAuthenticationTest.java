package io.pipit.testkit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.auth.ScramSha256;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.RecordedPacket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pipit client's SCRAM-SHA-256 against an independent server side in the mock broker. */
class ScramAuthenticationTest {
    private static MqttClient client(MockBroker broker, String password) {
        return MqttClient.builder().server(broker.uri()).clientId("scram-device")
                .connectTimeout(5, TimeUnit.SECONDS).authenticator(new ScramSha256("device-7", password)).build();
    }

    @Test
    void shouldConnectWithTheRightPasswordAndReauthenticate() throws Exception {
        try (MockBroker broker = MockBroker.builder().authenticator(new ScramServer("device-7", "s3cret", false))
                .start(); MqttClient client = client(broker, "s3cret")) {
            client.connect();
            assertTrue(client.isConnected());
            RecordedPacket clientFinal = broker.awaitReceived("scram-device", PacketType.AUTH);
            assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, clientFinal.reasonCode());

            broker.clearRecording();
            client.reauthenticate();
            RecordedPacket reauth = broker.awaitReceived("scram-device", PacketType.AUTH);
            assertEquals(ReasonCode.RE_AUTHENTICATE, reauth.reasonCode());
            broker.awaitSent("scram-device", PacketType.AUTH); // the server's challenge, then its success
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (broker.sent("scram-device").stream().filter(p -> p.type() == PacketType.AUTH).count() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100); // the client would disconnect now if the server's final proof were wrong
            assertTrue(client.isConnected(), "still connected after re-authentication");
        }
    }

    @Test
    void shouldBeRefusedWithTheWrongPassword() throws Exception {
        try (MockBroker broker = MockBroker.builder().authenticator(new ScramServer("device-7", "s3cret", false))
                .start(); MqttClient client = client(broker, "guess")) {
            MqttException e = assertThrows(MqttException.class, client::connect);
            assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode(), e.getMessage());
        }
    }

    @Test
    void shouldRefuseAnImpostorServerThatCannotProveThePassword() throws Exception {
        try (MockBroker broker = MockBroker.builder().authenticator(new ScramServer("device-7", "s3cret", true))
                .start(); MqttClient client = client(broker, "s3cret")) {
            MqttException e = assertThrows(MqttException.class, client::connect);
            assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode(), e.getMessage());
            RecordedPacket disconnect = broker.awaitReceived("scram-device", PacketType.DISCONNECT);
            assertEquals(ReasonCode.NOT_AUTHORIZED, disconnect.reasonCode());
        }
    }
}
