#!/usr/bin/env bash
# Makes the IPv6 test captures in src/test/resources/dev/stacklab/dissect/ from real kernel traffic between three
# namespaces: a (the host), b (a router running dnsmasq for Router Advertisements and DHCPv6) and c (a host behind b
# on a link with an MTU of 1280).
#
#   ipv6-kernel.pcap   a's veth, Ethernet: a's interface coming up (Duplicate Address Detection's Neighbor
#                      Solicitations from ::, MLDv2 reports with their hop-by-hop Router Alert, Router Solicitation),
#                      dnsmasq's Router Advertisement and SLAAC, Neighbor Solicitation/Advertisement, ping -6 to a
#                      global, a link-local and the all-nodes address, ping -6 -s 3000 (fragments), ping -6 -t 1
#                      through b (Time Exceeded), ping -6 -s 1400 -M do through b (Packet Too Big), UDP to a closed
#                      port (Port Unreachable quoting it), a TCP connection with data both ways, an MLDv1 join and
#                      leave (force_mld_version=1), and frames python sends on a raw socket for what the kernel sends
#                      unasked for: MLDv1 and v2 queries, a Redirect, an echo request with destination options
#                      holding an unknown option b answers with a Parameter Problem, a routing header (type 0, which b
#                      answers with a Parameter Problem), an unsolicited Neighbor Advertisement.
#   dhcpv6.pcap        a's veth: dhclient -6 against dnsmasq (Solicit, Advertise, Request, Reply), then its Release.
#   ipv6-cooked.pcap   tcpdump -i any in a (Linux cooked capture v2): pings to b and to ::1, UDP and TCP.
#   raw-ipv6.pcap      the IPv6 frames of ipv6-kernel.pcap without their Ethernet headers, LINKTYPE_RAW;
#   raw-ipv6.pcapng    the same as LINKTYPE_IPV6 in pcapng (editcap), with packet flags (direction: inbound or
#                      outbound, as seen from a) and comments on a few packets.
#
#   sudo scripts/make-ipv6-captures.sh [OUTPUT-DIRECTORY]
#
# Needs root, iproute2, ethtool, tcpdump, editcap (wireshark-common), iputils-ping, netcat-openbsd, dnsmasq
# (dnsmasq-base), dhclient (isc-dhcp-client), python3 and procps. The namespaces exist only while it runs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
output=${1:-$here/../src/test/resources/dev/stacklab/dissect}
a=sl-v6-$$-a
b=sl-v6-$$-b
c=sl-v6-$$-c
pids=()
work=$(mktemp -d)

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
    ip netns del "$c" 2>/dev/null || true
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

in_a() { ip netns exec "$a" "$@"; }
in_b() { ip netns exec "$b" "$@"; }
in_c() { ip netns exec "$c" "$@"; }

for ns in "$a" "$b" "$c"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    # IPv4 stays off the links: the captures hold IPv6 only.
done
ip link add v6a netns "$a" type veth peer name v6b netns "$b"
ip link add v6bc netns "$b" type veth peer name v6c netns "$c"
ip -n "$a" link set v6a address 02:00:56:00:00:01
ip -n "$b" link set v6b address 02:00:56:00:00:02
ip -n "$b" link set v6bc address 02:00:57:00:00:02
ip -n "$c" link set v6c address 02:00:57:00:00:03
for pair in "$a v6a" "$b v6b" "$b v6bc" "$c v6c"; do
    set -- $pair
    ip netns exec "$1" ethtool -K "$2" tx off tso off gso off >/dev/null
done
in_b sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$b" link set v6bc mtu 1280
ip -n "$c" link set v6c mtu 1280
ip -n "$b" addr add fd00:56::2/64 dev v6b nodad
ip -n "$b" addr add fd00:57::2/64 dev v6bc nodad
ip -n "$c" addr add fd00:57::3/64 dev v6c nodad
ip -n "$b" link set v6b up
ip -n "$b" link set v6bc up
ip -n "$c" link set v6c up
ip -n "$c" -6 route add default via fd00:57::2
# a takes its addresses from b's advertisements (SLAAC) and from DHCPv6; it must not route.
in_a sysctl -qw net.ipv6.conf.v6a.accept_ra=2
# tcpdump needs the link up: it comes up with IPv6 off, which is turned on once the captures run.
in_a sysctl -qw net.ipv6.conf.v6a.disable_ipv6=1
ip -n "$a" link set v6a up

