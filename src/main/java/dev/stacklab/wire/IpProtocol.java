package dev.stacklab.wire;

/** The IPv4 protocol field (IANA "Assigned Internet Protocol Numbers"). An open code like {@link EtherType}. */
public record IpProtocol(int value) {
    public static final IpProtocol ICMP = new IpProtocol(1);
    public static final IpProtocol TCP = new IpProtocol(6);
    public static final IpProtocol UDP = new IpProtocol(17);

    public IpProtocol {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("IP protocol out of range: " + value);
        }
    }

    public static IpProtocol valueOf(int value) {
        return switch (value) {
            case 1 -> ICMP;
            case 6 -> TCP;
            case 17 -> UDP;
            default -> new IpProtocol(value);
        };
    }

    /** Wireshark's name for the protocol, or null when it has none here. */
    public String displayName() {
        return switch (value) {
            case 1 -> "ICMP";
            case 2 -> "IGMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 41 -> "IPv6";
            case 47 -> "GRE";
            case 50 -> "ESP";
            case 51 -> "AH";
            case 89 -> "OSPF";
            case 132 -> "SCTP";
            default -> null;
        };
    }

    @Override
    public String toString() {
        String name = displayName();
        return name == null ? "Unknown (" + value + ")" : name + " (" + value + ")";
    }
}
