package dev.stacklab.wire;

/**
 * The Ethernet II type field. An open code: named constants for the types stacklab knows, and
 * {@link #valueOf(int)} keeps any other value, so parse then emit reproduces every input.
 */
public record EtherType(int value) {
    public static final EtherType IPV4 = new EtherType(0x0800);
    public static final EtherType ARP = new EtherType(0x0806);
    public static final EtherType VLAN = new EtherType(0x8100);
    public static final EtherType IPV6 = new EtherType(0x86DD);
    /** IEEE 802.1ad service tag, the outer tag of QinQ. */
    public static final EtherType QINQ = new EtherType(0x88A8);

    public EtherType {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("EtherType out of range: " + value);
        }
    }

    public static EtherType valueOf(int value) {
        return switch (value) {
            case 0x0800 -> IPV4;
            case 0x0806 -> ARP;
            case 0x8100 -> VLAN;
            case 0x86DD -> IPV6;
            case 0x88A8 -> QINQ;
            default -> new EtherType(value);
        };
    }

    /** Wireshark's name for the type, or null when it has none here. */
    public String displayName() {
        return switch (value) {
            case 0x0800 -> "IPv4";
            case 0x0806 -> "ARP";
            case 0x8100 -> "802.1Q Virtual LAN";
            case 0x86DD -> "IPv6";
            case 0x88A8 -> "802.1ad Provider Bridge (Q-in-Q)";
            default -> null;
        };
    }

    @Override
    public String toString() {
        String name = displayName();
        String hex = String.format("0x%04x", value);
        return name == null ? "Unknown (" + hex + ")" : name + " (" + hex + ")";
    }
}
