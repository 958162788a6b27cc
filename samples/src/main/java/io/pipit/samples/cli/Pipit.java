package io.pipit.samples.cli;

import io.pipit.samples.gateway.GatewayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code pipit} command line: one runnable jar ({@code java -jar samples/target/pipit.jar}) with the gateway
 * and the pub/sub tools as subcommands. A new tool is one more entry in {@code subcommands} below.
 *
 * <p>Exit codes are those of {@link ExitCodes}; every failure is one line on stderr (with the stack trace only
 * under {@code --debug}). Runs on the main thread; not meant to be used as a library.
 */
@Command(name = "pipit", sortOptions = false, usageHelpAutoWidth = true,
        description = "pipit MQTT 5 client tools.",
        subcommands = {GatewayCommand.class, PubCommand.class, SubCommand.class, PiSensorsCommand.class},
        footer = {"", "Run 'pipit COMMAND --help' for a command's options."})
public final class Pipit implements Runnable {
    @Spec
    private CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args a subcommand and its options, e.g. {@code gateway --duration 10s}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line without exiting, for tests and embedding.
     *
     * @param args a subcommand and its options
     * @return the exit code ({@link ExitCodes})
     */
    public static int run(String... args) {
        Failures failures = new Failures(args);
        return new CommandLine(new Pipit())
                .setParameterExceptionHandler(failures)
                .setExecutionExceptionHandler(failures)
                .execute(args);
    }

    /** {@code pipit} alone: a usage error naming the commands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
