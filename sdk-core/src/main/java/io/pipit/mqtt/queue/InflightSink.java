package io.pipit.mqtt.queue;

import java.nio.ByteBuffer;

/**
 * Receives, from {@link OutboundQueue#recover}, the publishes a previous run sent and did not see
 * completed, so the engine resends them with the same Packet Identifier (DUP set) or, after PUBREC, resends
 * PUBREL. Called on the engine's thread.
 */
public interface InflightSink {
    /**
     * @param packet the stored PUBLISH (MQTT 5 form, position to limit), valid during this call only
     * @param released true when PUBREC had come (QoS 2): only PUBREL remains to send
     * @return false when the sink has no room: this and later records are then sent again as new messages
     */
    boolean accept(long sequence, int packetId, boolean released, ByteBuffer packet);
}
