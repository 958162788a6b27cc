package io.pipit.mqtt.driver;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;

/**
 * Java 11's {@code Selector.select(Consumer, long)} and {@code selectNow(Consumer)}, reached through method
 * handles because the SDK compiles for Java 8 and Android. They hand each ready key to a callback instead of
 * adding it to the selected-key set, whose {@code HashSet} would allocate an entry per ready key per wake-up; so
 * a loop can serve only the connections that are ready, without allocating. Where the methods are missing (Java
 * 8, older Android), {@link #create} returns null and the loop serves every connection on each cycle instead.
 * Not thread-safe: the loop's driving thread only.
 */
@IgnoreJRERequirement // used only where the methods resolved, i.e. on Java 11+ class libraries
final class ReadySelect implements Consumer<SelectionKey> {
    private static final MethodHandle SELECT = find("select", MethodType.methodType(int.class, Consumer.class,
            long.class));
    private static final MethodHandle SELECT_NOW = find("selectNow", MethodType.methodType(int.class,
            Consumer.class));

    private final SelectorLoop loop;
    /** This object typed as the method handles' parameter: {@code invokeExact} matches static types exactly. */
    private final Consumer<SelectionKey> callback = this;

    private ReadySelect(SelectorLoop loop) {
        this.loop = loop;
    }

    /** @return a selector front for {@code loop}, or null when this platform lacks the callback methods */
    static ReadySelect create(SelectorLoop loop) {
        return SELECT == null || SELECT_NOW == null ? null : new ReadySelect(loop);
    }

    /**
     * Waits up to {@code timeoutMs} (0: until woken) and tells the loop of each ready key.
     *
     * @return the number of keys handed over
     */
    int select(Selector selector, long timeoutMs) throws IOException {
        try {
            return (int) SELECT.invokeExact(selector, callback, timeoutMs);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Selector.select(Consumer, long) threw " + e, e); // it declares none
        }
    }

    /** Tells the loop of each key ready now, without waiting; @return the number of keys handed over */
    int selectNow(Selector selector) throws IOException {
        try {
            return (int) SELECT_NOW.invokeExact(selector, callback);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Selector.selectNow(Consumer) threw " + e, e);
        }
    }

    @Override
    public void accept(SelectionKey key) {
        loop.ready((LoopEntry) key.attachment());
    }

    private static MethodHandle find(String name, MethodType type) {
        try {
            return MethodHandles.publicLookup().findVirtual(Selector.class, name, type);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // Java 8 or an Android without it: the loop scans instead
        }
    }
}
