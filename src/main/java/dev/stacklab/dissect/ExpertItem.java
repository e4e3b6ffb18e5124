package dev.stacklab.dissect;

import java.util.Arrays;

/**
 * One row of Expert Information, as Wireshark's Expert Information window and {@code tshark -z expert} give it: the
 * notes of one severity, protocol and summary, however many times they occurred.
 *
 * @param severity     "Error", "Warning", "Note", "Chat" or "Comment"
 * @param group        as Wireshark names it: "Sequence", "Malformed", "Protocol", "Checksum", ... (the first note's)
 * @param protocol     the short name of the protocol that made the note, as tshark prints it: "TCP", "IPv4", "HTTP"
 * @param summary      the note's text
 * @param count        how many times the note was made: tshark's Frequency (a frame making it twice counts twice)
 * @param frameNumbers the frame of each time, in order ({@code count} of them; a frame may repeat). The array is the
 *                     item's own: read it, never change it
 */
public record ExpertItem(String severity, String group, String protocol, String summary, int count, int[] frameNumbers) {

    @Override
    public boolean equals(Object other) {
        return other instanceof ExpertItem item && severity.equals(item.severity) && group.equals(item.group)
                && protocol.equals(item.protocol) && summary.equals(item.summary) && count == item.count
                && Arrays.equals(frameNumbers, item.frameNumbers);
    }

    @Override
    public int hashCode() {
        return ((severity.hashCode() * 31 + protocol.hashCode()) * 31 + summary.hashCode()) * 31 + Arrays.hashCode(frameNumbers);
    }

    @Override
    public String toString() {
        return "ExpertItem[" + severity + "/" + group + " " + protocol + " \"" + summary + "\" x" + count + "]";
    }
}
