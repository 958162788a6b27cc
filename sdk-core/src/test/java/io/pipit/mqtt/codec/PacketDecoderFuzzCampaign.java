package io.pipit.mqtt.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A long fuzzing campaign over the same target as {@link PacketDecoderFuzzTest}. Its name does not end in
 * "Test", so no build runs it; start it by hand (README, "Fuzzing"). A {@code @FuzzTest}'s duration is fixed
 * at compile time, which is why the long run is a class of its own rather than a setting.
 */
class PacketDecoderFuzzCampaign {
    private final PacketDecoderFuzzTest target = new PacketDecoderFuzzTest();

    @FuzzTest(maxDuration = "30m")
    void shouldDecodeOrRaiseCodecException(byte[] input) {
        target.shouldDecodeOrRaiseCodecException(input);
    }
}
