package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties over generated packets of every type, both versions: canonical round trips are
 * byte-identical, and mutated packets decode to something valid or raise {@link MqttCodecException}.
 */
class PacketPropertiesTest {
    private static final int MAX = 128 * 1024;

    private final Reencoder reencoder = new Reencoder();

    private static ProtocolVersion version(boolean v5) {
        return v5 ? ProtocolVersion.MQTT_5 : ProtocolVersion.MQTT_3_1_1;
    }

    @Property(tries = 3000)
    void shouldReencodeGeneratedPacketsByteIdentically(@ForAll long seed, @ForAll boolean v5) {
        ByteBuffer packet = new PacketGenerator(new Random(seed)).next(version(v5));
        PacketDecoder decoder = new PacketDecoder(version(v5), MAX);
        assertEquals(packet.limit(), decoder.decode(packet, 0, packet.limit()));
        assertEquals(packet, reencoder.reencode(decoder, MAX));
    }

    @Property(tries = 3000)
    void shouldDecodeMutatedPacketsOrRaiseCodecException(@ForAll long seed, @ForAll boolean v5,
            @ForAll @IntRange(min = 1, max = 4) int mutations) {
        Random random = new Random(seed);
        ByteBuffer packet = mutate(new PacketGenerator(random).next(version(v5)), random, mutations);
        PacketDecoder decoder = new PacketDecoder(version(v5), MAX);
        int index = 0;
        while (index < packet.limit()) {
            int length;
            try {
                length = decoder.decode(packet, index, packet.limit());
            } catch (MqttCodecException e) {
                assertTrue(ReasonCode.isError(e.reasonCode()), e.getMessage());
                return;
            }
            if (length == 0) {
                return; // a truncated packet waits for more bytes: also a correct answer
            }
            ByteBuffer canonical = reencoder.reencode(decoder, MAX);
            PacketDecoder again = new PacketDecoder(version(v5), MAX);
            assertEquals(canonical.limit(), again.decode(canonical, 0, canonical.limit()));
            assertEquals(canonical, reencoder.reencode(again, MAX));
            index += length;
        }
    }

    /** Flips, overwrites, inserts or deletes bytes, or truncates. */
    private static ByteBuffer mutate(ByteBuffer packet, Random random, int mutations) {
        byte[] bytes = new byte[packet.limit()];
        packet.get(bytes);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0: bytes[at] ^= (byte) (1 << random.nextInt(8)); break;
                case 1: bytes[at] = (byte) random.nextInt(256); break;
                case 2: {
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                    break;
                }
                case 3: {
                    byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    bytes = shorter;
                    break;
                }
                default: bytes = java.util.Arrays.copyOf(bytes, at);
            }
        }
        return ByteBuffer.wrap(bytes);
    }
}
