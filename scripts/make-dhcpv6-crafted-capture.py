#!/usr/bin/env python3
"""Writes src/test/resources/dev/stacklab/dissect/dhcpv6-crafted.pcap: DHCPv6 messages that dhclient and dnsmasq do
not send in dhcpv6.pcap (scripts/make-ipv6-captures.sh), built byte by byte after RFC 8415: a relay agent's
Relay-forw carrying a Solicit (DUID-EN, Rapid Commit, IA_TA with an address, IA_PD without a prefix) and the server's
Relay-reply carrying the Reply (DUID-LL and DUID-UUID, IA_PD with an IA Prefix, status NoPrefixAvail, two DNS servers,
two search domains); Confirm, Renew, Rebind, Decline, Reconfigure, an Information-request with an unknown option and
one tshark does not decode, its Reply, and a relay of a relay. UDP checksums are correct.

    python3 scripts/make-dhcpv6-crafted-capture.py [OUTPUT-FILE]
"""
import ipaddress
import struct
import sys


def option(code, body):
    return struct.pack('!HH', code, len(body)) + body


def address(text):
    return ipaddress.IPv6Address(text).packed


def message(msg_type, transaction_id, options):
    return bytes([msg_type]) + transaction_id.to_bytes(3, 'big') + b''.join(options)


def relay(msg_type, hop_count, link, peer, options):
    return bytes([msg_type, hop_count]) + address(link) + address(peer) + b''.join(options)


def udp_checksum(source, destination, datagram):
    pseudo = address(source) + address(destination) + struct.pack('!IxxxB', len(datagram), 17)
    data = pseudo + datagram + (b'\0' if len(datagram) % 2 else b'')
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total & 0xFFFF) or 0xFFFF


def frame(source_mac, destination_mac, source, destination, source_port, destination_port, payload):
    datagram = struct.pack('!HHHH', source_port, destination_port, 8 + len(payload), 0) + payload
    datagram = datagram[:6] + struct.pack('!H', udp_checksum(source, destination, datagram)) + datagram[8:]
    hop_limit = 255 if destination.startswith('fe80') else 1
    ipv6 = struct.pack('!IHBB', 0x60000000, len(datagram), 17, hop_limit) + address(source) + address(destination)
    return bytes.fromhex(destination_mac) + bytes.fromhex(source_mac) + b'\x86\xdd' + ipv6 + datagram


CLIENT_MAC, SERVER_MAC, RELAY_MAC, ALL_SERVERS_MAC = '020056000001', '020056000002', '020056000003', '333300010002'
CLIENT, SERVER, RELAY, ALL_SERVERS = 'fe80::56ff:fe00:1', 'fe80::56ff:fe00:2', 'fe80::56ff:fe00:3', 'ff02::1:2'

client_llt = option(1, bytes.fromhex('0001000132a3cdd2020056000001'))
client_en = option(1, struct.pack('!HI', 2, 9) + bytes.fromhex('0c0c0c0c0001'))
client_ll = option(1, struct.pack('!HH', 3, 1) + bytes.fromhex(CLIENT_MAC))
server_uuid = option(2, struct.pack('!H', 4) + bytes.fromhex('7e2b6d3aa1b24c8f9d1e00112233aabb'))
server_llt = option(2, bytes.fromhex('0001000132a3cdce020056000002'))
option_request = option(6, struct.pack('!HHH', 23, 24, 82))
elapsed = option(8, struct.pack('!H', 150))
rapid_commit = option(14, b'')
ia_ta = option(4, bytes.fromhex('0a0b0c0d') + option(5, address('fd00:56::a11') + struct.pack('!II', 300, 600)))
ia_pd_hint = option(25, bytes.fromhex('00000001') + struct.pack('!II', 0, 0))
ia_pd = option(25, bytes.fromhex('00000001') + struct.pack('!II', 1800, 2880)
               + option(26, struct.pack('!IIB', 3600, 7200, 56) + address('2001:db8:100::')))
ia_na = option(3, bytes.fromhex('56000001') + struct.pack('!II', 0, 0)
               + option(5, address('fd00:56::162') + struct.pack('!II', 7200, 7500)))
no_prefix = option(13, struct.pack('!H', 6) + b'no prefixes')
success = option(13, struct.pack('!H', 0))
dns_servers = option(23, address('fd00:56::2') + address('2001:4860:4860::8888'))
search_list = option(24, b'\x03lab\x07example\x00\x04corp\x07example\x03com\x00')
interface_id = option(18, b'eth0')
unknown = option(200, bytes.fromhex('deadbeef'))
sol_max_rt = option(82, struct.pack('!I', 3600))
preference = option(7, b'\xff')

solicit = message(1, 0x1a2b3c, [client_en, option_request, elapsed, rapid_commit, ia_ta, ia_pd_hint])
reply = message(7, 0x1a2b3c, [client_ll, server_uuid, rapid_commit, ia_pd, no_prefix, dns_servers, search_list])
relayed_twice = relay(12, 0, '2001:db8:1::1', CLIENT, [option(9, message(11, 0x0a0b0c, [client_llt]))])
frames = [
    (RELAY_MAC, ALL_SERVERS_MAC, RELAY, ALL_SERVERS, 547, 547,
     relay(12, 0, '2001:db8::1', CLIENT, [interface_id, option(9, solicit)])),
    (SERVER_MAC, RELAY_MAC, SERVER, RELAY, 547, 547, relay(13, 0, '2001:db8::1', CLIENT, [interface_id, option(9, reply)])),
    (CLIENT_MAC, ALL_SERVERS_MAC, CLIENT, ALL_SERVERS, 546, 547, message(4, 0x000001, [client_llt, elapsed, ia_na])),
    (CLIENT_MAC, ALL_SERVERS_MAC, CLIENT, ALL_SERVERS, 546, 547,
     message(5, 0x000002, [client_llt, server_llt, elapsed, ia_na, option_request])),
    (CLIENT_MAC, ALL_SERVERS_MAC, CLIENT, ALL_SERVERS, 546, 547, message(6, 0x000003, [client_llt, elapsed, ia_na])),
    (CLIENT_MAC, ALL_SERVERS_MAC, CLIENT, ALL_SERVERS, 546, 547, message(9, 0x000004, [client_llt, server_llt, elapsed, ia_na])),
    (SERVER_MAC, CLIENT_MAC, SERVER, CLIENT, 547, 546, message(10, 0x000000, [server_llt, client_llt, option(19, b'\x05')])),
    (CLIENT_MAC, ALL_SERVERS_MAC, CLIENT, ALL_SERVERS, 546, 547,
     message(11, 0xabcdef, [client_llt, elapsed, option_request, unknown, sol_max_rt, preference])),
    (SERVER_MAC, CLIENT_MAC, SERVER, CLIENT, 547, 546, message(7, 0xabcdef, [server_llt, client_llt, success, dns_servers, search_list])),
    (RELAY_MAC, ALL_SERVERS_MAC, RELAY, ALL_SERVERS, 547, 547, relay(12, 1, '2001:db8:2::1', RELAY, [option(9, relayed_twice)])),
]

output = sys.argv[1] if len(sys.argv) > 1 else 'src/test/resources/dev/stacklab/dissect/dhcpv6-crafted.pcap'
with open(output, 'wb') as out:
    out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))  # pcap, microseconds, LINKTYPE_ETHERNET
    start = 1764748800  # 2025-12-03 08:00:00 UTC
    for number, fields in enumerate(frames):
        data = frame(*fields)
        out.write(struct.pack('<IIII', start + number, 1000 * number, len(data), len(data)) + data)
