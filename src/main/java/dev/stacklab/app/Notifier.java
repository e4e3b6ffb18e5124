package dev.stacklab.app;

/**
 * How view-models tell the user something went wrong (or right) without a dialog and never with a stack trace:
 * the main window shows these as ControlsFX notifications; tests collect them. Callable from any thread.
 */
public interface Notifier {

    /** A problem and its fix, e.g. ("No permission to capture on eth0", "Run as root: sudo -E java -jar ..."). */
    void error(String problem, String fix);

    /** Something worth a brief note, e.g. "Capture saved to /tmp/lab.pcap". */
    void info(String message);
}
