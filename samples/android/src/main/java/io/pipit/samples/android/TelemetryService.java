package io.pipit.samples.android;

import android.app.Notification;
import android.app.NotificationChannel;
import android.app.NotificationManager;
import android.app.Service;
import android.content.Context;
import android.content.Intent;
import android.content.pm.ServiceInfo;
import android.os.Build;
import android.os.Handler;
import android.os.IBinder;
import android.os.Looper;
import io.pipit.android.PipitAndroid;
import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import java.nio.charset.StandardCharsets;

/**
 * A foreground service that keeps one MQTT connection for the app and publishes a reading every 30 s. Declared
 * in the manifest with {@code android:foregroundServiceType="dataSync"} (Android 14 requires a type and its
 * permission, FOREGROUND_SERVICE_DATA_SYNC; {@code connectedDevice} suits a service talking to a paired
 * device instead). Being in the foreground keeps its network in Doze and spares it background limits.
 */
public final class TelemetryService extends Service {
    static final String BROKER = "mqtt://10.0.2.2:1883"; // the emulator's name for the host machine
    private static final String CHANNEL = "telemetry";
    private static final int NOTIFICATION_ID = 1;
    private static final long PERIOD_MS = 30_000;

    private final Handler handler = new Handler(Looper.getMainLooper());
    private final Topic topic = Topic.of("devices/phone-1/battery");
    private PipitAndroid pipit;

    @Override
    public void onCreate() {
        super.onCreate();
        startInForeground();
        pipit = PipitAndroid.attach(this, MqttClient.builder().server(BROKER).clientId("phone-1")
                .keepAlive(PipitAndroid.keepAlivePolicy()).automaticReconnect(true)).foregroundService(true);
        pipit.client().connectAsync();
        handler.post(this::publishReading);
    }

    @Override
    public int onStartCommand(Intent intent, int flags, int startId) {
        return START_STICKY; // restarted after the system kills it under memory pressure
    }

    @Override
    public void onDestroy() {
        handler.removeCallbacksAndMessages(null);
        try {
            pipit.close();
        } catch (MqttException e) {
            android.util.Log.w("pipit", "disconnect on destroy failed: " + e.getMessage());
        }
        super.onDestroy();
    }

    @Override
    public IBinder onBind(Intent intent) {
        return null;
    }

    private void publishReading() {
        byte[] payload = ("{\"level\":" + batteryLevel() + "}").getBytes(StandardCharsets.UTF_8);
        // queued while offline, sent once connected again
        pipit.client().publish(topic, payload, 0, payload.length, QoS.AT_LEAST_ONCE);
        handler.postDelayed(this::publishReading, PERIOD_MS);
    }

    private int batteryLevel() {
        android.os.BatteryManager battery = (android.os.BatteryManager) getSystemService(Context.BATTERY_SERVICE);
        return battery == null ? -1 : battery.getIntProperty(android.os.BatteryManager.BATTERY_PROPERTY_CAPACITY);
    }

    @SuppressWarnings("deprecation") // Notification.Builder(Context) is the only one on API 21-25
    private void startInForeground() {
        Notification.Builder notification;
        if (Build.VERSION.SDK_INT >= 26) {
            NotificationManager manager = getSystemService(NotificationManager.class);
            manager.createNotificationChannel(new NotificationChannel(CHANNEL, "Telemetry",
                    NotificationManager.IMPORTANCE_LOW));
            notification = new Notification.Builder(this, CHANNEL);
        } else {
            notification = new Notification.Builder(this);
        }
        notification.setContentTitle("Sending telemetry").setSmallIcon(android.R.drawable.stat_notify_sync);
        if (Build.VERSION.SDK_INT >= 29) {
            startForeground(NOTIFICATION_ID, notification.build(), ServiceInfo.FOREGROUND_SERVICE_TYPE_DATA_SYNC);
        } else {
            startForeground(NOTIFICATION_ID, notification.build());
        }
    }
}
