package dev.stacklab.stack;

/** Why the stack dropped a frame or a datagram; each is counted in {@link StackCounters}. */
public enum DropReason {
    MALFORMED("malformed"),
    BAD_CHECKSUM("bad checksum"),
    NOT_FOR_US("not for us"),
    NO_ROUTE("no route"),
    QUEUE_FULL("queue full"),
    UNSUPPORTED_PROTOCOL("unsupported protocol"),
    REASSEMBLY_TIMEOUT("reassembly timeout"),
    REASSEMBLY_MEMORY("reassembly memory limit"),
    NEIGHBOR_UNREACHABLE("neighbor unreachable"),
    FRAGMENTATION_NEEDED("fragmentation needed but DF set"),
    PORT_UNREACHABLE("port unreachable");

    private final String text;

    DropReason(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
