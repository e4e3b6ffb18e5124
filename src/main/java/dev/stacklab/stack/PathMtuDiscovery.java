package dev.stacklab.stack;

/**
 * Whether a datagram carries Don't Fragment (RFC 791 section 3.1), as Linux's IP_MTU_DISCOVER socket
 * option and iputils ping's {@code -M do|want|dont} choose it. DF is how a host discovers the path MTU
 * (RFC 1191 section 3): a router that would have to fragment drops the datagram instead and answers
 * "fragmentation needed" with its next-hop MTU.
 */
public enum PathMtuDiscovery {
    /** DF always; a datagram larger than the MTU is refused locally ("message too long"), never fragmented. */
    DO,
    /** DF when the datagram fits the MTU; a larger one is fragmented here and its fragments go without DF. Linux's default. */
    WANT,
    /** DF never: routers may fragment on the way. */
    DONT;

    /**
     * Whether a datagram of {@code totalLength} bytes leaves with DF set. Linux decides at the same
     * point, when it builds the datagram (__ip_make_skb): for WANT, only a datagram that fits gets DF.
     */
    boolean setsDontFragment(int totalLength, int mtu) {
        return switch (this) {
            case DO -> true;
            case WANT -> totalLength <= mtu;
            case DONT -> false;
        };
    }
}
