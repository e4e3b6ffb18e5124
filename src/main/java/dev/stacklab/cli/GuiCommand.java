package dev.stacklab.cli;

import dev.stacklab.app.StacklabApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code stacklab gui}: the desktop packet lab. It is the default when no command is given and what
 * {@code mvn javafx:run} starts. Returns when the window closes; without a display it says which variable to set.
 */
@Command(name = "gui", description = {"Start the desktop packet lab (the default when no command is given).",
        "Given a capture, it opens it, as does " + Main.INVOCATION + " FILE."})
final class GuiCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "a pcap or pcapng capture to open in the capture panes")
    Path capture;

    @Override
    public Integer call() {
        if (capture != null && !Files.isRegularFile(capture)) {
            spec.commandLine().getErr().println("gui: no such capture file: " + capture + " (see " + Main.invocation(spec) + " --help)");
            return 2;
        }
        return StacklabApp.launchWindow(spec.commandLine().getErr(), capture);
    }
}
