package dev.stacklab.dissect;

/**
 * Wireshark's names for EtherTypes (its {@code etype_vals} table, as {@code tshark -G values} prints it
 * for {@code eth.type} in 4.0.17), used in "Type:" lines and in the Info column of frames whose
 * payload no dissector claims.
 */
final class EtherTypeNames {
    private EtherTypeNames() {
    }

    /** The name of EtherType {@code value}, or null when Wireshark has none. */
    static String name(long value) {
        return switch ((int) value) {
            case 0x0600 -> "XNS Internet Datagram Protocol";
            case 0x0800 -> "IPv4";
            case 0x0805 -> "X.25 Layer 3";
            case 0x0806 -> "ARP";
            case 0x0842 -> "Wake on LAN";
            case 0x08f0 -> "WiMax Mac-to-Mac";
            case 0x08ff -> "AX.25";
            case 0x0bad -> "Vines IP";
            case 0x0baf -> "Vines Echo";
            case 0x1984 -> "Netmon Train";
            case 0x2001 -> "Cisco Group Management Protocol";
            case 0x22e5 -> "Gigamon Header";
            case 0x22ea -> "802.1Qat Multiple Stream Reservation Protocol";
            case 0x22f0 -> "IEEE 1722 Audio Video Transport Protocol";
            case 0x22f1 -> "Robust Header Compression(RoHC)";
            case 0x22f3 -> "Transparent Interconnection of Lots of Links";
            case 0x22f4 -> "Intermediate System to Intermediate System";
            case 0x2452 -> "IEEE 802.11 (Centrino promiscuous)";
            case 0x3c07 -> "3Com NBP Datagram";
            case 0x3e3f -> "EPL_V1";
            case 0x6000 -> "DEC proto";
            case 0x6001 -> "DEC DNA Dump/Load";
            case 0x6002 -> "DEC DNA Remote Console";
            case 0x6003 -> "DEC DNA Routing";
            case 0x6004 -> "DEC LAT";
            case 0x6005 -> "DEC Diagnostics";
            case 0x6006 -> "DEC Customer use";
            case 0x6007 -> "DEC LAVC/SCA";
            case 0x6558 -> "Transparent Ethernet bridging";
            case 0x8021 -> "PPP IP Control Protocol";
            case 0x8035 -> "RARP";
            case 0x8038 -> "DEC LanBridge";
            case 0x8041 -> "DEC LAST";
            case 0x809b -> "AppleTalk LLAP bridging";
            case 0x80d5 -> "SNA-over-Ethernet";
            case 0x80e1 -> "EtherNet/IP Device Level Ring";
            case 0x80f3 -> "AARP";
            case 0x80fd -> "PPP Compression Control Protocol";
            case 0x80ff -> "Wellfleet Compression Protocol";
            case 0x8100 -> "802.1Q Virtual LAN";
            case 0x8102 -> "Simple Loop Protection Protocol";
            case 0x8103 -> "Virtual LACP";
            case 0x8104 -> "Simple Loop Protection Protocol (old)";
            case 0x8133 -> "Juniper Netscreen Redundant Protocol";
            case 0x8137 -> "Netware IPX/SPX";
            case 0x8181 -> "Spanning Tree Protocol";
            case 0x81fd -> "Cabletron Interswitch Message Protocol";
            case 0x81ff -> "Cabletron SFVLAN 1.8 Tag-Based Flood";
            case 0x8204 -> "QNX 6 QNET protocol";
            case 0x86dd -> "IPv6";
            case 0x872d -> "Cisco Wireless Lan Context Control Protocol";
            case 0x8783 -> "Motorola Media Independent Network Transport";
            case 0x8808 -> "MAC Control";
            case 0x8809 -> "Slow Protocols";
            case 0x8819 -> "Cirrus Cobranet Packet";
            case 0x8847 -> "MPLS label switched packet";
            case 0x8848 -> "MPLS multicast label switched packet";
            case 0x885a -> "Foundry proprietary";
            case 0x8863 -> "PPPoE Discovery";
            case 0x8864 -> "PPPoE Session";
            case 0x886c -> "HomePNA, wlan link local tunnel";
            case 0x886d -> "Intel ANS probe";
            case 0x886f -> "MS NLB heartbeat";
            case 0x8870 -> "Jumbo LLC";
            case 0x8874 -> "Broadcom tag";
            case 0x887b -> "Homeplug";
            case 0x8881 -> "CDMA2000 A10 Unstructured byte stream";
            case 0x8884 -> "ATM over Ethernet";
            case 0x888e -> "802.1X Authentication";
            case 0x8892 -> "PROFINET";
            case 0x8899 -> "Realtek Layer 2 Protocols";
            case 0x889b -> "CSM_ENCAPS Protocol";
            case 0x88a1 -> "Telkonet powerline";
            case 0x88a2 -> "ATA over Ethernet";
            case 0x88a4 -> "EtherCAT frame";
            case 0x88a8 -> "802.1ad Provider Bridge (Q-in-Q)";
            case 0x88ab -> "ETHERNET Powerlink v2";
            case 0x88ad -> "XiMeta Technology";
            case 0x88b4 -> "WAI Authentication Protocol";
            case 0x88b5 -> "Local Experimental Ethertype 1";
            case 0x88b6 -> "Local Experimental Ethertype 2";
            case 0x88b7 -> "IEEE 802a OUI Extended Ethertype";
            case 0x88b8 -> "IEC 61850/GOOSE";
            case 0x88b9 -> "IEC 61850/GSE management services";
            case 0x88ba -> "IEC 61850/SV (Sampled Value Transmission";
            case 0x88c7 -> "802.11i Pre-Authentication";
            case 0x88ca -> "Transparent Inter Process Communication";
            case 0x88cc -> "802.1 Link Layer Discovery Protocol (LLDP)";
            case 0x88d2 -> "CDMA2000 A10 3GPP2 Packet";
            case 0x88d8 -> "Circuit Emulation Services over Ethernet (MEF8)";
            case 0x88d9 -> "Link Layer Topology Discovery (LLTD)";
            case 0x88dc -> "(WAVE) Short Message Protocol (WSM)";
            case 0x88de -> "VMware Lab Manager";
            case 0x88e1 -> "Homeplug AV";
            case 0x88e3 -> "MRP";
            case 0x88e5 -> "802.1AE (MACsec)";
            case 0x88e7 -> "802.1ah Provider Backbone Bridge (mac-in-mac)";
            case 0x88ee -> "Ethernet Local Management Interface (MEF16)";
            case 0x88f6 -> "802.1ak Multiple Mac Registration Protocol";
            case 0x88f7 -> "PTPv2 over Ethernet (IEEE1588)";
            case 0x88f8 -> "Network Controller Sideband Interface";
            case 0x88fb -> "Parallel Redundancy Protocol (PRP) and HSR Supervision (IEC62439 Part 3)";
            case 0x8901 -> "Flow Layer Internal Protocol";
            case 0x8902 -> "IEEE 802.1ag Connectivity Fault Management (CFM) protocol";
            case 0x8903 -> "Data Center Ethernet (DCE) protocol(Cisco)";
            case 0x8906 -> "Fibre Channel over Ethernet";
            case 0x8909 -> "CiscoMetaData";
            case 0x890d -> "IEEE 802.11 data encapsulation";
            case 0x8911 -> "LINX IPC Protocol";
            case 0x8914 -> "FCoE Initialization Protocol";
            case 0x8915 -> "RDMA over Converged Ethernet";
            case 0x8917 -> "Media Independent Handover Protocol";
            case 0x891d -> "TTEthernet Protocol Control Frame";
            case 0x8926 -> "VN-Tag";
            case 0x892b -> "Schweitzer Engineering Labs Layer 2 Protocol";
            case 0x892d -> "bluecom Protocol";
            case 0x892f -> "High-availability Seamless Redundancy (IEC62439 Part 3)";
            case 0x893a -> "1905.1a Convergent Digital Home Network for Heterogenous Technologies";
            case 0x893f -> "802.1br Bridge Port Extension E-Tag";
            case 0x8947 -> "GeoNetworking";
            case 0x894f -> "Network Service Header";
            case 0x8988 -> "PA HB Backup";
            case 0x9000 -> "Loopback";
            case 0x9021 -> "Real-Time Media Access Control";
            case 0x9022 -> "Real-Time Configuration Protocol";
            case 0x9100 -> "QinQ: old non-standard 802.1ad";
            case 0x9104 -> "EERO Broadcast Packet";
            case 0x99fe -> "Technically Enhanced Capture Module Protocol (TECMP)";
            case 0xa0ed -> "6LoWPAN";
            case 0xaefe -> "eCPRI";
            case 0xb4e3 -> "CableLabs Layer-3 Protocol";
            case 0xc021 -> "PPP Link Control Protocol";
            case 0xc023 -> "PPP Password Authentication Protocol";
            case 0xc0de -> "eXpressive Internet Protocol";
            case 0xc0df -> "Neighborhood Watch Protocol";
            case 0xcafe -> "Veritas Low Latency Transport (not officially registered)";
            case 0xd00d -> "Digium TDM over Ethernet Protocol";
            case 0xd28b -> "Arista Timestamp";
            case 0xe555 -> "EXos internal Extra Header";
            case 0xf1c1 -> "802.1CB Frame Replication and Elimination for Reliability";
            case 0xfff2 -> "Cisco ACI ARP gleaning";
            default -> null;
        };
    }
}
