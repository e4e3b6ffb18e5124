package dev.stacklab.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this process runs inside a user namespace ({@code unshare -rn}, a rootless container) rather than among the
 * host's own users. There uid 0 is not the host's root: its capabilities cover the network namespaces that user
 * namespace owns (it may make veth pairs and TAP devices and capture there), but not the host's network, nor
 * {@code /run/netns} (so no named namespaces), nor device files only the host's root may open.
 */
public final class UserNamespace {
    private static final Path UID_MAP = Path.of("/proc/self/uid_map");
    /** The initial user namespace maps every uid, 0 to 2^32 - 2, onto itself (user_namespaces(7)). */
    private static final List<Long> IDENTITY_MAP = List.of(0L, 0L, 4_294_967_295L);

    private UserNamespace() {
    }

    /** Whether this process is inside a user namespace other than the host's own. */
    public static boolean inside() {
        try {
            return !isInitialMap(Files.readString(UID_MAP));
        } catch (IOException e) {
            // A kernel without user namespaces has no uid_map: everyone is in the initial one.
            return false;
        }
    }

    /**
     * Whether the text of a {@code /proc/PID/uid_map} is the initial namespace's: one line, the identity over all
     * uids. Any other map (a single uid mapped to 0, several ranges, none yet) belongs to a user namespace.
     */
    static boolean isInitialMap(String uidMap) {
        List<String> lines = uidMap.lines().filter(line -> !line.isBlank()).toList();
        if (lines.size() != 1) {
            return false;
        }
        String[] fields = lines.get(0).strip().split("\\s+");
        if (fields.length != IDENTITY_MAP.size()) {
            return false;
        }
        try {
            for (int i = 0; i < fields.length; i++) {
                if (Long.parseLong(fields[i]) != IDENTITY_MAP.get(i)) {
                    return false;
                }
            }
        } catch (NumberFormatException e) {
            return false;
        }
        return true;
    }
}
