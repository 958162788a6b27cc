package io.pipit.mqtt.engine;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.SubackView;
import java.util.ArrayList;
import java.util.List;

/** Test support: records what the engine reported, as strings, for exact assertions. */
final class RecordingListener implements EngineListener, MessageListener {
    final List<String> events = new ArrayList<>();
    /** The detail of each connection end, in order. */
    final List<String> closeDetails = new ArrayList<>();

    @Override
    public void onConnected(ConnackView connack) {
        events.add("connected sessionPresent=" + connack.sessionPresent());
    }

    @Override
    public void onConnectionClosed(int reasonCode, boolean byServer, String detail) {
        closeDetails.add(detail);
        events.add(reasonCode < 0 ? "closed network byServer=" + byServer
                : String.format("closed 0x%02X byServer=%s", reasonCode, byServer));
    }

    @Override
    public void onPublishCompleted(long sequence, int reasonCode) {
        events.add(String.format("completed %d 0x%02X", sequence, reasonCode));
    }

    @Override
    public void onSubscriptionAck(int packetId, SubackView ack) {
        events.add(String.format("suback %d 0x%02X", packetId, ack.reasonCode(0)));
    }

    @Override
    public void onMessage(Message message) {
        events.add("message " + message.topic() + " qos=" + message.qos() + " " + message.payloadAsString());
    }

    String last() {
        return events.isEmpty() ? "(none)" : events.get(events.size() - 1);
    }
}
