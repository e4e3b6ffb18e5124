package dev.stacklab.capture;

/**
 * LINKTYPE_ values (tcpdump.org/linktypes.html): what the bytes of a captured frame start with. The
 * same numbers are used in classic pcap file headers and pcapng Interface Description Blocks.
 */
public final class LinkType {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int PPP = 9;
    public static final int RAW = 101;
    public static final int IEEE802_11 = 105;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IEEE802_11_RADIOTAP = 127;
    public static final int USB_LINUX = 189;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int NETLINK = 253;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }

    /** The LINKTYPE_ name without its prefix, e.g. {@code "ETHERNET"}; {@code "unknown"} for a value not listed here. */
    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "NULL";
            case ETHERNET -> "ETHERNET";
            case PPP -> "PPP";
            case RAW -> "RAW";
            case IEEE802_11 -> "IEEE802_11";
            case LOOP -> "LOOP";
            case LINUX_SLL -> "LINUX_SLL";
            case IEEE802_11_RADIOTAP -> "IEEE802_11_RADIOTAP";
            case USB_LINUX -> "USB_LINUX";
            case IPV4 -> "IPV4";
            case IPV6 -> "IPV6";
            case NETLINK -> "NETLINK";
            case LINUX_SLL2 -> "LINUX_SLL2";
            default -> "unknown";
        };
    }
}
