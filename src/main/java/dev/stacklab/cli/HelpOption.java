package dev.stacklab.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h} and {@code --help} for every command below the top one, each printing that command's own options.
 * (picocli's standard help mixin would add {@code -V, --version} as well, and {@code -V} is tshark's verbose flag
 * in {@code decode}.)
 */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean helpRequested;
}
