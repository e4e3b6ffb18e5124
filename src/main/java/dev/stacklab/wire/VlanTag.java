package dev.stacklab.wire;

/**
 * One IEEE 802.1Q tag as it sits between the source address and the EtherType: the tag protocol
 * identifier (0x8100 for a customer tag, 0x88a8 for an 802.1ad service tag) and the tag control
 * information split into its three fields.
 *
 * @param tpid          tag protocol identifier, the EtherType that announced this tag
 * @param priority      priority code point (PCP), 0-7
 * @param dropEligible  drop eligible indicator (DEI, formerly CFI)
 * @param vlanId        VLAN identifier (VID), 0-4095
 */
public record VlanTag(int tpid, int priority, boolean dropEligible, int vlanId) {
    /** Bytes a tag occupies: TPID and TCI. */
    public static final int LENGTH = 4;

    public VlanTag {
        if (tpid < 0 || tpid > 0xFFFF) {
            throw new IllegalArgumentException("TPID out of range: " + tpid);
        }
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("priority out of range 0-7: " + priority);
        }
        if (vlanId < 0 || vlanId > 0xFFF) {
            throw new IllegalArgumentException("VLAN id out of range 0-4095: " + vlanId);
        }
    }

    /** A customer tag (802.1Q, TPID 0x8100). */
    public static VlanTag customer(int priority, boolean dropEligible, int vlanId) {
        return new VlanTag(EtherType.VLAN.value(), priority, dropEligible, vlanId);
    }

    /** A service tag (802.1ad, TPID 0x88a8), the outer tag of QinQ. */
    public static VlanTag service(int priority, boolean dropEligible, int vlanId) {
        return new VlanTag(EtherType.QINQ.value(), priority, dropEligible, vlanId);
    }

    /** Decodes a tag from its TPID and 16-bit TCI (PCP in the top 3 bits, then DEI, then the VID). */
    public static VlanTag fromTci(int tpid, int tci) {
        return new VlanTag(tpid, tci >>> 13, (tci & 0x1000) != 0, tci & 0x0FFF);
    }

    public int tci() {
        return priority << 13 | (dropEligible ? 0x1000 : 0) | vlanId;
    }

    /** True for the EtherTypes that announce a tag rather than a payload. */
    public static boolean isTagProtocol(int etherType) {
        return etherType == 0x8100 || etherType == 0x88A8;
    }
}
