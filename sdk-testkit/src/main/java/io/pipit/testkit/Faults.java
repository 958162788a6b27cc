package io.pipit.testkit;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.ReasonCodes;
import io.pipit.testkit.internal.FaultRules;
import io.pipit.testkit.internal.FaultRules.Kind;
import io.pipit.testkit.internal.FaultRules.Rule;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Scripts faults into a {@link MockBroker}: rules that apply to every client ({@link MockBroker#faults()}) or to
 * one Client Identifier ({@link MockBroker#faults(String)}), from the moment they are added until they are used
 * up or {@link #clear() cleared}. Rules are deterministic: each is checked at one point of the broker's
 * handling (a packet about to be sent, a packet just received, a CONNECT, a CONNACK), in the order they were added.
 *
 * <p>Thread-safety: safe to call from any thread, also while clients are connected. One-shot actions on a
 * connected client (disconnect with a reason, black-hole now, send raw bytes, restart) are on
 * {@link MockBroker} itself.
 *
 * <pre>{@code
 * broker.faults("sensor-1").withhold(PacketType.PUBACK);        // publishes stay unacknowledged
 * broker.faults().dropOn(p -> p.type() == PacketType.PUBLISH);  // cut the first PUBLISH's connection
 * broker.faults().refuseConnect(0x88);                          // CONNACK 0x88 Server unavailable
 * broker.faults("sensor-1").claimSessionPresent(1);             // a wrong Session Present 1, once
 * }</pre>
 */
public final class Faults {
    private final FaultRules rules;
    private final String clientId;

    Faults(FaultRules rules, String clientId) {
        this.rules = rules;
        this.clientId = clientId;
    }

    /**
     * Never sends packets of {@code packetType} (e.g. {@link PacketType#PUBACK}, {@code PUBREC},
     * {@code PUBCOMP}, {@code SUBACK}, {@code PINGRESP}) that the broker's protocol handling would send. The
     * broker's state moves on as if it had sent them: a withheld PUBACK still counts the flow as done.
     */
    public Faults withhold(int packetType) {
        return withhold(packetType, Integer.MAX_VALUE);
    }

    /** Like {@link #withhold(int)} for the next {@code times} packets of that type only. */
    public Faults withhold(int packetType, int times) {
        checkType(packetType);
        return add(new Rule(Kind.WITHHOLD, clientId, packetType, 0, null, 0, positive(times, "times"), 0, null));
    }

    /** Sends every packet of {@code packetType} the protocol produces {@code delay} late (order kept per type). */
    public Faults delay(int packetType, Duration delay) {
        checkType(packetType);
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("delay must be positive: " + delay);
        }
        return add(new Rule(Kind.DELAY, clientId, packetType, delay.toNanos(), null, 0, Integer.MAX_VALUE, 0, null));
    }

    /**
     * Closes the connection (no DISCONNECT, like a network failure: the Will is published) right after the
     * broker has handled the {@code packets}-th packet it receives from now on. Fires once.
     */
    public Faults dropAfter(int packets) {
        return add(new Rule(Kind.DROP_AFTER, clientId, 0, 0, null, positive(packets, "packets"), 1, 0, null));
    }

    /**
     * Closes the connection (no DISCONNECT) when a received packet matches, without handling that packet: a
     * QoS 1 PUBLISH dropped this way is never acknowledged, so the client must send it again. Fires once.
     */
    public Faults dropOn(Predicate<RecordedPacket> match) {
        return dropOn(match, 1);
    }

    /** Like {@link #dropOn(Predicate)}, firing {@code times} times. */
    public Faults dropOn(Predicate<RecordedPacket> match, int times) {
        return add(new Rule(Kind.DROP_ON, clientId, 0, 0, match, 0, positive(times, "times"), 0, null));
    }

    /**
     * When a received packet matches, black-holes the connection: the broker stops reading from and writing to
     * the socket but keeps it open, as a dead NAT mapping would; the matching packet is not handled. The
     * connection stays that way until the client closes it or the broker closes or restarts. Fires once.
     */
    public Faults blackHoleOn(Predicate<RecordedPacket> match) {
        return add(new Rule(Kind.BLACK_HOLE_ON, clientId, 0, 0, match, 0, 1, 0, null));
    }

    /**
     * Refuses every CONNECT with a CONNACK carrying {@code reasonCode} (an MQTT 5 code of 0x80 or above; MQTT
     * 3.1.1 clients get the nearest return code, 1 to 5).
     */
    public Faults refuseConnect(int reasonCode) {
        return refuseConnect(reasonCode, null, Integer.MAX_VALUE);
    }

    /**
     * Refuses the next {@code times} CONNECTs with {@code reasonCode}, adding a Server Reference (MQTT 5) when
     * {@code serverReference} is not null, e.g. {@code refuseConnect(0x9C, "other-host:1883", 1)}.
     */
    public Faults refuseConnect(int reasonCode, String serverReference, int times) {
        if (reasonCode < 0x80 || !ReasonCodes.isValid(ProtocolVersion.MQTT_5, PacketType.CONNACK, reasonCode)) {
            throw new IllegalArgumentException(String.format("0x%X is not a CONNACK refusal code", reasonCode));
        }
        return add(new Rule(Kind.REFUSE_CONNECT, clientId, 0, 0, null, 0, positive(times, "times"), reasonCode,
                serverReference));
    }

    /**
     * Answers the next {@code times} accepted CONNECTs with Session Present 1 even when the broker holds no
     * session for the client: it still starts a new, empty one (no subscriptions, nothing queued), as it would for
     * Clean Start. A broker bug: MQTT-3.2.2-2 (3.1.1: MQTT-3.2.2-1) forbids Session Present 1 in reply to Clean
     * Start 1, and a client that kept no session must then close the connection (MQTT-3.2.2-4) rather than trust
     * subscriptions the broker does not hold. A CONNECT that resumes a real session uses up a firing too.
     */
    public Faults claimSessionPresent(int times) {
        return add(new Rule(Kind.CLAIM_SESSION_PRESENT, clientId, 0, 0, null, 0, positive(times, "times"), 0, null));
    }

    /** Removes the rules of this scope: one client's, or with {@link MockBroker#faults()} every rule. */
    public Faults clear() {
        rules.clear(clientId);
        return this;
    }

    private Faults add(Rule rule) {
        rules.add(rule);
        return this;
    }

    private static void checkType(int packetType) {
        if (packetType < PacketType.CONNACK || packetType > PacketType.AUTH) {
            throw new IllegalArgumentException("not a packet type the broker sends: " + packetType);
        }
    }

    private static int positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "Faults" + (clientId == null ? "" : "[" + clientId + "]") + rules;
    }
}
