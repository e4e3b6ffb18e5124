package dev.stacklab.cli;

import dev.stacklab.app.StacklabApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code stacklab gui}: the desktop packet lab. It is the default when no command is given and what
 * {@code mvn javafx:run} starts. Returns when the window closes; without a display it says which variable to set.
 */
@Command(name = "gui", description = "Start the desktop packet lab (the default when no command is given).")
final class GuiCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return StacklabApp.launchWindow(spec.commandLine().getErr());
    }
}
