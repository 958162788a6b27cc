package io.pipit.testkit;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * Not a test (Surefire skips the name): measures the broker's start-up (median of 21 starts) and a 10,000-message
 * QoS 1 round trip through it with two Eclipse Paho v5 clients, publisher and subscriber in this JVM; prints its
 * figures, asserts nothing. Run it as the README's "Testing your app with the mock broker" section shows.
 */
public final class RoundTripBenchmark {
    private static final int MESSAGES = 10_000;
    private static final byte[] PAYLOAD = new byte[64];

    private RoundTripBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        startUp();
        for (int run = 1; run <= 3; run++) {
            try (MockBroker broker = MockBroker.builder().recordLimit(1000).start()) {
                System.out.printf("run %d: start-up to ready %d us%n", run,
                        TimeUnit.NANOSECONDS.toMicros(broker.startupNs()));
                roundTrip(broker, run);
            }
        }
    }

    /** Prints the start-up to ready of 21 brokers after one warm-up start (class loading): median and maximum. */
    private static void startUp() {
        MockBroker.start().close();
        long[] micros = new long[21];
        for (int i = 0; i < micros.length; i++) {
            try (MockBroker broker = MockBroker.start()) {
                micros[i] = TimeUnit.NANOSECONDS.toMicros(broker.startupNs());
            }
        }
        java.util.Arrays.sort(micros);
        System.out.printf("start-up to ready: median %d us, max %d us over %d starts%n", micros[micros.length / 2],
                micros[micros.length - 1], micros.length);
    }

    private static void roundTrip(MockBroker broker, int run) throws Exception {
        MqttAsyncClient sub = new MqttAsyncClient(broker.uri(), "bench-sub", new MemoryPersistence());
        MqttAsyncClient pub = new MqttAsyncClient(broker.uri(), "bench-pub", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setReceiveMaximum(1000);
        sub.connect(options).waitForCompletion();
        pub.connect(options).waitForCompletion();
        CountDownLatch received = new CountDownLatch(MESSAGES);
        sub.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
                System.err.println("Paho error: " + exception);
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                received.countDown();
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
            }
        });
        sub.subscribe(new MqttSubscription("bench/#", 1)).waitForCompletion();
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            while (pub.getInFlightMessageCount() >= 500) {
                Thread.onSpinWait();
            }
            pub.publish("bench/t", PAYLOAD, 1, false);
        }
        if (!received.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(received.getCount() + " messages missing");
        }
        long ns = System.nanoTime() - start;
        System.out.printf("run %d: %,d QoS 1 messages of %d bytes publisher -> mock broker -> subscriber in %d ms "
                + "= %,.0f msg/s%n", run, MESSAGES, PAYLOAD.length, TimeUnit.NANOSECONDS.toMillis(ns),
                MESSAGES * 1e9 / ns);
        pub.disconnect().waitForCompletion();
        sub.disconnect().waitForCompletion();
        pub.close();
        sub.close();
    }
}
