package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.keepalive.KeepAlivePolicy;
import io.pipit.mqtt.queue.MemoryQueue;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keepalive over 24 simulated hours on the engine's virtual clock (each test runs in milliseconds): idle pings,
 * pings suppressed by traffic, pings riding on publishes into silence, the PINGRESP timeout, dead connections
 * found within 1.5 × keepalive, and the Server Keep Alive overriding both policies.
 */
class KeepAliveDayTest {
    private static final long S = 1_000_000_000L;
    private static final long DAY = 24 * 3600 * S;
    private static final long RTT = 40_000_000L;
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    private final RecordingListener listener = new RecordingListener();
    private final MemoryQueue queue = new MemoryQueue(64 * 1024, 1000);
    private final ScriptedServer server = new ScriptedServer(V5);
    private Engine engine;
    private long now = 1_000 * S;
    private int pings;
    private int lonePings;

    private void connect(int keepAliveSeconds, KeepAlivePolicy policy, MqttProperties connack) {
        ConnectEncoder connect = new ConnectEncoder().version(V5).clientId("day").keepAliveSeconds(keepAliveSeconds);
        engine = new Engine(connect, 16, queue, listener);
        if (policy != null) {
            connect.keepAliveSeconds(policy.connectSeconds());
            engine.keepAliveTuner(policy.newTuner());
        }
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        assertEquals(PacketType.CONNECT, server.next());
        server.connack(false, ReasonCode.SUCCESS, connack).deliver(engine, now);
        assertEquals(Engine.CONNECTED, engine.state());
    }

    /** Jumps from deadline to deadline until {@code endNs}, answering each PINGREQ after {@link #RTT} if asked. */
    private void idleUntil(long endNs, boolean answer) {
        long deadline;
        while (engine.state() == Engine.CONNECTED && (deadline = engine.onTick(now)) <= endNs) {
            now = deadline;
            engine.onTick(now); // may find the connection dead
            if (server.drain(engine, now) > 0) {
                assertEquals(PacketType.PINGREQ, server.next());
                server.assertNothingSent();
                pings++;
                lonePings++;
                if (answer) {
                    now += RTT;
                    server.raw(0xD0, 0x00).deliver(engine, now);
                }
            }
        }
    }

    private void publish(int qos) {
        ByteBuffer packet = ByteBuffer.allocate(64);
        PublishEncoder.encode(packet, V5, Topic.of("t"), qos, false, false, 1, null, new byte[] {1}, 0, 1);
        packet.flip();
        queue.offer(packet);
    }

    /**
     * Publishes every {@code everyNs} for a day; in between, wakes at the engine's deadlines as a driver does (a
     * ping written there is one of its own, a lone ping). The server acks QoS 1 and otherwise only answers pings.
     */
    private void publishForADay(int qos, long everyNs, boolean answerPings) {
        long end = now + DAY;
        long nextPublishNs = now + everyNs;
        while (now < end && engine.state() == Engine.CONNECTED) {
            long deadline = engine.onTick(now);
            boolean publishing = nextPublishNs <= deadline;
            now = publishing ? nextPublishNs : deadline;
            engine.onTick(now); // may find the connection dead
            if (publishing) {
                publish(qos);
                nextPublishNs += everyNs;
            }
            server.drain(engine, now);
            int before = pings;
            while (server.fromClient.position() > 0) {
                int type = server.next();
                if (type == PacketType.PINGREQ) {
                    pings++;
                    lonePings += publishing ? 0 : 1;
                    if (answerPings) {
                        server.raw(0xD0, 0x00);
                    }
                } else if (qos == 1) {
                    server.ack(PacketType.PUBACK, server.decoder.publish().packetId(), ReasonCode.SUCCESS);
                }
            }
            assertTrue(pings - before <= 1);
            server.deliver(engine, now + RTT);
        }
    }

    @Test
    void shouldSendOneIdlePingPerIntervalForADay() {
        connect(60, null, null);
        idleUntil(now + DAY, true);
        assertEquals(Engine.CONNECTED, engine.state());
        assertEquals(1440, pings, "one per 60 s of silence (each interval starts when the ping left)");
        assertEquals(1440, engine.pingCount());
        assertEquals(RTT, engine.lastPingRttNs());
        assertEquals(60 * S, engine.keepAliveIntervalNs());
    }

    @Test
    void shouldSendNoPingForADayWhileAcknowledgedTrafficFlows() {
        connect(60, null, null);
        publishForADay(1, 20 * S, true);
        assertEquals(Engine.CONNECTED, engine.state());
        assertEquals(0, pings);
    }

