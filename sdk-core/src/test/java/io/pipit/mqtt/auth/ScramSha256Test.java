package io.pipit.mqtt.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ReasonCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SCRAM-SHA-256 against the worked example of RFC 7677 section 3, byte for byte. */
class ScramSha256Test {
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    private static ScramSha256 rfcClient() {
        ScramSha256 scram = new ScramSha256("user", "pencil");
        scram.fixNonce("rOprNGfwEbeRWgbNEkqO");
        return scram;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldProduceTheRfc7677ExchangeExactly() throws MqttException {
        ScramSha256 scram = rfcClient();
        assertEquals("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", new String(scram.start(), StandardCharsets.UTF_8));
        assertEquals("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                new String(scram.challenge(utf8(SERVER_FIRST)), StandardCharsets.UTF_8));
        assertDoesNotThrow(() -> scram.complete(utf8("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
    }

    @Test
    void shouldRejectAServerThatDoesNotKnowThePassword() throws MqttException {
        ScramSha256 scram = rfcClient();
        scram.start();
        scram.challenge(utf8(SERVER_FIRST));
        MqttException e = assertThrows(MqttException.class,
                () -> scram.complete(utf8("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode());
    }

    @Test
    void shouldRejectANonceThatDoesNotExtendOurs() {
        ScramSha256 scram = rfcClient();
        scram.start();
        assertThrows(MqttException.class, () -> scram.challenge(utf8("r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
    }

    @Test
    void shouldRejectMalformedServerMessages() {
        ScramSha256 scram = rfcClient();
        scram.start();
        assertThrows(MqttException.class, () -> scram.challenge(utf8("garbage")));
        assertThrows(MqttException.class, () -> scram.challenge(utf8(
                "r=rOprNGfwEbeRWgbNEkqOx,s=***,i=4096")));
        assertThrows(MqttException.class, () -> scram.challenge(utf8(
                "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=many")));
        assertThrows(MqttException.class, () -> scram.complete(utf8("e=invalid-proof")));
    }

    @Test
    void shouldRoundTripBase64() {
        for (int length = 0; length < 40; length++) {
            byte[] data = new byte[length];
            for (int i = 0; i < length; i++) {
                data[i] = (byte) (i * 37 + length);
            }
            assertArrayEquals(data, Base64.decode(Base64.encode(data)), "length " + length);
            assertEquals(java.util.Base64.getEncoder().encodeToString(data), Base64.encode(data));
        }
    }
}
