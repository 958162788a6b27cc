package io.pipit.bench.queue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.queue.FileQueue;
import io.pipit.mqtt.queue.FsyncPolicy;
import io.pipit.mqtt.queue.MemoryQueue;
import io.pipit.mqtt.queue.OutboundQueue;
import io.pipit.mqtt.queue.QueueOptions;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One message's whole life in the outbound queue, per operation: {@code offer} a QoS 1 PUBLISH with a 64-byte
 * payload, {@code poll} it into a send buffer, {@code sent} with a Packet Identifier, {@code completed} (the
 * PUBACK). For the {@link FileQueue} that is a PUBLISH record and a DONE record appended to the log (and the
 * segment switches and deletions that follow), forced to the disk as the {@code fsync} parameter says; the
 * {@code memory} case is the {@link MemoryQueue} for comparison. Run with {@code -prof gc}: the contract is
 * 0 B/op (JMH omits {@code gc.alloc.rate.norm} then), apart from segment switches (one file per 4 MB).
 * Not {@code final}: JMH subclasses {@code @State} classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FileQueueBenchmark {
    /** {@code EVERY_RECORD}, {@code INTERVAL_10MS}, {@code NONE}: the file queue's fsync policy; or {@code memory}. */
    @Param({"EVERY_RECORD", "INTERVAL_10MS", "NONE", "memory"})
    public String fsync;

    private final ByteBuffer packet = ByteBuffer.allocateDirect(256);
    private final ByteBuffer dst = ByteBuffer.allocateDirect(256);
    private int packetLength;
    private File directory;
    private OutboundQueue queue;

    @Setup(Level.Trial)
    public void open() throws IOException {
        PublishEncoder.encode(packet, ProtocolVersion.MQTT_5, Topic.of("tele/sensor-42/temp"), 1, false, false, 1,
                null, new byte[64], 0, 64);
        packetLength = packet.position();
        if (fsync.equals("memory")) {
            queue = new MemoryQueue(4 << 20, 100_000);
            return;
        }
        FsyncPolicy policy = fsync.equals("EVERY_RECORD") ? FsyncPolicy.EVERY_RECORD
                : fsync.equals("NONE") ? FsyncPolicy.NONE : FsyncPolicy.interval(10);
        directory = Files.createTempDirectory(new File("target").getAbsoluteFile().toPath(), "queue-bench").toFile();
        queue = FileQueue.open(directory, new QueueOptions().fsync(policy));
    }

    @Benchmark
    public long appendAndAck() {
        packet.limit(packetLength).position(0);
        long sequence = queue.offer(packet);
        dst.clear();
        if (queue.poll(dst) != sequence) {
            throw new IllegalStateException("polled another record than " + sequence);
        }
        queue.sent(sequence, 1);
        queue.completed(sequence);
        return sequence;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (queue instanceof FileQueue) {
            ((FileQueue) queue).close();
            for (File file : directory.listFiles()) {
                Files.delete(file.toPath());
            }
            Files.delete(directory.toPath());
        }
    }
}
