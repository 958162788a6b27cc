package io.pipit.mqtt.engine;

import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.SubackView;
import java.util.ArrayList;
import java.util.List;

/** Test support: records each connection end the engine's parts report, with its detail. */
final class ClosureRecorder implements EngineListener {
    final List<String> closes = new ArrayList<>();

    @Override
    public void onConnected(ConnackView connack) {
        throw new AssertionError("not expected here");
    }

    @Override
    public void onConnectionClosed(int reasonCode, boolean byServer, String detail) {
        closes.add(String.format("%s byServer=%s: %s", reasonCode < 0 ? "network" : String.format("0x%02X",
                reasonCode), byServer, detail));
    }

    @Override
    public void onPublishCompleted(long sequence, int reasonCode) {
        throw new AssertionError("not expected here");
    }

    @Override
    public void onSubscriptionAck(int packetId, SubackView ack) {
        throw new AssertionError("not expected here");
    }

    String last() {
        return closes.isEmpty() ? "(none)" : closes.get(closes.size() - 1);
    }
}
