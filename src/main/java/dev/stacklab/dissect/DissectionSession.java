package dev.stacklab.dissect;

/**
 * What a capture's frames share across frames: time references, IP fragments waiting for
 * reassembly, who claimed which address in ARP, and TCP conversations (for relative sequence numbers and analysis). Each table is
 * bounded, so a capture of any size dissects in bounded memory.
 */
final class DissectionSession {
    long firstTimestampNanos = Long.MIN_VALUE;
    long previousTimestampNanos = Long.MIN_VALUE;
    /** The latest frame shown to the user (not filtered out), or MIN_VALUE before the first. */
    long previousDisplayedTimestampNanos = Long.MIN_VALUE;
    /** What {@link #previousDisplayedTimestampNanos} was before the latest frame, in case it is filtered out. */
    long displayedBeforeLatestNanos = Long.MIN_VALUE;
    final Ipv4Reassembly ipv4Reassembly = new Ipv4Reassembly();
    /** IPv6 fragments, keyed as IPv4's are with the addresses' {@link #ipv6Ids} (RFC 8200 section 4.5). */
    final Ipv4Reassembly ipv6Reassembly = new Ipv4Reassembly();
    final Ipv6AddressIds ipv6Ids = new Ipv6AddressIds();
    final TcpConversations tcpConversations = new TcpConversations();
    final TcpPduReassembly tcpPduReassembly = new TcpPduReassembly();
    /** Data connections FTP control connections announced, by server address and port (bounded, oldest forgotten). */
    final java.util.Map<Long, FtpDissector.DataConnection> ftpDataConnections = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, FtpDissector.DataConnection> eldest) {
            return size() > 1024;
        }
    };
    final UdpConversations udpConversations = new UdpConversations();
    final IcmpTransactions icmpTransactions = new IcmpTransactions();
    final DnsTransactions dnsTransactions = new DnsTransactions();
    final IcmpTransactions icmpv6Transactions = new IcmpTransactions();
    final AddressTexts addressTexts = new AddressTexts();
    final ArpAddressClaims arpAddressClaims = new ArpAddressClaims();
}
