package dev.stacklab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stacklab bench ...}: each benchmark prints stacklab's figure beside its reference, in one run. */
@Command(name = "bench", description = "Measure stacklab against its references (tshark, pcap4j, the kernel).",
        subcommands = {DecodeBench.class, SyntheticCaptureCommand.class, EngineBench.class, TcpBench.class, NetworkBenchCommand.class, GuiBench.class})
final class BenchCommand {
    @Mixin
    HelpOption help;
}
