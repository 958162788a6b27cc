package io.pipit.mqtt.interop;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.MessageListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subscription listener that copies each message (the client's view dies with the callback) into a queue
 * the test thread awaits, with a bounded wait. Thread-safe: the client's I/O thread adds, the test takes.
 */
final class Inbox implements MessageListener {
    /** A copied message. */
    record Received(String topic, byte[] payload, int qos, boolean retain) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final LinkedBlockingQueue<Received> queue = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(Message message) {
        final byte[] payload = new byte[message.payloadLength()];
        message.copyPayload(payload, 0);
        queue.add(new Received(message.topic().toString(), payload, message.qos(), message.retain()));
    }

    /** @return the next message, waiting at most {@code seconds}; fails naming {@code what} when none came */
    Received next(String what, long seconds) throws InterruptedException {
        final Received received = queue.poll(seconds, TimeUnit.SECONDS);
        if (received == null) {
            throw new AssertionError("no message " + what + " within " + seconds + " s");
        }
        return received;
    }

    /** @return the next {@code count} messages, waiting at most {@code seconds} in all */
    List<Received> next(int count, String what, long seconds) throws InterruptedException {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        final List<Received> messages = new ArrayList<>(count);
        while (messages.size() < count) {
            final Received received = queue.poll(deadlineNs - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (received == null) {
                throw new AssertionError("only " + messages.size() + " of " + count + " messages " + what
                        + " within " + seconds + " s");
            }
            messages.add(received);
        }
        return messages;
    }

    /** @return the next message, or null when none came within {@code millis} */
    Received poll(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** @return how many messages wait, not yet taken */
    int pending() {
        return queue.size();
    }
}
