package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.keepalive.Backoff;
import io.pipit.mqtt.keepalive.KeepAlivePolicy;
import io.pipit.mqtt.keepalive.KeepAliveTuner;
import io.pipit.mqtt.queue.MemoryQueue;
import java.util.Random;

/**
 * Test support: an idle device behind a NAT, in virtual time. The NAT forgets a connection's mapping silently
 * once it has carried no packet either way for {@code natIdleNs}; from then on every packet is lost, and the
 * device only learns of it when a PINGREQ goes unanswered. The device then reconnects after a jittered backoff
 * through a fresh mapping. Every time the device sends while otherwise idle (a PINGREQ or a CONNECT) its radio
 * wakes up; those wakeups are counted, with losses and how long the device sat on a dead mapping unaware.
 */
final class NatPath {
    private static final long RTT_NS = 80_000_000L;
    private static final long HOUR_NS = 3600_000_000_000L;

    private long natIdleNs;
    private final ScriptedServer server = new ScriptedServer(ProtocolVersion.MQTT_5);
    private final Engine engine;
    private final KeepAliveTuner tuner;
    private final Backoff backoff = new Backoff(1_000_000_000L, 60_000_000_000L, 10_000_000_000L, new Random(42));
    private long now;
    private long lastActivityNs;
    private boolean mapped;
    private long droppedAtNs;

    /** Wakeups, losses and unaware time, per simulated hour (index = hour). */
    final long[] wakeups = new long[48];
    final long[] losses = new long[48];
    long unawareNs;
    /** When the tuner first settled on an interval, or -1. */
    long convergedAtNs = -1;

    NatPath(long natIdleNs, KeepAlivePolicy policy) {
        this.natIdleNs = natIdleNs;
        ConnectEncoder connect = new ConnectEncoder().version(ProtocolVersion.MQTT_5).clientId("nat")
                .keepAliveSeconds(policy.connectSeconds());
        this.tuner = policy.newTuner();
        this.engine = new Engine(connect, 16, new MemoryQueue(4096, 16), new RecordingListener())
                .keepAliveTuner(tuner);
    }

    Engine engine() {
        return engine;
    }

    /** Runs the device for {@code durationNs} of virtual time. */
    void run(long durationNs) {
        long end = now + durationNs;
        while (now < end) {
            if (engine.state() != Engine.CONNECTED) {
                reconnect();
                continue;
            }
            long deadline = engine.onTick(now);
            if (deadline > end) {
                now = end;
                break;
            }
            now = deadline;
            engine.onTick(now);
            if (engine.state() != Engine.CONNECTED) {
                losses[hour()]++;
                unawareNs += now - droppedAtNs;
                continue;
            }
            if (server.drain(engine, now) > 0) {
                assertEquals(PacketType.PINGREQ, server.next());
                wakeups[hour()]++;
                if (pass(now) && pass(now + RTT_NS)) { // the ping and its answer both crossed the NAT
                    now += RTT_NS;
                    server.raw(0xD0, 0x00).deliver(engine, now);
                    noteConvergence();
                }
            }
        }
    }

    /** @return true when a packet at {@code atNs} crosses the NAT (and refreshes its mapping) */
    private boolean pass(long atNs) {
        if (mapped && atNs - lastActivityNs >= natIdleNs) {
            mapped = false;
            droppedAtNs = lastActivityNs + natIdleNs;
        }
        if (mapped) {
            lastActivityNs = atNs;
        }
        return mapped;
    }

    private void reconnect() {
        now += backoff.nextDelayNs(now);
        mapped = true;
        lastActivityNs = now;
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        assertEquals(PacketType.CONNECT, server.next());
        wakeups[hour()]++;
        now += RTT_NS;
        pass(now);
        server.connack(false, ReasonCode.SUCCESS, null).deliver(engine, now);
        backoff.onConnected(now);
    }

    private void noteConvergence() {
        if (convergedAtNs < 0 && tuner.isHolding()) {
            convergedAtNs = now;
        }
    }

    /** The NAT's idle timeout changes from now on (e.g. the carrier reconfigured it). */
    NatPath natIdle(long idleNs) {
        this.natIdleNs = idleNs;
        return this;
    }

    KeepAliveTuner tuner() {
        return tuner;
    }

    private int hour() {
        return (int) Math.min(wakeups.length - 1, now / HOUR_NS);
    }

    static long sum(long[] counts, int fromHour, int toHour) {
        long total = 0;
        for (int h = fromHour; h < toHour; h++) {
            total += counts[h];
        }
        return total;
    }

    static double perHour(long[] counts, int fromHour, int toHour) {
        return sum(counts, fromHour, toHour) / (double) (toHour - fromHour);
    }
}
