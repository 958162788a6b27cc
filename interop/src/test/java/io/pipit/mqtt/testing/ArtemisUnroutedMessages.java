package io.pipit.mqtt.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;

/**
 * An Artemis broker plugin that records the payloads of the MQTT messages its broker accepted but routed to no queue:
 * a drop on the broker's side, which MQTT 5 lets a broker announce with PUBACK 0x10 No matching subscribers but which
 * Artemis 2.41 acknowledges with 0x00 Success all the same, so the publisher cannot tell. One instance per broker,
 * kept across its restarts. Thread-safe: Artemis calls it on its threads, the test reads.
 */
final class ArtemisUnroutedMessages implements ActiveMQServerMessagePlugin {
    private final List<String> payloads = new ArrayList<>();

    @Override
    public void afterMessageRoute(Message message, RoutingContext context, boolean direct, boolean rejectDuplicates,
            RoutingStatus result) {
        if (result == RoutingStatus.NO_BINDINGS && message.containsProperty(MQTTUtil.MQTT_QOS_LEVEL_KEY)) {
            final ActiveMQBuffer body = message.toCore().getReadOnlyBodyBuffer();
            final byte[] payload = new byte[body.readableBytes()];
            body.readBytes(payload);
            synchronized (this) {
                payloads.add(new String(payload, StandardCharsets.UTF_8));
            }
        }
    }

    /** @return the payloads recorded so far, as UTF-8 text, in routing order */
    synchronized List<String> payloads() {
        return new ArrayList<>(payloads);
    }
}
