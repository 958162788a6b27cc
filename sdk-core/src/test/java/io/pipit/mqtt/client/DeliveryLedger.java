package io.pipit.mqtt.client;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.MessageListener;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A subscriber's record of message ids 0..n-1 (8-byte payloads): how often each arrived, and whether first
 * arrivals came in publishing order (a resend after a reconnect may repeat earlier ids, never skip ahead).
 * Written by one client I/O thread; read after {@link #awaitAll}.
 */
final class DeliveryLedger implements MessageListener {
    private final int[] counts;
    private final byte[] id = new byte[8];
    private volatile int distinct;
    private int nextFirst;
    private int duplicates;
    private String firstDisorder;

    DeliveryLedger(int total) {
        counts = new int[total];
    }

    static byte[] payload(long id, byte[] into) {
        ByteBuffer.wrap(into).putLong(0, id);
        return into;
    }

    @Override
    public synchronized void onMessage(Message message) {
        message.copyPayload(id, 0);
        int value = (int) ByteBuffer.wrap(id).getLong(0);
        if (counts[value]++ > 0) {
            duplicates++;
            return;
        }
        if (value != nextFirst && firstDisorder == null) {
            firstDisorder = "id " + value + " arrived first while " + nextFirst + " had not";
        }
        nextFirst = value + 1;
        distinct++;
    }

    /** Waits up to {@code seconds} for every id; @return the ids still missing */
    int awaitAll(long seconds) throws InterruptedException {
        until(() -> distinct == counts.length, seconds);
        return counts.length - distinct;
    }

    /** Waits, polling every millisecond, up to {@code seconds} for {@code condition}; @return whether it held */
    static boolean until(BooleanSupplier condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    synchronized int duplicates() {
        return duplicates;
    }

    /** @return null when first arrivals were in order, else the first disorder seen */
    synchronized String disorder() {
        return firstDisorder;
    }

    synchronized String missingSample() {
        StringBuilder missing = new StringBuilder();
        for (int i = 0; i < counts.length && missing.length() < 200; i++) {
            if (counts[i] == 0) {
                missing.append(i).append(' ');
            }
        }
        return missing.toString();
    }
}
