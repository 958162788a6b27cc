package io.pipit.samples.cli;

import picocli.CommandLine.Option;

/**
 * The options every {@code pipit} command has: {@code --help} and {@code --debug}. {@code --debug} is read from
 * the raw arguments by {@link Failures}; it is declared here so it parses and shows in the help. Filled by
 * picocli on the main thread.
 */
public final class CommonOptions {
    @Option(names = "--debug", description = "Log everything, and print the stack trace of a failure.")
    boolean debug;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
