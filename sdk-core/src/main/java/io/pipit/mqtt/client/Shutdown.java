package io.pipit.mqtt.client;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.driver.ClientConnection;
import io.pipit.mqtt.driver.Driver;
import io.pipit.mqtt.driver.NanoClock;
import java.util.concurrent.TimeUnit;

/**
 * How a client ends: {@link MqttClient#disconnect} and {@link MqttClient#close}. On any thread but the one driving
 * the connection they wait until the connection is closed (driving it meanwhile in poll mode). On the driving thread,
 * that is from a listener or callback, waiting could only time out, since that thread must send the DISCONNECT
 * itself: there they start the shutdown and return, and it completes on that thread once the listener returns.
 * Thread-safe.
 */
final class Shutdown {
    private final ClientConnection connection;
    private final Driver driver;
    private final NanoClock clock;
    private final boolean pollMode;
    private final long connectTimeoutMs;
    private final SubscriptionRequests requests;

    Shutdown(ClientConnection connection, Driver driver, NanoClock clock, boolean pollMode, long connectTimeoutMs,
            SubscriptionRequests requests) {
        this.connection = connection;
        this.requests = requests;
        this.driver = driver;
        this.clock = clock;
        this.pollMode = pollMode;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /** See {@link MqttClient#disconnect(int, long)}. */
    void disconnect(int reasonCode, long sessionExpirySeconds) throws MqttException {
        if (connection.isStopped()) {
            return; // already over (disconnected before, or the I/O thread failed and said so)
        }
        if (driver.isDrivingThread()) {
            stop(reasonCode, sessionExpirySeconds, null);
            return;
        }
        MqttFuture<Void> begun = new MqttFuture<>();
        connection.execute(() -> {
            stopNow(reasonCode, sessionExpirySeconds);
            begun.complete(null);
        });
        driver.signal();
        try {
            awaitStopped(begun);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException("interrupted while disconnecting", e);
        }
    }

    /**
     * Waits until the connection is stopped, by this disconnect or by one under way: a listener's {@code close()}
     * ends the driving once the connection is stopped, and a command still queued then never runs. Gives up after
     * three connect timeouts, as the connection's own deadlines have closed it by then unless a listener blocks.
     *
     * @throws MqttException when the driving thread did not even begin the disconnect within the connect timeout
     */
    private void awaitStopped(MqttFuture<Void> begun) throws MqttException, InterruptedException {
        long startNs = System.nanoTime();
        long timeoutNs = TimeUnit.MILLISECONDS.toNanos(connectTimeoutMs);
        while (!connection.isStopped()) {
            long elapsedNs = System.nanoTime() - startNs;
            if (!begun.isDone() && elapsedNs - timeoutNs >= 0) {
                throw new MqttException(MqttException.NO_REASON_CODE, "the disconnect was not begun within "
                        + connectTimeoutMs + " ms: the thread driving the connection is busy (in a listener?)");
            }
            if (elapsedNs - 3 * timeoutNs >= 0) {
                return;
            }
            if (pollMode) {
                driver.poll(TimeUnit.MILLISECONDS.toNanos(1));
            } else {
                Thread.sleep(1);
            }
        }
    }

    /**
     * See {@link MqttClient#close()}.
     *
     * @return true when closed; false when only begun, on the driving thread: the driver stops once the connection
     *     has
     */
    boolean close() throws MqttException {
        if (driver.isDrivingThread()) {
            stop(ReasonCode.NORMAL_DISCONNECTION, -1, this::stopDriver);
            return false;
        }
        disconnect(ReasonCode.NORMAL_DISCONNECTION, -1);
        try {
            driver.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException("interrupted while stopping the I/O thread", e);
        }
        return true;
    }

    /** Starts stopping the connection on the driving thread, after the current unit of work; returns at once. */
    private void stop(int reasonCode, long sessionExpirySeconds, Runnable whenStopped) {
        connection.execute(() -> {
            stopNow(reasonCode, sessionExpirySeconds);
            if (whenStopped != null) {
                connection.whenStopped(whenStopped);
            }
        });
        driver.signal();
    }

    /** On the driving thread: stops the connection, and fails requests no connection end will fail any more. */
    private void stopNow(int reasonCode, long sessionExpirySeconds) {
        connection.stop(reasonCode, clock.nanoTime(), TimeUnit.MILLISECONDS.toNanos(connectTimeoutMs),
                sessionExpirySeconds);
        if (connection.isStopped()) { // stopped between connections: no connection end will fail the requests
            requests.connectionLost(reasonCode, "the client disconnected before the request was sent", false);
        }
    }

    /** On the driving thread, once the connection is stopped: ends the driving after this unit of work. */
    private void stopDriver() {
        try {
            driver.stop(); // on its own thread a driver does not wait for itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
