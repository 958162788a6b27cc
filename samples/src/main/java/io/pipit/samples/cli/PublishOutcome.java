package io.pipit.samples.cli;

import io.pipit.mqtt.client.ConnectionListener;
import io.pipit.mqtt.client.PublishListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How pub's one message ended, as the client reports it: the publish completed (QoS 0 written, PUBACK, PUBCOMP, or
 * refused with a reason code, by the broker or by the client itself), or the connection ended first (the server's
 * DISCONNECT with its reason code and Reason String, or a network failure). The first of the two counts.
 *
 * <p>Thread-safe: the client's I/O thread reports, pub's main thread waits in {@link #await} and then reads.
 */
final class PublishOutcome implements PublishListener, ConnectionListener {
    private final CountDownLatch ended = new CountDownLatch(1);
    /** Written before {@link #ended} counts down, read after it did: the latch orders them. */
    private boolean completed;
    private int reasonCode;
    private String detail;

    @Override
    public void onPublishCompleted(long sequence, int code) {
        end(true, code, null); // pub publishes once: no need to match the sequence
    }

    @Override
    public void onDisconnected(int code, String why, boolean reconnecting) {
        if (!reconnecting) { // a retry (the MQTT 3.1.1 fallback) may still deliver the message
            end(false, code, why);
        }
    }

    private synchronized void end(boolean publishCompleted, int code, String why) {
        if (ended.getCount() > 0) {
            completed = publishCompleted;
            reasonCode = code;
            detail = why;
            ended.countDown();
        }
    }

    /** @return true when the message's fate is known; false when {@code seconds} passed first */
    boolean await(int seconds) throws InterruptedException {
        return ended.await(seconds, TimeUnit.SECONDS);
    }

    /** @return true when the publish completed; false when the connection ended before it did */
    boolean completed() {
        return completed;
    }

    /**
     * @return the publish's reason code when {@link #completed()}, else the DISCONNECT's (or -1 for a network
     *     failure)
     */
    int reasonCode() {
        return reasonCode;
    }

    /** @return why the connection ended, with the server's reason code and Reason String; null when completed */
    String detail() {
        return detail;
    }
}
