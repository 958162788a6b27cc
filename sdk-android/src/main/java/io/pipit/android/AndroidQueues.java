package io.pipit.android;

import android.content.Context;
import io.pipit.mqtt.queue.FileQueue;
import io.pipit.mqtt.queue.QueueOptions;
import java.io.IOException;

/**
 * Opens the crash-safe {@link FileQueue} for an Android app in {@link PipitAndroid#queueDirectory}: private to
 * the app, kept across process death and app updates, never in a cloud backup. Give it to the builder with a
 * persistent session, and what was published but not acknowledged when the process died is sent after the
 * next start:
 * <pre>{@code
 * FileQueue queue = AndroidQueues.open(context, "telemetry");
 * PipitAndroid pipit = PipitAndroid.attach(context, MqttClient.builder().server(uri).clientId("phone-1")
 *         .queue(queue).cleanStart(false).sessionExpiry(1, TimeUnit.DAYS).automaticReconnect(true));
 * ...
 * pipit.close();
 * queue.close(); // after the client
 * }</pre>
 * Stateless and thread-safe; one queue directory serves one client at a time (the queue locks it).
 */
public final class AndroidQueues {
    private AndroidQueues() {
    }

    /** Opens (creating if needed) queue {@code name} with the default {@link QueueOptions}. */
    public static FileQueue open(Context context, String name) throws IOException {
        return open(context, name, new QueueOptions());
    }

    /**
     * Opens (creating if needed) queue {@code name} and recovers what a previous process left in it.
     *
     * @throws IOException naming the directory when it cannot be created, is locked by another client, or
     *     cannot be read
     */
    public static FileQueue open(Context context, String name, QueueOptions options) throws IOException {
        return FileQueue.open(PipitAndroid.queueDirectory(context, name), options);
    }
}
