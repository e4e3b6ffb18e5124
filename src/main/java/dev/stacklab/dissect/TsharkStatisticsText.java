package dev.stacklab.dissect;

import dev.stacklab.wire.MacAddress;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The statistics of a capture as tshark prints them after {@code -z conv,TYPE}, {@code -z endpoints,TYPE},
 * {@code -z io,phs} and {@code -z expert} (tshark 4.0's ui/cli/tap-iousers.c, tap-endpoints.c,
 * tap-protohierstat.c and tap-expert.c), line for line, each line ending in '\n'.
 */
public final class TsharkStatisticsText {
    private static final String RULE = "=".repeat(80);
    private static final String PHS_RULE = "=".repeat(67);

    private TsharkStatisticsText() {
    }

    /** {@code tshark -q -z conv,TYPE}: the table with tshark's column widths, sizes in its words ("6562 bytes", "238 kB"). */
    public static String conversations(ConversationType type, List<Conversation> conversations) {
        StringBuilder out = new StringBuilder();
        out.append(RULE).append('\n');
        out.append(type.label()).append(" Conversations\n");
        out.append("Filter:<No Filter>\n");
        String indent = type.hasPorts() ? " ".repeat(12) : "";
        out.append(indent).append(" ".repeat(47)).append("|       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n");
        out.append(indent).append(" ".repeat(47)).append("| Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n");
        for (Conversation conversation : conversations) {
            int width = type.hasPorts() ? 26 : 20;
            out.append(padRight(endpointText(type, conversation.addressA(), conversation.portA()), width)).append(" <-> ")
                    .append(padRight(endpointText(type, conversation.addressB(), conversation.portB()), width));
            appendFramesAndSize(out, conversation.framesBToA(), conversation.bytesBToA());
            appendFramesAndSize(out, conversation.framesAToB(), conversation.bytesAToB());
            appendFramesAndSize(out, conversation.frames(), conversation.bytes());
            out.append("  ");
            out.append(padLeft(exactSeconds(conversation.relativeStartNanos()), 14));
            long stop = conversation.relativeStartNanos() + conversation.durationNanos();
            double duration = seconds(stop) - seconds(conversation.relativeStartNanos());
            out.append("   ").append(padLeft(new BigDecimal(duration).setScale(4, RoundingMode.HALF_EVEN).toPlainString(), 12)).append('\n');
        }
        out.append(RULE).append('\n');
        return out.toString();
    }

    /** {@code tshark -q -z endpoints,TYPE}. */
    public static String endpoints(ConversationType type, List<Endpoint> endpoints) {
        StringBuilder out = new StringBuilder();
        out.append(RULE).append('\n');
        out.append(type.label()).append(" Endpoints\n");
        out.append("Filter:<No Filter>\n");
        out.append("                       |  ").append(type.hasPorts() ? "Port  ||  " : "")
                .append("Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n");
        for (Endpoint endpoint : endpoints) {
            out.append(padRight(shownAddress(type, endpoint.address()), 20)).append("      ");
            if (type.hasPorts()) {
                out.append(padLeft(Integer.toString(endpoint.port()), 5)).append("     ");
            }
            out.append(padLeft(Long.toString(endpoint.frames()), 6)).append("     ")
                    .append(padLeft(Long.toString(endpoint.bytes()), 9)).append("     ")
                    .append(padLeft(Long.toString(endpoint.txFrames()), 6)).append("       ")
                    .append(padLeft(Long.toString(endpoint.txBytes()), 9)).append("      ")
                    .append(padLeft(Long.toString(endpoint.rxFrames()), 6)).append("       ")
                    .append(padLeft(Long.toString(endpoint.rxBytes()), 9)).append("   \n");
        }
        out.append(RULE).append('\n');
        return out.toString();
    }

