package dev.stacklab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One stacklab command line run in-process, with what it printed and its exit code. */
record CommandRun(int exitCode, String out, String err) {
    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CommandRun(exit, out.toString(), err.toString());
    }
}
