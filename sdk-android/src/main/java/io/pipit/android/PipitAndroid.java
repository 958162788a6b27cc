package io.pipit.android;

import android.content.Context;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.driver.NanoClock;
import io.pipit.mqtt.keepalive.KeepAlivePolicy;
import java.util.concurrent.TimeUnit;

/**
 * Runs a pipit client the Android way, wired in one call:
 * <pre>{@code
 * PipitAndroid pipit = PipitAndroid.attach(context, MqttClient.builder()
 *         .server("mqtts://broker.example.com:8883").clientId("sensor-7")
 *         .keepAlive(PipitAndroid.keepAlivePolicy()).automaticReconnect(true));
 * pipit.client().connectAsync();
 * ...
 * pipit.close(); // in onDestroy: disconnects, cancels the alarm, unregisters the callbacks
 * }</pre>
 * The client's timers run on {@link ElapsedRealtimeClock} (it counts through deep sleep); an
 * {@link AlarmKeepAliveScheduler} wakes the device for keepalive pings, holding a short wake lock around each
 * exchange; the default network is followed (reconnect at once when one appears, pause while there is none or
 * the app is blocked, move the connection when it changes); Doze pauses reconnect attempts unless the app is
 * exempt (see {@link #foregroundService}). Thread-safe.
 */
public final class PipitAndroid implements AutoCloseable {
    private final MqttClient client;
    private final AlarmKeepAliveScheduler scheduler;
    private final NetworkMonitor network;
    private final DozeMonitor doze;

    private PipitAndroid(Context context, MqttClientBuilder builder, NanoClock clock, String name) {
        Context app = context.getApplicationContext() == null ? context : context.getApplicationContext();
        this.scheduler = new AlarmKeepAliveScheduler(app, name, clock);
        this.client = builder.clock(clock).keepAliveScheduler(scheduler).build();
        Reachability reachability = new Reachability(client);
        this.network = new NetworkMonitor(app, reachability);
        this.doze = new DozeMonitor(app, reachability);
        scheduler.attach(client);
        doze.start();
        network.start();
    }

    /**
     * Builds the client from {@code builder} (after giving it the Android clock and alarm scheduler) and starts
     * following the network, Doze and alarms. Connect it yourself ({@code client().connectAsync()}); with
     * {@code automaticReconnect(true)} it then stays connected across network changes.
     */
    public static PipitAndroid attach(Context context, MqttClientBuilder builder) {
        return attach(context, builder, ElapsedRealtimeClock.INSTANCE, "default");
    }

    /**
     * As {@link #attach(Context, MqttClientBuilder)}, with a clock of your own (tests) and a name telling apart
     * several clients' alarms in one app.
     */
    public static PipitAndroid attach(Context context, MqttClientBuilder builder, NanoClock clock, String name) {
        if (context == null || builder == null || clock == null || name == null) {
            throw new IllegalArgumentException("context, builder, clock and name must not be null");
        }
        return new PipitAndroid(context, builder, clock, name);
    }

    /**
     * A keepalive suited to phones: adaptive between 1 and 28 minutes, starting at 4. Cellular NATs commonly
     * keep an idle mapping 5–30 minutes; Doze delivers allow-while-idle alarms about once per 9 minutes at most,
     * so intervals below that stretch while dozing and the tuner records the silence that really passed.
     */
    public static KeepAlivePolicy keepAlivePolicy() {
        return KeepAlivePolicy.adaptive(1, 28, TimeUnit.MINUTES).start(4, TimeUnit.MINUTES);
    }

    /**
     * Where a durable outbound queue belongs: {@code pipit-queue/<name>} in the app's
     * {@link Context#getNoBackupFilesDir()}, private to the app, kept across process death and updates, and left
     * out of cloud backups (a queue restored on another device would resend old messages). Not created here.
     */
    public static java.io.File queueDirectory(Context context, String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("queue name must be a plain file name, was: " + name);
        }
        return new java.io.File(new java.io.File(context.getNoBackupFilesDir(), "pipit-queue"), name);
    }

    /** @return the client; connect, publish and subscribe through it */
    public MqttClient client() {
        return client;
    }

    /**
     * Tells the adapter the app runs (or stopped running) a foreground service: Doze then leaves its network
     * alone, so reconnect attempts go on while the device is idle. Call it after {@code startForeground}.
     */
    public PipitAndroid foregroundService(boolean running) {
        doze.foregroundService(running);
        return this;
    }

    AlarmKeepAliveScheduler scheduler() {
        return scheduler;
    }

    /** @return true while the device is in Doze */
    public boolean deviceIdle() {
        return doze.idle();
    }

    /** Disconnects and closes the client, cancels its alarm and unregisters every callback. Idempotent. */
    @Override
    public void close() throws io.pipit.mqtt.MqttException {
        network.stop();
        doze.stop();
        try {
            client.close();
        } finally {
            scheduler.close();
        }
    }
}
