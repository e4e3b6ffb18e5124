package dev.stacklab.link;

import java.io.IOException;
import java.nio.file.Path;

/** The words that tell a person how to give this JVM the right to open raw sockets and TAP devices. */
final class Privileges {
    private Privileges() {
    }

    /**
     * "run it with sudo, or grant the capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip /path/java".
     * The path is the real file of the running java (setcap refuses symlinks such as /usr/bin/java). Inside a user
     * namespace, where uid 0 already has both capabilities, what lacks is a network namespace of its own.
     */
    static String howToGrant() {
        if (UserNamespace.inside()) {
            // Neither sudo nor setcap reaches from inside: the capabilities are there, but only for what this user
            // namespace owns.
            return "inside a user namespace, uid 0 has these capabilities only in a network namespace that user namespace owns:"
                    + " work in one made with `unshare -rn` (stacklab labnet up makes the lab there), or run stacklab with sudo outside it";
        }
        return "run it with sudo, or grant the capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip "
                + runningJava()
                + " (a setcap'd java may then need its lib directory, the one with libjli.so, listed in /etc/ld.so.conf.d)";
    }

    static String runningJava() {
        String command = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try {
            return Path.of(command).toRealPath().toString();
        } catch (IOException e) {
            return command;
        }
    }
}
