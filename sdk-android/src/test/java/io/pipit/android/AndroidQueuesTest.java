package io.pipit.android;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.driver.NanoClock;
import io.pipit.mqtt.queue.FileQueue;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.annotation.Config;

/**
 * The durable queue in noBackupFilesDir: messages published offline are on disk when the process "dies" (client
 * and queue dropped without a disconnect), and the next process's client sends them.
 */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = 35)
public class AndroidQueuesTest {
    private final AndroidFixture android = new AndroidFixture();

    @After
    public void tearDown() throws io.pipit.mqtt.MqttException {
        android.close();
    }

    @Test
    public void shouldSendAfterARestartWhatWasQueuedBeforeTheProcessDied() throws Exception {
        FileQueue first = AndroidQueues.open(android.context, "telemetry");
        assertTrue(PipitAndroid.queueDirectory(android.context, "telemetry").getPath()
                .startsWith(android.context.getNoBackupFilesDir().getPath()));
        MqttClient offline = MqttClient.builder().server(android.broker.uri()).clientId("queue-1").queue(first)
                .build(); // never connected: the app was offline
        for (int i = 0; i < 10; i++) {
            offline.publish("t/queued", new byte[] {(byte) i}, QoS.AT_LEAST_ONCE);
        }
        first.close(); // the process dies: nothing was sent

        try (FileQueue second = AndroidQueues.open(android.context, "telemetry")) {
            assertEquals(10, second.size());
            PipitAndroid pipit = android.attach(android.builder("queue-1", 50, 100).queue(second),
                    NanoClock.SYSTEM, "queue");
            android.networkAvailable(100);
            pipit.client().connect();
            android.broker.awaitPublishes("t/queued", 10, java.time.Duration.ofSeconds(10));
            AndroidFixture.waitFor(() -> second.size() == 0, 5_000, "every queued message acknowledged");
            assertEquals(10, android.broker.packets().stream().filter(p -> p.type() == PacketType.PUBLISH).count());
            pipit.close();
        }
    }
}
