package io.pipit.samples.cli;

/** The exit codes of every {@code pipit} command, in one place so scripts can rely on them. Constants only. */
public final class ExitCodes {
    /** Done, nothing lost. */
    public static final int OK = 0;
    /**
     * Ran, but did not get what it should: messages lost, a message the client could not send (e.g. over the
     * server's Maximum Packet Size), a count not reached in time.
     */
    public static final int FAILED = 1;
    /** Bad arguments: an unknown option, a malformed value, a missing topic. */
    public static final int USAGE = 2;
    /** The broker could not be reached: nothing listening, unknown host, no answer in time. */
    public static final int UNREACHABLE = 3;
    /**
     * The broker refused the connection, a subscription or a publish (a PUBACK/PUBREC error, or a DISCONNECT before
     * the acknowledgement); its reason code is in the message.
     */
    public static final int REFUSED = 4;
    /** The broker refused the credentials: 0x86 Bad User Name or Password, 0x87 Not authorized, 0x8C. */
    public static final int NOT_AUTHORIZED = 5;
    /** Interrupted (Ctrl-C). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
