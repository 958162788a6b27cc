package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.queue.FileQueue;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process kills: a child JVM publishing through a {@link io.pipit.mqtt.queue.FileQueue} is killed with
 * SIGKILL at 10 random moments and started again; a subscriber on mosquitto must then hold every message id,
 * at least once with QoS 1 and exactly once with QoS 2 (persistent session, Packet Identifiers recovered).
 * While a child runs, the queue directory is locked against this process.
 */
@ExtendWith(MosquittoPerClass.class)
class FileQueueKillTest {
    private static final int TOTAL = 12_000;
    /** Marks the end of a child's output; compared by identity. */
    private static final String END = new String("(end of output)");
    private static final int KILLS = 10;
    /** Distinct messages the subscriber must see in a life before that life may be killed. */
    private static final int PROGRESS_PER_LIFE = 50;
    /** Seconds a child may take to say READY or move the stream on: a failure bound for a stuck child. */
    private static final int CHILD_WAIT_S = 60;
    private static MosquittoBroker broker;
    @TempDir
    File dir;

    @BeforeAll
    static void useBroker(MosquittoBroker perClass) {
        broker = perClass;
    }

    @Test
    void shouldDeliverEveryQos1MessageAtLeastOnceAcrossKills() throws Exception {
        AtomicIntegerArray counts = run(QoS.AT_LEAST_ONCE, "kill-q1", new Random(1));
        for (int id = 0; id < TOTAL; id++) {
            assertTrue(counts.get(id) >= 1, "message " + id + " lost");
        }
    }

    @Test
    void shouldDeliverEveryQos2MessageExactlyOnceAcrossKills() throws Exception {
        AtomicIntegerArray counts = run(QoS.EXACTLY_ONCE, "kill-q2", new Random(2));
        for (int id = 0; id < TOTAL; id++) {
            assertEquals(1, counts.get(id), "message " + id + " delivered " + counts.get(id) + " times");
        }
    }

    private AtomicIntegerArray run(QoS qos, String clientId, Random random) throws Exception {
        AtomicIntegerArray counts = new AtomicIntegerArray(TOTAL);
        List<String> lives = new ArrayList<>();
        try (MqttClient subscriber = MqttClient.builder().server(broker.uri()).clientId("sub-" + clientId)
                .build()) {
            subscriber.connect();
            byte[] id = new byte[8];
            subscriber.subscribe("kill/" + clientId, QoS.EXACTLY_ONCE, message -> {
                message.copyPayload(id, 0);
                counts.incrementAndGet((int) java.nio.ByteBuffer.wrap(id).getLong());
            }).get(5, TimeUnit.SECONDS);
            for (int life = 0; life < KILLS; life++) {
                Process child = start(qos, clientId);
                String ready = new ChildOutput(child).await("READY", CHILD_WAIT_S);
                if (life == 0) {
                    assertLockedByAnotherProcess();
                }
                // The kill lands mid-stream: after the child has moved the stream on in this life (a fresh JVM on
                // a loaded machine can take longer than any fixed sleep to get going), at a random moment after.
                int before = delivered(counts);
                assertTrue(DeliveryLedger.until(() -> delivered(counts) >= Math.min(TOTAL, before + PROGRESS_PER_LIFE),
                        CHILD_WAIT_S), "life " + life + " moved the stream on by " + (delivered(counts) - before)
                        + " messages in " + CHILD_WAIT_S + " s; lives: " + lives);
                Thread.sleep(random.nextInt(400));
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no close, no flush
                lives.add(ready);
            }
            Process last = start(qos, clientId);
            ChildOutput output = new ChildOutput(last);
            lives.add(output.await("READY", CHILD_WAIT_S));
            assertEquals("DONE", output.await("DONE", 120), "lives: " + lives);
            assertTrue(last.waitFor(30, TimeUnit.SECONDS));
            DeliveryLedger.until(() -> missing(counts) == 0, 20);
        }
        assertTrue(progress(lives) >= KILLS / 2, "the kills landed mid-stream: " + lives);
        return counts;
    }

    private void assertLockedByAnotherProcess() {
        IOException refused = assertThrows(IOException.class, () -> FileQueue.open(new File(dir, "queue")));
        assertTrue(refused.getMessage().contains("already open by another client"), refused.getMessage());
    }

    /** @return how many lives started later in the stream than the one before */
    private static int progress(List<String> lives) {
        int moved = 0;
        long previous = -1;
        for (String life : lives) {
            long next = Long.parseLong(life.split(" ")[1]);
            moved += next > previous ? 1 : 0;
            previous = next;
        }
        return moved;
    }

    private static int delivered(AtomicIntegerArray counts) {
        return counts.length() - missing(counts);
    }

    private static int missing(AtomicIntegerArray counts) {
        int missing = 0;
        for (int i = 0; i < counts.length(); i++) {
            missing += counts.get(i) == 0 ? 1 : 0;
        }
        return missing;
    }

    private Process start(QoS qos, String clientId) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FileQueueChild.class.getName(), String.valueOf(broker.port()), new File(dir, "queue").getPath(),
                String.valueOf(qos.value()), String.valueOf(TOTAL), clientId)
                .redirectErrorStream(true).start();
    }

    /**
     * A child's output lines, read by a thread of their own so that waiting for one has a deadline: a child that
     * hangs fails the test with what it said instead of hanging the build.
     */
    private static final class ChildOutput {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder said = new StringBuilder();

        ChildOutput(Process child) {
            Thread pump = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(reading the child's output failed: " + e + ")");
                } finally {
                    lines.add(END);
                }
            }, "kill-test-child-output");
            pump.setDaemon(true);
            pump.start();
        }

        /** @return the child's next line starting with {@code prefix}; fails with all it said otherwise */
        String await(String prefix, int seconds) throws InterruptedException {
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                String line = lines.poll(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("the child said no " + prefix + " within " + seconds + " s:\n" + said);
                }
                if (line == END) {
                    throw new AssertionError("the child ended without " + prefix + ":\n" + said);
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                said.append(line).append('\n');
            }
        }
    }
}
