package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pipit.mqtt.MqttException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link MqttFuture} on its own, with a stand-in driver: waits refused on the driving thread (and only there, and
 * only when they would wait), and {@link MqttFuture#whenComplete} callbacks: on which thread, in which order, once,
 * and what a failing one does.
 */
class MqttFutureTest {
    @Test
    void shouldRefuseAtOnceToWaitOnTheThreadThatWouldCompleteIt() {
        MqttFuture<Integer> future = new MqttFuture<>(new DrivenBy(Thread.currentThread()));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> future.get(1, TimeUnit.HOURS));
        assertEquals("MqttFuture.get() called on the I/O thread " + Thread.currentThread().getName()
                + ", which alone can complete it: use whenComplete(...) or call get() from another thread",
                refused.getMessage());
    }

    @Test
    void shouldReturnADoneFutureOnTheDrivingThreadAndLetAZeroTimeoutLook() throws Exception {
        MqttFuture<Integer> future = new MqttFuture<>(new DrivenBy(Thread.currentThread()));
        MqttException notYet = assertThrows(MqttException.class, () -> future.get(0, TimeUnit.SECONDS));
        assertEquals(MqttException.NO_REASON_CODE, notYet.reasonCode());
        future.complete(7);
        assertEquals(7, future.get(1, TimeUnit.HOURS));
    }

    @Test
    void shouldWaitOnAnyOtherThreadForTheDrivingThreadToCompleteIt() throws Exception {
        AtomicReference<MqttFuture<String>> future = new AtomicReference<>();
        Thread completer = new Thread(() -> future.get().complete("done"), "completer");
        future.set(new MqttFuture<>(new DrivenBy(completer)));
        completer.start();
        assertEquals("done", future.get().get(30, TimeUnit.SECONDS));
        completer.join();
    }

    @Test
    void shouldCallBackOnTheCompletingThreadOrAtOnceWhenDone() throws Exception {
        MqttFuture<String> future = new MqttFuture<>(null);
        List<String> heard = new ArrayList<>();
        future.whenComplete((value, failure) -> heard.add("first " + value + " " + failure + " on "
                + Thread.currentThread().getName()));
        future.whenComplete((value, failure) -> heard.add("second " + value));
        Thread completer = new Thread(() -> future.complete("v"), "completer");
        completer.start();
        completer.join();
        future.complete("again"); // ignored: a future completes once
        future.whenComplete((value, failure) -> heard.add("late " + value + " on " + Thread.currentThread().getName()));
        assertEquals(List.of("first v null on completer", "second v",
                "late v on " + Thread.currentThread().getName()), heard);
    }

    @Test
    void shouldPassTheFailureItselfToTheCallback() {
        MqttFuture<Integer> future = new MqttFuture<>(null);
        List<Object> heard = new ArrayList<>();
        future.whenComplete((value, failure) -> {
            heard.add(value);
            heard.add(failure);
        });
        MqttException cause = new MqttException(0x87, "not authorized");
        future.fail(cause);
        assertEquals(2, heard.size());
        assertNull(heard.get(0));
        assertSame(cause, heard.get(1));
        MqttException thrown = assertThrows(MqttException.class, () -> future.get(0, TimeUnit.SECONDS));
        assertEquals(0x87, thrown.reasonCode());
    }

    @Test
    void shouldLogAFailingCallbackAndStillCallTheOthers() {
        Logger logger = (Logger) LoggerFactory.getLogger(MqttFuture.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        logger.setAdditive(false); // the two expected stack traces go to the list only, not the build log
        List<String> heard = new ArrayList<>();
        try {
            MqttFuture<String> future = new MqttFuture<>(null);
            future.whenComplete((value, failure) -> {
                throw new IllegalArgumentException("the callback's bug");
            });
            future.whenComplete((value, failure) -> heard.add(value));
            future.complete("v"); // does not throw: the completing thread is the client's
            future.whenComplete((value, failure) -> {
                throw new IllegalArgumentException("a late callback's bug");
            });
        } finally {
            logger.setAdditive(true);
            logger.detachAppender(logged);
        }
        assertEquals(List.of("v"), heard);
        assertEquals(2, logged.list.size(), logged.list.toString());
        for (ILoggingEvent event : logged.list) {
            assertEquals(Level.ERROR, event.getLevel());
            assertTrue(event.getFormattedMessage().startsWith("MqttFuture callback "), event.getFormattedMessage());
            assertEquals(IllegalArgumentException.class.getName(), event.getThrowableProxy().getClassName());
        }
    }

    @Test
    void shouldRefuseANullCallback() {
        MqttFuture<String> future = new MqttFuture<>(null);
        assertThrows(IllegalArgumentException.class, () -> future.whenComplete(null));
    }
}
