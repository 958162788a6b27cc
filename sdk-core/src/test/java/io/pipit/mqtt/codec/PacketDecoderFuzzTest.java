package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of every decoder through {@link PacketDecoder}, as both protocol versions.
 * The property: any bytes either decode into packets that re-encode canonically, or raise
 * {@link MqttCodecException} with an error reason code; no other exception, no hang. The build runs
 * it for a fixed number of executions from a fixed seed (see the sdk-core pom), so every machine fuzzes the same
 * inputs whatever its speed; the README shows a longer, open-ended run.
 */
class PacketDecoderFuzzTest {
    private static final int MAX_PACKET = 64 * 1024;

    private final PacketDecoder v5 = new PacketDecoder(ProtocolVersion.MQTT_5, MAX_PACKET);
    private final PacketDecoder v3 = new PacketDecoder(ProtocolVersion.MQTT_3_1_1, MAX_PACKET);
    private final PacketDecoder again5 = new PacketDecoder(ProtocolVersion.MQTT_5, MAX_PACKET);
    private final PacketDecoder again3 = new PacketDecoder(ProtocolVersion.MQTT_3_1_1, MAX_PACKET);
    private final Reencoder reencoder = new Reencoder();

    @FuzzTest(maxExecutions = 150_000, maxDuration = "10m")
    void shouldDecodeOrRaiseCodecException(byte[] input) {
        decodeAll(ByteBuffer.wrap(input), v5, again5);
        decodeAll(ByteBuffer.wrap(input).asReadOnlyBuffer(), v3, again3);
    }

    private void decodeAll(ByteBuffer buf, PacketDecoder decoder, PacketDecoder again) {
        int index = 0;
        while (true) {
            int length;
            try {
                length = decoder.decode(buf, index, buf.limit());
            } catch (MqttCodecException e) {
                assertTrue(ReasonCode.isError(e.reasonCode()), e::getMessage);
                return;
            }
            if (length == 0) {
                return;
            }
            assertCanonical(decoder, again);
            index += length;
        }
    }

    /** What was accepted is a valid packet: its canonical form decodes and re-encodes to itself. */
    private void assertCanonical(PacketDecoder decoder, PacketDecoder again) {
        ByteBuffer canonical = reencoder.reencode(decoder, MAX_PACKET * 2);
        int length = again.decode(canonical, 0, canonical.limit());
        assertEquals(canonical.limit(), length);
        assertEquals(canonical, reencoder.reencode(again, MAX_PACKET * 2));
    }
}
