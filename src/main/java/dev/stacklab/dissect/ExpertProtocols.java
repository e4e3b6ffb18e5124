package dev.stacklab.dissect;

import java.util.Map;

/**
 * The short names Wireshark registers its protocols under (proto_register_protocol's second name), which the
 * Protocol column of its Expert Information and of {@code tshark -z expert} shows: "TCP", "IPv4", "ARP/RARP".
 */
final class ExpertProtocols {
    private static final Map<String, String> SHORT_NAMES = Map.ofEntries(
            Map.entry("frame", "Frame"),
            Map.entry("pkt_comment", "Frame"),
            Map.entry("eth", "Ethernet"),
            Map.entry("vlan", "VLAN"),
            Map.entry("ieee8021ad", "IEEE 802.1AD"),
            Map.entry("sll", "SLL"),
            Map.entry("raw", "Raw"),
            Map.entry("arp", "ARP/RARP"),
            Map.entry("ip", "IPv4"),
            Map.entry("ipv6", "IPv6"),
            Map.entry("ipv6.hopopts", "IPv6 Hop-by-Hop"),
            Map.entry("ipv6.routing", "IPv6 Routing"),
            Map.entry("ipv6.fraghdr", "IPv6 Fragment"),
            Map.entry("ipv6.dstopts", "IPv6 Destination"),
            Map.entry("icmp", "ICMP"),
            Map.entry("icmpv6", "ICMPv6"),
            Map.entry("tcp", "TCP"),
            Map.entry("tcp.segments", "TCP"),
            Map.entry("udp", "UDP"),
            Map.entry("http", "HTTP"),
            Map.entry("ssdp", "SSDP"),
            Map.entry("dns", "DNS"),
            Map.entry("mdns", "mDNS"),
            Map.entry("llmnr", "LLMNR"),
            Map.entry("dhcp", "DHCP"),
            Map.entry("dhcpv6", "DHCPv6"),
            Map.entry("ftp", "FTP"),
            Map.entry("ftp-data", "FTP-DATA"),
            Map.entry("smtp", "SMTP"),
            Map.entry("imf", "IMF"),
            Map.entry("tls", "TLS"),
            Map.entry("ntp", "NTP"),
            Map.entry("echo", "ECHO"),
            Map.entry("data", "Data"),
            Map.entry("media", "Media"),
            Map.entry("data-text-lines", "Line-based text data"),
            Map.entry("urlencoded-form", "URLENCODED-FORM"));

    private ExpertProtocols() {
    }

    /** The short name of the protocol whose top-level layer is named {@code layerName}; the layer name itself when unknown. */
    static String shortName(String layerName) {
        return SHORT_NAMES.getOrDefault(layerName, layerName);
    }
}
