package io.pipit.mqtt.engine;

import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;

/** What the engine needs to know about MQTT 3.1.1 brokers: their CONNACK return codes and refusals. */
final class Mqtt311 {
    private Mqtt311() {
    }

    /** 3.1.1 CONNACK return codes 1..5 as the MQTT 5 reason codes that mean the same (spec 3.2.2.2). */
    static int reasonCodeFor(int returnCode) {
        switch (returnCode) {
            case 0: return ReasonCode.SUCCESS;
            case 1: return ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
            case 2: return ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
            case 3: return ReasonCode.SERVER_UNAVAILABLE;
            case 4: return ReasonCode.BAD_USER_NAME_OR_PASSWORD;
            default: return ReasonCode.NOT_AUTHORIZED;
        }
    }

    /**
     * A 3.1.1-only broker answers our 5.0 CONNECT with return code 0x01 "unacceptable protocol version": in
     * a 3.1.1 CONNACK ({@code 20 02 00 01}), or, as Moquette does, in a 5.0-shaped one ({@code 20 03 00 01 00}).
     * Neither is a valid 5.0 CONNACK, so it is recognised before decoding.
     */
    static boolean isVersionRefusal(ByteBuffer src) {
        int at = src.position();
        return src.limit() - at >= 4 && src.get(at) == 0x20
                && (src.get(at + 1) == 0x02 || src.get(at + 1) == 0x03) && src.get(at + 2) == 0x00
                && src.get(at + 3) == 0x01;
    }
}
