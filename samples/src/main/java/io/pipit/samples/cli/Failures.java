package io.pipit.samples.cli;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ReasonCode;
import java.io.PrintWriter;
import java.util.Arrays;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How every {@code pipit} command ends badly: one line on stderr naming the cause, an exit code from
 * {@link ExitCodes}, and the stack trace only with {@code --debug}. Also sets the log level before anything logs:
 * warnings and errors only, everything under {@code --debug}. Used on the main thread only.
 */
final class Failures implements IParameterExceptionHandler, IExecutionExceptionHandler {
    /** slf4j-simple reads its level once, when the first logger is made: after parsing, before running. */
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String LOG_LEVEL_PREFIX = "org.slf4j.simpleLogger.log.";
    /** The library's logger for publishes it sends or refuses. */
    private static final String OUTBOUND_LOGGER = "io.pipit.mqtt.engine.Outbound";

    Failures(String[] args) {
        // Read from the raw arguments, so even a command line that does not parse gets its trace.
        boolean debug = Arrays.asList(args).contains("--debug");
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, debug ? "debug" : "warn");
        }
        if (!debug) {
            // A publish the client refuses itself (over the server's Maximum Packet Size) is the command's own one
            // line (pub) or counted in its summary (gateway); the library's warning of the same would be a second.
            System.getProperties().putIfAbsent(LOG_LEVEL_PREFIX + OUTBOUND_LOGGER, "error");
        }
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        report(command.getErr(), e, name + ": " + e.getMessage() + " (see '" + name + " --help')");
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        String name = command.getCommandSpec().qualifiedName();
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            report(command.getErr(), e, name + ": interrupted");
            return ExitCodes.INTERRUPTED;
        }
        if (e instanceof MqttException) {
            int code = ((MqttException) e).reasonCode();
            int exit = exitCodeFor(code);
            report(command.getErr(), e, name + ": " + (exit == ExitCodes.UNREACHABLE ? "cannot reach the broker: "
                    : exit == ExitCodes.NOT_AUTHORIZED ? "not authorized: " : "refused by the broker: ")
                    + e.getMessage()); // MqttException names its reason code once
            return exit;
        }
        if (e instanceof IllegalArgumentException) { // a value the SDK refused (topic, property, size)
            report(command.getErr(), e, name + ": " + e.getMessage() + " (see '" + name + " --help')");
            return ExitCodes.USAGE;
        }
        if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
            report(command.getErr(), e, name + ": " + e.getMessage()); // a file or directory: its message names it
            return ExitCodes.FAILED;
        }
        report(command.getErr(), e, name + ": " + e);
        return ExitCodes.FAILED;
    }

    /** @return the exit code for a failed connect, subscribe or publish with MQTT reason code {@code code} */
    static int exitCodeFor(int code) {
        switch (code) {
            case MqttException.NO_REASON_CODE:
                return ExitCodes.UNREACHABLE;
            case ReasonCode.BAD_USER_NAME_OR_PASSWORD:
            case ReasonCode.NOT_AUTHORIZED:
            case ReasonCode.BAD_AUTHENTICATION_METHOD:
                return ExitCodes.NOT_AUTHORIZED;
            default:
                return ExitCodes.REFUSED;
        }
    }

    /** The line always; the trace through the log, so only {@code --debug} (or a chosen log level) shows it. */
    private static void report(PrintWriter err, Throwable e, String line) {
        err.println(line.replace('\n', ' '));
        err.flush();
        LoggerFactory.getLogger(Pipit.class).debug("what failed, in full", e);
    }
}
