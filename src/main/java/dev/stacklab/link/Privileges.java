package dev.stacklab.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this JVM may open raw sockets and make network devices, and the words that tell a person how to give it
 * that right.
 */
public final class Privileges {
    // include/uapi/linux/capability.h
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_NET_RAW = 13;

    private Privileges() {
    }

    /** Whether the process may capture and send raw frames (libpcap): CAP_NET_RAW is effective (root has it). */
    public static boolean canCapture() {
        return hasEffective(CAP_NET_RAW);
    }

    /** Whether the process may make and remove network devices (veth, TAP): CAP_NET_ADMIN is effective. */
    public static boolean canAdministerNetwork() {
        return hasEffective(CAP_NET_ADMIN);
    }

    /**
     * The capability bit from the {@code CapEff} line of {@code /proc/self/status} (proc(5)). Inside a user
     * namespace the bits are the namespace's, which is right: there they cover the namespace's own network.
     */
    private static boolean hasEffective(int capability) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long bits = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                    return (bits >>> capability & 1) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /**
     * "run it with sudo, or grant the capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip /path/java".
     * The path is the real file of the running java (setcap refuses symlinks such as /usr/bin/java). Inside a user
     * namespace, where uid 0 already has both capabilities, what lacks is a network namespace of its own.
     */
    public static String howToGrant() {
        if (UserNamespace.inside()) {
            // Neither sudo nor setcap reaches from inside: the capabilities are there, but only for what this user
            // namespace owns.
            return "inside a user namespace, uid 0 has these capabilities only in a network namespace that user namespace owns:"
                    + " work in one made with `unshare -rn` (java -jar target/stacklab.jar labnet up makes the lab there), or run stacklab with sudo outside it";
        }
        return "run it with sudo, or grant the capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip "
                + runningJava()
                + " (a setcap'd java may then need its lib directory, the one with libjli.so, listed in /etc/ld.so.conf.d)";
    }

    /** The real file of the running java, as setcap needs it. */
    public static String runningJava() {
        String command = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try {
            return Path.of(command).toRealPath().toString();
        } catch (IOException e) {
            return command;
        }
    }
}
