package dev.stacklab.stack;

/** What became of a datagram handed to the engine to send. */
public enum SendResult {
    /** Handed to ARP or the link (in fragments if need be); ARP may still fail later. */
    SENT,
    /** Off the subnet and no gateway (RFC 1122 3.3.1.3); counted as {@link DropReason#NO_ROUTE}. */
    NO_ROUTE,
    /** Larger than the path MTU with DF set; counted as {@link DropReason#FRAGMENTATION_NEEDED}. */
    FRAGMENTATION_NEEDED
}
