package dev.stacklab.dissect;

import java.util.List;

/**
 * What a capture file records about a frame besides its bytes and time, when it records it (a pcapng Enhanced Packet
 * Block's options), for the Frame section and the "Packet comments" tree.
 *
 * @param flags     the packet flags word (direction in bits 0-1, reception type in 2-4, FCS length in 5-8,
 *                  link-layer errors in 24-31), or null when the file gives none
 * @param dropCount frames lost between this one and the one before on its interface, or null
 * @param packetId  the capturer's id for the packet, or null
 * @param queue     the interface queue it was received on, or null
 * @param comments  the frame's comments in file order; empty when none
 * @param problems  what could not be read of the record (a malformed option), each shown as an expert note; empty
 *                  when none
 */
public record FrameOptions(Long flags, Long dropCount, Long packetId, Long queue, List<String> comments, List<String> problems) {
    static final int DIRECTION_INBOUND = 1;
    static final int DIRECTION_OUTBOUND = 2;
    private static final int DIRECTION_MASK = 0x3;

    public FrameOptions {
        comments = List.copyOf(comments);
        problems = List.copyOf(problems);
    }

    /** The flags' direction bits: 1 inbound, 2 outbound, 0 (or 3) when not known or not given. */
    int direction() {
        return flags == null ? 0 : (int) (flags & DIRECTION_MASK);
    }
}
