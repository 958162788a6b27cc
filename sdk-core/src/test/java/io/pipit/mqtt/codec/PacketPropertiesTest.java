package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.testing.PropertyCheck;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties over generated packets of every type, both versions: canonical round trips are
 * byte-identical, and mutated packets decode to something valid or raise {@link MqttCodecException}.
 */
class PacketPropertiesTest {
    private static final int MAX = 128 * 1024;
    private static final int RANDOM_TRIES = 3000;
    /** Seeds for {@link PacketGenerator}'s {@link Random}: the ends of long, their neighbours, and around 0. */
    private static final long[] EDGE_SEEDS = {
        Long.MIN_VALUE, Long.MIN_VALUE + 1, -2, -1, 0, 1, 2, Long.MAX_VALUE - 1, Long.MAX_VALUE,
    };
    private static final ProtocolVersion[] VERSIONS = {ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5};

    private final Reencoder reencoder = new Reencoder();

    /** A packet that {@link PacketGenerator} makes from {@code generatorSeed}. */
    record GeneratedPacket(long generatorSeed, ProtocolVersion version) {
        static GeneratedPacket next(SplittableRandom random) {
            return new GeneratedPacket(random.nextLong(), random.nextBoolean() ? VERSIONS[1] : VERSIONS[0]);
        }
    }

    /** A generated packet with 1 to 4 mutations, which draw on the packet's {@link Random} after the packet. */
    record MutatedPacket(long generatorSeed, ProtocolVersion version, int mutations) {
        static MutatedPacket next(SplittableRandom random) {
            GeneratedPacket packet = GeneratedPacket.next(random);
            return new MutatedPacket(packet.generatorSeed(), packet.version(), random.nextInt(1, 5));
        }
    }

    @Test
    void shouldReencodeGeneratedPacketsByteIdentically() {
        List<GeneratedPacket> edgeCases = new ArrayList<>();
        for (long seed : EDGE_SEEDS) {
            for (ProtocolVersion version : VERSIONS) {
                edgeCases.add(new GeneratedPacket(seed, version));
            }
        }
        PropertyCheck.forAll("shouldReencodeGeneratedPacketsByteIdentically", edgeCases, RANDOM_TRIES,
                GeneratedPacket::next, this::assertReencodesByteIdentically);
    }

    private void assertReencodesByteIdentically(GeneratedPacket generated) {
        ByteBuffer packet = new PacketGenerator(new Random(generated.generatorSeed())).next(generated.version());
        PacketDecoder decoder = new PacketDecoder(generated.version(), MAX);
        assertEquals(packet.limit(), decoder.decode(packet, 0, packet.limit()));
        assertEquals(packet, reencoder.reencode(decoder, MAX));
    }

    @Test
    void shouldDecodeMutatedPacketsOrRaiseCodecException() {
        List<MutatedPacket> edgeCases = new ArrayList<>();
        for (long seed : EDGE_SEEDS) {
            for (ProtocolVersion version : VERSIONS) {
                for (int mutations : PropertyCheck.edgeInts(1, 4)) {
                    edgeCases.add(new MutatedPacket(seed, version, mutations));
                }
            }
        }
        PropertyCheck.forAll("shouldDecodeMutatedPacketsOrRaiseCodecException", edgeCases, RANDOM_TRIES,
                MutatedPacket::next, this::assertDecodesOrRaisesCodecException);
    }

    private void assertDecodesOrRaisesCodecException(MutatedPacket mutated) {
        Random random = new Random(mutated.generatorSeed());
        ByteBuffer packet = mutate(new PacketGenerator(random).next(mutated.version()), random, mutated.mutations());
        PacketDecoder decoder = new PacketDecoder(mutated.version(), MAX);
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
            PacketDecoder again = new PacketDecoder(mutated.version(), MAX);
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
