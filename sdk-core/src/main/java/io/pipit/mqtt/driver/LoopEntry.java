package io.pipit.mqtt.driver;

import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a {@link SelectorLoop} keeps for one {@link ClientConnection}: its selector registration (whose key names the channel), its place in the
 * {@link DeadlineHeap}, and its links in the loop's signal stack and due list. Created once per connection, so
 * waking, scheduling and listing a connection allocate nothing. Fields other than {@link #queued} and
 * {@link #nextSignalled} belong to the loop's driving thread.
 */
final class LoopEntry {
    final ClientConnection connection;
    /** Set by a signalling thread while the entry sits in the signal stack, so it is pushed at most once. */
    final AtomicBoolean queued = new AtomicBoolean();
    /** The next entry down the signal stack; written before the push's compare-and-set publishes it. */
    LoopEntry nextSignalled;
    SelectionKey key;
    int heapIndex = -1;
    long deadlineNs = Long.MAX_VALUE;
    /** The loop cycle this entry is listed as due in; listing it twice would work it twice. */
    long dueCycle = -1;
    boolean active;

    LoopEntry(ClientConnection connection) {
        this.connection = connection;
    }
}
