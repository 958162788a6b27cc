package io.pipit.mqtt.client;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.queue.FileQueue;
import io.pipit.mqtt.queue.QueueStats;
import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * The publisher that {@link FileQueueKillTest} runs in a child JVM and kills: it publishes message ids
 * (the queue's sequence numbers, which continue across restarts) through a {@link FileQueue} with a
 * persistent session, paced, until {@code total}; then waits until every message is completed and prints
 * DONE. Arguments: broker port, queue directory, QoS, total, client id.
 */
public final class FileQueueChild {
    private FileQueueChild() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        QoS qos = QoS.values()[Integer.parseInt(args[2])];
        long total = Long.parseLong(args[3]);
        try (FileQueue queue = FileQueue.open(new File(args[1]))) {
            long next = queue.recoveryReport().nextSequence();
            MqttClient client = MqttClient.builder().server("mqtt://127.0.0.1:" + port).clientId(args[4])
                    .cleanStart(false).sessionExpiry(1, TimeUnit.HOURS).automaticReconnect(true).queue(queue)
                    .build();
            client.connect();
            System.out.println("READY " + next + " " + queue.recoveryReport());
            Topic topic = Topic.of("kill/" + args[4]);
            byte[] payload = new byte[8];
            while (next < total) {
                for (int i = 0; i < 8; i++) {
                    payload[i] = (byte) (next >>> (56 - 8 * i));
                }
                long sequence = client.publish(topic, payload, 0, payload.length, qos);
                if (sequence != next) {
                    throw new IllegalStateException("expected sequence " + next + ", got " + sequence);
                }
                if (++next % 4 == 0) {
                    Thread.sleep(1); // paced, so that kills land mid-stream
                }
            }
            QueueStats stats = new QueueStats();
            while (client.queueStats(stats).depthMessages() > 0) {
                Thread.sleep(5);
            }
            client.close();
            System.out.println("DONE");
        }
    }
}