ip netns exec "$b" dnsmasq --keep-in-foreground --no-resolv --no-hosts --port=0 --interface=v6b --bind-interfaces \
    --enable-ra --dhcp-range=fd00:56::100,fd00:56::1ff,slaac,64,1h --ra-param=v6b,mtu:1500,30,600 \
    --dhcp-option=option6:dns-server,[fd00:56::2] --dhcp-option=option6:domain-search,lab.example \
    --pid-file="$work/dnsmasq.pid" --dhcp-leasefile="$work/dnsmasq.leases" --log-facility="$work/dnsmasq.log" &
dnsmasq=$!
pids+=($dnsmasq)

capture() {   # namespace, file, then tcpdump's options
    local ns=$1 file=$2
    shift 2
    ip netns exec "$ns" tcpdump --immediate-mode -U -Z root -n "$@" -w "$work/$file" 2>"$work/$file.log" &
    pids+=($!)
    for _ in $(seq 200); do grep -q "listening on" "$work/$file.log" && return 0; sleep 0.05; done
    cat "$work/$file.log" >&2
    exit 1
}
wait_for() {   # what, then a command that succeeds once it is so
    local what=$1
    shift
    for _ in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
    echo "timed out waiting for $what" >&2
    exit 1
}

capture "$a" ipv6-kernel.pcap -i v6a 'not (udp port 546 or udp port 547)'
capture "$a" dhcpv6.pcap -i v6a 'udp port 546 or udp port 547'
capture "$a" ipv6-cooked.pcap -i any 'not (udp port 546 or udp port 547) and (not icmp6 or icmp6[0] == 128 or icmp6[0] == 129)'

# IPv6 comes up on a: DAD, MLDv2 reports, Router Solicitation; dnsmasq answers with an advertisement; SLAAC.
in_a sysctl -qw net.ipv6.conf.v6a.disable_ipv6=0
wait_for "a's SLAAC address" sh -c "ip -n $a -6 addr show dev v6a | grep -q 'inet6 fd00:56::.*scope global' \
    && ! ip -n $a -6 addr show dev v6a | grep -q tentative"
link_local_a=$(ip -n "$a" -6 addr show dev v6a scope link | sed -n 's/.*inet6 \([^/]*\).*/\1/p')
link_local_b=$(ip -n "$b" -6 addr show dev v6b scope link | sed -n 's/.*inet6 \([^/]*\).*/\1/p')

# DHCPv6, then its release.
in_a dhclient -6 -1 -sf /bin/true -lf "$work/dhclient.leases" -pf "$work/dhclient.pid" v6a
in_a dhclient -6 -r -sf /bin/true -lf "$work/dhclient.leases" -pf "$work/dhclient.pid" v6a

in_a ping -6 -c 2 -i 0.2 -q fd00:56::2 >/dev/null
in_a ping -6 -c 1 -q "$link_local_b%v6a" >/dev/null
in_a ping -6 -c 1 -q ff02::1%v6a >/dev/null
in_a ping -6 -c 1 -q ::1 >/dev/null
in_a ping -6 -c 1 -s 3000 -q fd00:56::2 >/dev/null
in_a ip -6 route add fd00:57::/64 via fd00:56::2
in_a ping -6 -c 1 -t 1 -q fd00:57::3 >/dev/null || true
in_a ping -6 -c 1 -s 1400 -M do -q fd00:57::3 >/dev/null || true
in_a sh -c "printf 'x\n' | nc -6 -u -w 1 fd00:56::2 9999" || true
in_b sh -c "printf 'world\n' | nc -6 -l -N fd00:56::2 40123 >/dev/null" &
server=$!
wait_for "the TCP server" sh -c "ip netns exec $b ss -ltn | grep -q ':40123 '"
in_a sh -c "printf 'hello\n' | nc -6 -N -w 2 fd00:56::2 40123 >/dev/null"
wait "$server"

# MLDv1: a joins and leaves a group with the older protocol forced.
in_a sysctl -qw net.ipv6.conf.v6a.force_mld_version=1
in_a python3 - <<'PYTHON'
import socket, struct, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
index = socket.if_nametoindex('v6a')
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, 'ff02::1:3') + struct.pack('@I', index))
time.sleep(0.3)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_LEAVE_GROUP, socket.inet_pton(socket.AF_INET6, 'ff02::1:3') + struct.pack('@I', index))
time.sleep(0.3)
PYTHON
in_a sysctl -qw net.ipv6.conf.v6a.force_mld_version=0

