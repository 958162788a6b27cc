package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.ReasonEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/** User Name / Password and enhanced authentication (AUTH exchanges, re-authentication). */
class AuthenticatorTest {
    private static final byte[] METHOD = "SCRAM-TEST".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldCheckUserNameAndPasswordWithPaho() throws Exception {
        try (MockBroker broker = MockBroker.builder().authenticator(Authenticator.userNamePassword("dev", "pw"))
                .start()) {
            MqttConnectionOptions good = new MqttConnectionOptions();
            good.setUserName("dev");
            good.setPassword("pw".getBytes(StandardCharsets.UTF_8));
            Paho5.connect(broker, "ok", good).close();
            MqttConnectionOptions bad = new MqttConnectionOptions();
            bad.setUserName("dev");
            bad.setPassword("nope".getBytes(StandardCharsets.UTF_8));
            Paho5 c = new Paho5(broker, "bad");
            MqttException e = assertThrows(MqttException.class, () -> c.client.connect(bad));
            assertEquals(0x86, e.getReasonCode());
            c.client.close(true);
        }
    }

    private static RawClient.Encoding auth(int code, String data) {
        MqttProperties p = new MqttProperties().put(Property.AUTHENTICATION_METHOD, METHOD)
                .put(Property.AUTHENTICATION_DATA, data.getBytes(StandardCharsets.UTF_8));
        return dst -> ReasonEncoder.encode(dst, PacketType.AUTH, ProtocolVersion.MQTT_5, code, p);
    }

    @Test
    void shouldRunAChallengeResponseExchangeAndReauthenticate() throws IOException {
        Authenticator challengeResponse = r -> {
            String data = new String(r.authenticationData(), StandardCharsets.UTF_8);
            if (r.step() == 0) {
                return AuthResult.challenge(("nonce-for-" + data).getBytes(StandardCharsets.UTF_8));
            }
            return data.equals("signed-nonce") ? AuthResult.accept("welcome".getBytes(StandardCharsets.UTF_8))
                    : AuthResult.refuse(AuthResult.NOT_AUTHORIZED);
        };
        try (MockBroker broker = MockBroker.builder().authenticator(challengeResponse).start();
                RawClient c = new RawClient(broker.port(), ProtocolVersion.MQTT_5)) {
            ConnectEncoder connect = new ConnectEncoder().clientId("enhanced");
            connect.properties().put(Property.AUTHENTICATION_METHOD, METHOD)
                    .put(Property.AUTHENTICATION_DATA, "alice".getBytes(StandardCharsets.UTF_8));
            c.send(connect::encode);
            PacketDecoder d = c.expect(PacketType.AUTH);
            assertEquals(0x18, d.reason().reasonCode());
            assertArrayEquals("nonce-for-alice".getBytes(StandardCharsets.UTF_8),
                    d.reason().properties().binary(Property.AUTHENTICATION_DATA).toByteArray());
            c.send(auth(0x18, "signed-nonce"));
            d = c.expect(PacketType.CONNACK);
            assertEquals(0, d.connack().reasonCode());
            assertEquals("welcome", new String(d.connack().properties().binary(Property.AUTHENTICATION_DATA)
                    .toByteArray(), StandardCharsets.UTF_8));

            c.send(auth(0x19, "alice"));
            assertEquals(0x18, c.expect(PacketType.AUTH).reason().reasonCode());
            c.send(auth(0x18, "signed-nonce"));
            assertEquals(0x00, c.expect(PacketType.AUTH).reason().reasonCode());

            c.send(auth(0x19, "alice"));
            c.expect(PacketType.AUTH);
            c.send(auth(0x18, "forged"));
            assertEquals(0x87, c.expect(PacketType.DISCONNECT).reason().reasonCode());
        }
    }

    @Test
    void shouldRefuseAnAuthenticationMethodWithoutAnAuthenticator() throws IOException {
        try (MockBroker broker = MockBroker.start(); RawClient c = new RawClient(broker.port(),
                ProtocolVersion.MQTT_5)) {
            ConnectEncoder connect = new ConnectEncoder().clientId("x");
            connect.properties().put(Property.AUTHENTICATION_METHOD, METHOD);
            c.send(connect::encode);
            assertEquals(0x8C, c.expect(PacketType.CONNACK).connack().reasonCode());
        }
    }
}
