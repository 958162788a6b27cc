package io.pipit.testkit.internal;

import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.testkit.RecordedPacket;
import java.util.List;
import java.util.Map;

/**
 * One-line, human-readable summaries of recorded packets, for {@code toString()} and for the await helpers'
 * failure messages. Stateless; safe from any thread.
 */
final class Describe {
    private static final int MAX_PAYLOAD_CHARS = 60;

    private Describe() {
    }

    static String packet(RecordedPacket p, Map<Integer, Long> numbers, Map<Integer, String> strings) {
        StringBuilder s = new StringBuilder();
        if (p.direction() == RecordedPacket.Direction.RECEIVED) {
            s.append(p.clientId()).append(" -> broker ");
        } else {
            s.append("broker -> ").append(p.clientId()).append(' ');
        }
        s.append(p.typeName());
        if (p.malformed() != null) {
            return s.append(" (").append(p.malformed()).append(") ").append(hex(p.bytes())).toString();
        }
        details(s, p);
        if (!numbers.isEmpty() || !strings.isEmpty() || !p.subscriptionIdentifiers().isEmpty()
                || !p.userProperties().isEmpty()) {
            s.append(" props{");
            String sep = "";
            for (Map.Entry<Integer, Long> e : numbers.entrySet()) {
                s.append(sep).append(Property.name(e.getKey())).append('=').append(e.getValue());
                sep = ", ";
            }
            for (Map.Entry<Integer, String> e : strings.entrySet()) {
                s.append(sep).append(Property.name(e.getKey())).append("='").append(e.getValue()).append('\'');
                sep = ", ";
            }
            if (!p.subscriptionIdentifiers().isEmpty()) {
                s.append(sep).append("Subscription Identifiers=").append(p.subscriptionIdentifiers());
                sep = ", ";
            }
            if (!p.userProperties().isEmpty()) {
                s.append(sep).append("User Properties=").append(p.userProperties());
            }
            s.append('}');
        }
        return s.toString();
    }

    private static void details(StringBuilder s, RecordedPacket p) {
        switch (p.type()) {
            case PacketType.CONNECT:
                s.append(" v").append(p.mqtt5() ? "5" : "3.1.1").append(" cleanStart=").append(p.cleanStart())
                        .append(" keepAlive=").append(p.keepAliveSeconds());
                if (p.userName() != null) {
                    s.append(" user='").append(p.userName()).append('\'');
                }
                if (p.topic() != null) {
                    s.append(" will='").append(p.topic()).append("' qos=").append(p.qos());
                }
                break;
            case PacketType.CONNACK:
                s.append(String.format(" code=0x%02X sessionPresent=%s", p.reasonCode(), p.sessionPresent()));
                break;
            case PacketType.PUBLISH:
                s.append(" qos=").append(p.qos());
                if (p.packetId() != 0) {
                    s.append(" id=").append(p.packetId());
                }
                if (p.dup()) {
                    s.append(" dup");
                }
                if (p.retain()) {
                    s.append(" retain");
                }
                s.append(" topic='").append(p.topic()).append("' payload=").append(payload(p.payloadAsString()));
                break;
            case PacketType.SUBSCRIBE:
            case PacketType.UNSUBSCRIBE:
                s.append(" id=").append(p.packetId()).append(" filters=").append(p.topicFilters());
                break;
            case PacketType.SUBACK:
            case PacketType.UNSUBACK:
                s.append(" id=").append(p.packetId()).append(" codes=").append(hexCodes(p.reasonCodes()));
                break;
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBREL:
            case PacketType.PUBCOMP:
                s.append(" id=").append(p.packetId());
                appendCode(s, p.reasonCode());
                break;
            case PacketType.DISCONNECT:
            case PacketType.AUTH:
                appendCode(s, p.reasonCode());
                break;
            default:
                break;
        }
    }

    private static void appendCode(StringBuilder s, int code) {
        if (code != 0) {
            s.append(String.format(" code=0x%02X", code));
        }
    }

    private static String payload(String text) {
        String shown = text.length() > MAX_PAYLOAD_CHARS ? text.substring(0, MAX_PAYLOAD_CHARS) + "..." : text;
        return "'" + shown.replace("\n", "\\n") + "' (" + text.length() + " chars)";
    }

    private static String hexCodes(List<Integer> codes) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < codes.size(); i++) {
            s.append(i > 0 ? ", " : "").append(String.format("0x%02X", codes.get(i)));
        }
        return s.append(']').toString();
    }

    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        int shown = Math.min(bytes.length, 32);
        for (int i = 0; i < shown; i++) {
            s.append(String.format("%02X", bytes[i] & 0xFF)).append(i + 1 < shown ? " " : "");
        }
        return bytes.length > shown ? s + " ... (" + bytes.length + " bytes)" : s.toString();
    }
}
