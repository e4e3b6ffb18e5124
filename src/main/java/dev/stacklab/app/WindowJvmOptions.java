package dev.stacklab.app;

import java.util.List;

/**
 * JVM options for the window's JVM (given by {@link SharedArchiveStart} to the JVM it starts, and taken by
 * {@code bench gui}, which measures the panes in a JVM like it). Options the user gives come after these on the
 * command line, so theirs win.
 *
 * <p>{@code -XX:MaxNewSize=128m}: G1 sizes its young generation for its 200 ms pause goal, and the garbage of opening
 * and filtering a million frames (trees and columns made and dropped at once) let it grow the young generation to
 * hundreds of MB and the heap to 1.5-2.8 GB committed, the more so when other programs keep the collector's threads
 * waiting: that young generation, touched, and the collector's tables for that heap were most of the difference
 * between 620 and 1,040 MiB resident for the same work. 128 MB is a few collections per million frames opened (each
 * copies only what survives: the dissector's state, not the frames, which go straight into their own regions) and
 * bounds a young collection's pause too.
 *
 * <p>{@code -XX:NewSize=64m}: G1 starts the young generation at 5 % of the initial heap, here 19 MB, and the window
 * allocates some 50 MB before its first frame: three young collections on the way, each copying the 10-15 MB the
 * start keeps (the loaded stylesheets, skins, the dissector's tables), 0.1-0.2 s of pauses on a busy machine. With
 * 64 MB there is none before the first frame; the process is 7-15 MB bigger just after the start, and the same once
 * the capture runs (it grows the young generation to its bound anyway).
 */
public final class WindowJvmOptions {
    public static final List<String> OPTIONS = List.of("-XX:MaxNewSize=128m", "-XX:NewSize=64m");

    private WindowJvmOptions() {
    }

    /** Whether a JVM started with {@code inputArguments} runs with the window's options, or a choice of its own for each. */
    public static boolean inEffect(List<String> inputArguments) {
        for (String option : OPTIONS) {
            String name = name(option);
            boolean given = false;
            for (String argument : inputArguments) {
                if (name(argument).equals(name)) {
                    given = true;
                    break;
                }
            }
            if (!given) {
                return false;
            }
        }
        return true;
    }

    /** "-XX:MaxNewSize" of "-XX:MaxNewSize=128m". */
    private static String name(String option) {
        int equals = option.indexOf('=');
        return equals < 0 ? option : option.substring(0, equals);
    }
}