# What the kernel does not send here unasked: put on a's veth with a raw socket.
global_a=$(ip -n "$a" -6 addr show dev v6a scope global | sed -n 's/.*inet6 \(fd00:56::[^/]*\).*mngtmpaddr.*/\1/p' | head -1)
in_a python3 - "$link_local_b" "$link_local_a" "$global_a" <<'PYTHON'
import socket, struct, sys, time
def checksum(data):
    if len(data) % 2: data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16: total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff
def address(text): return socket.inet_pton(socket.AF_INET6, text)
def icmp6(source, destination, message):
    pseudo = source + destination + struct.pack('!IxxxB', len(message), 58)
    return message[:2] + struct.pack('!H', checksum(pseudo + message[:2] + b'\0\0' + message[4:])) + message[4:]
def ipv6(source, destination, next_header, payload, hop_limit=64, flow=0):
    return struct.pack('!IHBB', 0x60000000 | flow, len(payload), next_header, hop_limit) + source + destination + payload
mac_a, mac_b = bytes.fromhex('020056000001'), bytes.fromhex('020056000002')
ll_a, ll_b = address(sys.argv[2]), address(sys.argv[1])
global_a, global_b = address(sys.argv[3]), address('fd00:56::2')
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('v6a', 0))
def send(destination_mac, packet):
    s.send(destination_mac + mac_a + b'\x86\xdd' + packet)
    time.sleep(0.05)
all_nodes, all_nodes_mac = address('ff02::1'), bytes.fromhex('333300000001')
router_alert = bytes([58, 0, 5, 2, 0, 0, 1, 0])   # hop-by-hop: next ICMPv6, Router Alert (MLD), PadN
# MLDv1 general query, MLDv2 general query and a group-and-source-specific one.
query1 = icmp6(ll_a, all_nodes, struct.pack('!BBHHH16s', 130, 0, 0, 10000, 0, bytes(16)))
send(all_nodes_mac, ipv6(ll_a, all_nodes, 0, router_alert + query1, hop_limit=1))
query2 = icmp6(ll_a, all_nodes, struct.pack('!BBHHH16sBBH', 130, 0, 0, 10000, 0, bytes(16), 2, 125, 0))
send(all_nodes_mac, ipv6(ll_a, all_nodes, 0, router_alert + query2, hop_limit=1))
group = address('ff02::1:3')
query3 = icmp6(ll_a, group, struct.pack('!BBHHH16sBBH16s16s', 130, 0, 0, 1000, 0, group, 0x0a, 60, 2,
                                        address('fd00:56::2'), address('fd00:56::7')))
send(bytes.fromhex('333300010003'), ipv6(ll_a, group, 0, router_alert + query3, hop_limit=1))
# A Redirect (as a router would send) with target and destination, its target's link-layer address and the
# redirected header quoting the start of a packet.
quoted = ipv6(global_b, address('fd00:57::3'), 58, icmp6(global_b, address('fd00:57::3'),
                                                          struct.pack('!BBHHH', 128, 0, 0, 0x77, 1) + b'redirected'))