    /** {@code tshark -q -z io,phs}: the root's children at the left, two spaces more per level. */
    public static String protocolHierarchy(ProtocolNode root) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append(PHS_RULE).append('\n');
        out.append("Protocol Hierarchy Statistics\n");
        out.append("Filter: \n\n");
        for (ProtocolNode child : root.children()) {
            appendHierarchy(out, child, 0);
        }
        out.append(PHS_RULE).append('\n');
        return out.toString();
    }

    private static void appendHierarchy(StringBuilder out, ProtocolNode node, int depth) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 15) {
                name.append("...");
                break;
            }
            name.append("  ");
        }
        name.append(node.protocol());
        // tshark writes the name into an 80-byte buffer: at most 79 characters.
        String shown = name.length() > 79 ? name.substring(0, 79) : name.toString();
        out.append(padRight(shown, 40)).append(" frames:").append(node.frames()).append(" bytes:").append(node.bytes()).append('\n');
        for (ProtocolNode child : node.children()) {
            appendHierarchy(out, child, depth + 1);
        }
    }

    /** {@code tshark -q -z expert}: a section per severity that has notes, most severe first; nothing when there are none. */
    public static String expert(List<ExpertItem> items) {
        StringBuilder out = new StringBuilder();
        String[][] sections = {{"Error", "Errors"}, {"Warning", "Warns"}, {"Note", "Notes"}, {"Chat", "Chats"}, {"Comment", "Comments"}};
        for (String[] section : sections) {
            int total = 0;
            for (ExpertItem item : items) {
                if (item.severity().equals(section[0])) {
                    total += item.count();
                }
            }
            if (total == 0) {
                continue;
            }
            out.append('\n').append(section[1]).append(" (").append(total).append(")\n");
            out.append("=============\n");
            out.append("   Frequency      Group           Protocol  Summary\n");
            for (ExpertItem item : items) {
                if (item.severity().equals(section[0])) {
                    out.append(padLeft(Integer.toString(item.count()), 12)).append(' ').append(padLeft(item.group(), 10)).append(' ')
                            .append(padLeft(item.protocol(), 18)).append("  ").append(item.summary()).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** Wireshark's format_size in bytes with SI prefixes: a number below ten thousand in bytes, else whole kB, MB, GB, TB. */
    static String size(long bytes) {
        String[] prefixes = {" TB", " GB", " MB", " kB"};
        long[] powers = {1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < powers.length; i++) {
            if (bytes / powers[i] >= 10) {
                return bytes / powers[i] + prefixes[i];
            }
        }
        return bytes + " bytes";
    }

    private static void appendFramesAndSize(StringBuilder out, long frames, long bytes) {
        out.append("  ").append(padLeft(Long.toString(frames), 6)).append(' ').append(padRight(size(bytes), 9));
    }

    private static String endpointText(ConversationType type, String address, int port) {
        String shown = shownAddress(type, address);
        return port < 0 ? shown : shown + ":" + port;
    }

    /**
     * The address as tshark's tables show it: a MAC address by the name Wireshark resolves it to ("Broadcast",
     * "IPv4mcast_fb", "00:00:00_00:00:00"), as MAC names are resolved by default; IP addresses as they are, as
     * network names are not.
     */
    private static String shownAddress(ConversationType type, String address) {
        if (type != ConversationType.ETHERNET) {
            return address;
        }
        String name = MacNameTable.installed().name(MacAddress.parse(address).bits());
        return name != null ? name : address;
    }

    /** As Wireshark's nstime_to_sec: whole seconds plus nanoseconds / 1e9, in double. */
    private static double seconds(long nanos) {
        return (double) (nanos / 1_000_000_000L) + (double) (nanos % 1_000_000_000L) / 1e9;
    }

    /** Nanoseconds as seconds with nine decimals, exactly (what %.9f of nstime_to_sec gives for any capture's times). */
    private static String exactSeconds(long nanos) {
        long abs = Math.abs(nanos);
        String fraction = Long.toString(abs % 1_000_000_000L);
        return (nanos < 0 ? "-" : "") + abs / 1_000_000_000L + "." + "0".repeat(9 - fraction.length()) + fraction;
    }

    private static String padRight(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static String padLeft(String text, int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }
}
