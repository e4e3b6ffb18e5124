package dev.stacklab.cli;

import dev.stacklab.runtime.EngineEchoBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code stacklab bench engine}: the engine alone, no I/O, answering echo requests on one thread. */
@Command(name = "engine", description = "Echo replies per second from the engine alone (no I/O, one core); target 1,000,000.")
final class EngineBench implements Callable<Integer> {
    @Option(names = "--seconds", paramLabel = "S", defaultValue = "3", description = "measured seconds (default ${DEFAULT-VALUE})")
    int seconds;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (seconds < 1) {
            spec.commandLine().getErr().println("bench engine: --seconds must be at least 1, not " + seconds);
            return 2;
        }
        EngineEchoBench.Result result = EngineEchoBench.run(56, Duration.ofSeconds(1), Duration.ofSeconds(seconds));
        spec.commandLine().getOut().printf("engine alone, 98-byte echo requests: %,.0f echo replies/s (%.0f ns each; target 1,000,000/s)%n",
                result.repliesPerSecond(), result.nanosPerReply());
        return 0;
    }
}