redirect_body = struct.pack('!BBHI16s16s', 137, 0, 0, 0, ll_b, address('fd00:57::3')) + bytes([2, 1]) + mac_b
quoted = quoted[:40 + 8]
padded = quoted + bytes(-len(quoted) % 8)
redirect_body += bytes([4, 1 + len(padded) // 8]) + bytes(6) + padded
send(mac_b, ipv6(ll_a, ll_b, 58, icmp6(ll_a, ll_b, redirect_body), hop_limit=255))
# An unsolicited Neighbor Advertisement (override, to all nodes) with the target's link-layer address.
na = struct.pack('!BBHI16s', 136, 0, 0, 0x20000000, global_a) + bytes([2, 1]) + mac_a
send(all_nodes_mac, ipv6(global_a, all_nodes, 58, icmp6(global_a, all_nodes, na), hop_limit=255))
# An echo request carrying destination options: PadN, an unknown option whose type says "discard and answer with a
# Parameter Problem" (b does), then a jumbo-free Pad1 run; and one with hop-by-hop and destination options b accepts.
echo = icmp6(global_a, global_b, struct.pack('!BBHHH', 128, 0, 0, 0x4242, 1) + b'options')
destination_options = bytes([58, 1, 1, 2, 0, 0, 0xc2 & 0x3f | 0x80, 4, 1, 2, 3, 4, 0, 0, 0, 0])
send(mac_b, ipv6(global_a, global_b, 60, destination_options + echo))
echo2 = icmp6(global_a, global_b, struct.pack('!BBHHH', 128, 0, 0, 0x4242, 2) + b'options')
hop_by_hop = bytes([60, 0, 1, 4, 0, 0, 0, 0])
accepted_options = bytes([58, 0, 1, 4, 0, 0, 0, 0])
send(mac_b, ipv6(global_a, global_b, 0, hop_by_hop + accepted_options + echo2, flow=0x12345))
# A type 0 routing header (deprecated by RFC 5095: b answers with a Parameter Problem).
echo3 = icmp6(global_a, address('fd00:57::3'), struct.pack('!BBHHH', 128, 0, 0, 0x4242, 3) + b'routed')
routing = bytes([58, 2, 0, 1, 0, 0, 0, 0]) + address('fd00:57::3')
send(mac_b, ipv6(global_a, global_b, 43, routing + echo3))
# A segment routing header (type 4) with two segments left to visit, which b drops (seg6 is off).
srh = bytes([58, 4, 4, 1, 1, 0, 0, 0]) + address('fd00:57::3') + address('fd00:56::2')
echo4 = icmp6(global_a, address('fd00:57::3'), struct.pack('!BBHHH', 128, 0, 0, 0x4242, 4) + b'segments')
send(mac_b, ipv6(global_a, global_b, 43, srh + echo4))
time.sleep(0.3)
PYTHON

sleep 0.3
kill "$dnsmasq"
for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()
cp "$work/ipv6-kernel.pcap" "$work/dhcpv6.pcap" "$work/ipv6-cooked.pcap" "$output/"

# Raw IPv6: the IPv6 frames of the Ethernet capture without their 14-byte Ethernet headers, as pcap with
# LINKTYPE_RAW; then as pcapng with LINKTYPE_IPV6, where python sets each packet's direction flag (inbound when
# b's MAC address sent it, outbound otherwise) and editcap adds comments to packets 1 and 3.
python3 - "$work/ipv6-kernel.pcap" "$output/raw-ipv6.pcap" "$work/directions" <<'PYTHON'
import struct, sys
data = open(sys.argv[1], 'rb').read()
order = '<' if data[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
magic, major, minor, zone, sigfigs, snap, _ = struct.unpack(order + 'IHHiIII', data[:24])
out = [struct.pack(order + 'IHHiIII', magic, major, minor, zone, sigfigs, snap, 101)]
directions = []
at = 24
while at + 16 <= len(data):
    seconds, fraction, captured, original = struct.unpack(order + 'IIII', data[at:at + 16])
    frame = data[at + 16:at + 16 + captured]
    at += 16 + captured
    if frame[12:14] == b'\x86\xdd':
        out.append(struct.pack(order + 'IIII', seconds, fraction, captured - 14, original - 14) + frame[14:])
        directions.append('in' if frame[6:12] != bytes.fromhex('020056000001') else 'out')
open(sys.argv[2], 'wb').write(b''.join(out))
open(sys.argv[3], 'w').write('\n'.join(directions))
PYTHON
editcap -T rawip6 -F pcapng -a '1:Duplicate Address Detection starts' -a '3:a second comment' \
    -a '3:and a third' "$output/raw-ipv6.pcap" "$work/raw-ipv6.pcapng"
python3 - "$work/raw-ipv6.pcapng" "$output/raw-ipv6.pcapng" "$work/directions" <<'PYTHON'
import struct, sys
data = open(sys.argv[1], 'rb').read()
directions = open(sys.argv[3]).read().split('\n')
order = '<' if data[8:12] == b'\x4d\x3c\x2b\x1a' else '>'
out, at, packet = [], 0, 0
while at < len(data):
    block_type, length = struct.unpack(order + 'II', data[at:at + 8])
    block = data[at:at + length]
    at += length
    if block_type == 6:
        captured = struct.unpack(order + 'I', block[20:24])[0]
        options_at = 28 + (captured + 3) // 4 * 4
        flags = 1 if directions[packet] == 'in' else 2
        # epb_flags (option 2): bits 0-1 say the direction; the other options (comments) follow, then the end.
        options = struct.pack(order + 'HHI', 2, 4, flags) + (block[options_at:length - 4] or bytes(4))
        body = block[8:options_at] + options
        block = struct.pack(order + 'II', 6, len(body) + 12) + body + struct.pack(order + 'I', len(body) + 12)
        packet += 1
    out.append(block)
open(sys.argv[2], 'wb').write(b''.join(out))
PYTHON
ls -l "$output"/ipv6-kernel.pcap "$output"/dhcpv6.pcap "$output"/ipv6-cooked.pcap "$output"/raw-ipv6.pcap*
