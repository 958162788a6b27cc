package io.pipit.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
    @Test
    void shouldReadDurationsInMillisecondsSecondsAndMinutes() {
        Converters.Millis millis = new Converters.Millis();
        assertEquals(500L, millis.convert("500ms"));
        assertEquals(5_000L, millis.convert("5s"));
        assertEquals(5_000L, millis.convert("5"));
        assertEquals(120_000L, millis.convert("2m"));
        for (String bad : new String[] {"", "s", "5 s", "-5s", "5h", "1.5s", "9999999999999m"}) {
            assertThrows(TypeConversionException.class, () -> millis.convert(bad), bad);
        }
    }

    @Test
    void shouldReadPacketSizesAsWholeNumbersOfBytesInTheProtocolsRange() {
        Converters.PacketSize size = new Converters.PacketSize();
        assertEquals(1024, size.convert("1024"));
        assertEquals(6_000_000, size.convert("6000000"));
        assertEquals(268_435_460, size.convert("268435460")); // 1 + 4 header bytes + the largest Remaining Length
        for (String bad : new String[] {"", "1023", "268435461", "1M", "512K", "-2048", "1.5", "99999999999"}) {
            assertThrows(TypeConversionException.class, () -> size.convert(bad), bad);
        }
    }

    @Test
    void shouldReadQosAndVersionsAsMosquittoToolsDo() {
        assertEquals(QoS.EXACTLY_ONCE, new Converters.Qos().convert("2"));
        assertThrows(TypeConversionException.class, () -> new Converters.Qos().convert("3"));
        assertEquals(ProtocolVersion.MQTT_5, new Converters.Version().convert("mqttv5"));
        assertEquals(ProtocolVersion.MQTT_3_1_1, new Converters.Version().convert("311"));
        assertThrows(TypeConversionException.class, () -> new Converters.Version().convert("31"));
    }

    @Test
    void shouldSplitAnMqttUrlIntoServerCredentialsAndTopic() {
        MqttUrl url = new MqttUrl.Converter().convert("mqtt://alice:s3cret@broker.local:1884/tele/room-1");
        assertEquals(new MqttUrl("mqtt://broker.local:1884", "alice", "s3cret", "tele/room-1"), url);
        MqttUrl bare = new MqttUrl.Converter().convert("mqtt://broker.local");
        assertEquals("mqtt://broker.local:1883", bare.server());
        assertNull(bare.user());
        assertNull(bare.topic());
        assertEquals("mqtts://broker.local:8883", new MqttUrl.Converter().convert("mqtts://broker.local/t").server());
        assertThrows(TypeConversionException.class, () -> new MqttUrl.Converter().convert("http://broker.local/t"));
    }

    @Test
    void shouldEscapeJsonStrings() {
        StringBuilder json = new StringBuilder();
        JsonLine.string(json, "a\"b\\c\n\u0001é");
        assertEquals("\"a\\\"b\\\\c\\n\\u0001é\"", json.toString());
    }
}
