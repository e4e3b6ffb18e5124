package dev.stacklab.app.network;

import dev.stacklab.app.Notifier;
import dev.stacklab.runtime.InterfaceSession;

/**
 * Turns what went wrong opening a network into a notification with its fix, never a stack trace. The links'
 * and the lab's messages are one line, "what; how to fix it", so the part after the first "; " is the fix.
 */
final class NetworkErrors {
    /** How to run with the rights real interfaces need, as the user types it. */
    static final String CAPTURE_FIX = "Run stacklab as root: sudo -E java -jar target/stacklab.jar"
            + " — or give java the capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java))";
    /** The lab network also works without root inside a user and network namespace of one's own. */
    static final String LAB_FIX = CAPTURE_FIX
            + " — or, without root, in a network namespace of your own: unshare -rn java -jar target/stacklab.jar";

    private NetworkErrors() {
    }

    static void report(Notifier notifier, String problem, Throwable cause) {
        String message = cause.getMessage() == null || cause.getMessage().isBlank()
                ? cause.getClass().getSimpleName() : cause.getMessage().strip();
        if (cause instanceof InterfaceSession.AddressInUseException) {
            notifier.error(problem + ": " + message, "Choose another address for our host (Propose finds a free one)");
            return;
        }
        if (cause instanceof IllegalArgumentException) {
            notifier.error(problem + ": " + message, "Correct our host's settings and start again");
            return;
        }
        if (message.startsWith("making network devices needs root")) {
            notifier.error(problem + ": making the lab's veth pair needs root or CAP_NET_ADMIN", LAB_FIX);
            return;
        }
        int split = message.indexOf("; ");
        if (split > 0) {
            String fix = message.substring(split + 2);
            notifier.error(problem + ": " + message.substring(0, split),
                    Character.toUpperCase(fix.charAt(0)) + fix.substring(1));
            return;
        }
        notifier.error(problem + ": " + message, "Check that the interface is still there and up (ip link), then start again");
    }
}