    @Test
    void shouldLetReceiveSidePingsRideOnPublishesIntoSilence() {
        connect(60, null, null);
        publishForADay(0, 10 * S, true);
        assertEquals(Engine.CONNECTED, engine.state());
        assertEquals(0, lonePings, "no ping of its own: the radio was on for the publishes anyway");
        // each rides on the first publish at least half an interval (30 s) after the last PINGRESP, 40 ms after
        // the ping before: every 40 s of the server's silence, all day
        assertEquals(DAY / (40 * S), pings);
    }

    @Test
    void shouldFindABlackHoleUnderAQos0StreamWithinOneAndAHalfIntervals() {
        connect(60, null, null);
        long lastReceived = now;
        publishForADay(0, 7 * S, false); // 7 s divides no interval: a ping at 1.0 x would ride only at 63 s
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals("closed 0x8D byServer=false", listener.last());
        assertTrue(now - lastReceived <= 90 * S, "found after " + (now - lastReceived) / S + " s of silence");
        assertEquals(lastReceived + 35 * S + 30 * S, now, "the ping rode on the publish at 35 s, its 30 s ran out");
    }

    @Test
    void shouldFindABlackHoleOneAndAHalfIntervalsAfterTheLastPacketReceivedThoughOneWasSentLater() {
        connect(60, null, null);
        long lastReceived = now;
        now += 20 * S;
        publish(0); // sent 20 s into the silence, too early to take a ping along; then nothing more to send
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next());
        idleUntil(now + DAY, false);
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals(1, lonePings, "one ping, due an interval after the last packet received");
        assertEquals(lastReceived + 90 * S, now, "dead at exactly 1.5 x keepalive after the last packet received");
    }

    @Test
    void shouldFindABlackHoleUnderAnIdleClientAtOneAndAHalfIntervals() {
        connect(60, null, null);
        long lastReceived = now;
        idleUntil(now + DAY, false);
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals(lastReceived + 90 * S, now);
    }

    @Test
    void shouldGiveUpWhenAcksAreOwedAndNothingArrivesForOneAndAHalfIntervals() {
        connect(60, KeepAlivePolicy.fixed(60, TimeUnit.SECONDS).pingTimeout(1, TimeUnit.HOURS), null);
        publish(1);
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next());
        long sent = now;
        idleUntil(now + DAY, false);
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals(sent + 90 * S, now, "the ping's hour-long timeout does not matter while an ack is owed");
    }

    @Test
    void shouldCloseAfterTheConfiguredPingrespTimeout() {
        connect(60, KeepAlivePolicy.fixed(60, TimeUnit.SECONDS).pingTimeout(5, TimeUnit.SECONDS), null);
        long start = now;
        idleUntil(now + DAY, false);
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals(start + 65 * S, now);
        assertEquals(1, pings);
        assertEquals("closed 0x8D byServer=false", listener.last());
    }

    @Test
    void shouldLetTheServerKeepAliveReplaceAFixedInterval() {
        connect(60, null, new MqttProperties().put(Property.SERVER_KEEP_ALIVE, 120));
        idleUntil(now + DAY, true);
        assertEquals(720, pings);
    }

    @Test
    void shouldLetTheServerKeepAliveCapAnAdaptiveInterval() {
        connect(0, KeepAlivePolicy.adaptive(30, 1800, TimeUnit.SECONDS),
                new MqttProperties().put(Property.SERVER_KEEP_ALIVE, 45));
        idleUntil(now + DAY, true);
        assertEquals(45 * S, engine.keepAliveIntervalNs());
        assertTrue(pings >= 1919 && pings <= 1920, "every 45 s once grown to the cap: " + pings);
    }

    @Test
    void shouldTurnKeepAliveOffWhenTheServerSaysZero() {
        connect(60, KeepAlivePolicy.adaptive(30, 1800, TimeUnit.SECONDS),
                new MqttProperties().put(Property.SERVER_KEEP_ALIVE, 0));
        assertEquals(Long.MAX_VALUE, engine.onTick(now));
        idleUntil(now + DAY, true);
        assertEquals(0, pings);
    }

    @Test
    void shouldGrowAnAdaptiveIntervalToTheMaximumOnAPathThatNeverDrops() {
        connect(0, KeepAlivePolicy.adaptive(30, 1800, TimeUnit.SECONDS), null);
        idleUntil(now + DAY, true);
        assertEquals(Engine.CONNECTED, engine.state());
        assertEquals(1800 * S, engine.keepAliveIntervalNs());
        assertTrue(pings < 70, "a day at up to 30 min per ping: " + pings);
    }
}
