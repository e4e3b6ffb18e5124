package dev.stacklab.capture;

import java.util.List;

/**
 * What the options of a pcapng Enhanced Packet Block (or obsolete Packet Block) say about its frame
 * (draft-ietf-opsawg-pcapng section 4.3.1), as far as Wireshark shows them: the flags word, the drop count, the packet
 * id, the queue and the comments. A hash ({@code epb_hash}) is read past, as tshark 4.0 shows none; so is a verdict
 * ({@code epb_verdict}), which it does show (not yet here).
 *
 * @param flags     {@code epb_flags} as an unsigned 32-bit value (direction in bits 0-1, reception type in 2-4, FCS
 *                  length in 5-8, link-layer errors in 24-31), or null when the block has none
 * @param dropCount {@code epb_dropcount}: frames lost between this one and the one before on its interface, or null
 * @param packetId  {@code epb_packetid}, or null
 * @param queue     {@code epb_queue}: the interface queue the frame was received on, or null
 * @param comments  the {@code opt_comment}s in file order; empty when none
 * @param problems  options that could not be read, each a sentence naming the option and what is wrong with it (the
 *                  frame itself is read all the same); empty when none
 */
public record PacketBlockOptions(Long flags, Long dropCount, Long packetId, Long queue, List<String> comments, List<String> problems) {
    /** {@code epb_flags} direction bits (section 4.3.1): not known, inbound, outbound. */
    public static final int DIRECTION_UNKNOWN = 0;
    public static final int DIRECTION_INBOUND = 1;
    public static final int DIRECTION_OUTBOUND = 2;
    private static final int DIRECTION_MASK = 0x3;

    public PacketBlockOptions {
        comments = List.copyOf(comments);
        problems = List.copyOf(problems);
    }

    /** The direction bits of the flags: {@link #DIRECTION_INBOUND}, {@link #DIRECTION_OUTBOUND}, or 0 (or 3) when not known. */
    public int direction() {
        return flags == null ? DIRECTION_UNKNOWN : (int) (flags & DIRECTION_MASK);
    }
}
