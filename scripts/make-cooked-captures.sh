#!/usr/bin/env bash
# Makes the link-type test captures in src/test/resources/dev/stacklab/dissect/: what `tcpdump -i any` writes on
# Linux, Linux cooked captures v2 (cooked-v2.pcap, tcpdump's default for "any") and v1 (cooked-v1.pcap, -y LINUX_SLL),
# of real kernel traffic in namespace a: ARP, pings to namespace b over a veth pair and on a's loopback, a TCP
# connection with data both ways, UDP to a closed port (the ICMP error). Then the same frames as raw IP, cut from an
# Ethernet capture of the veth: LINKTYPE_RAW (raw-ip.pcap) and, by editcap, LINKTYPE_IPV4 (raw-ipv4.pcapng).
#
#   sudo scripts/make-cooked-captures.sh [OUTPUT-DIRECTORY]
#
# Needs root, iproute2, ethtool, tcpdump, editcap (wireshark-common), iputils-ping, netcat-openbsd and procps.
set -euo pipefail

output=${1:-$(dirname "$0")/../src/test/resources/dev/stacklab/dissect}
a=sl-cook-$$-a
b=sl-cook-$$-b
tcpdumps=()
work=$(mktemp -d)

cleanup() {
    for pid in "${tcpdumps[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

configure() {
    local ns=$1 dev=$2 mac=$3 address=$4
    for key in all default lo; do ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$key.disable_ipv6=1"; done
    ip -n "$ns" link set "$dev" address "$mac"
    ip -n "$ns" addr add "$address/24" dev "$dev"
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$dev" up
    ip netns exec "$ns" ethtool -K "$dev" tx off tso off gso off >/dev/null
}

ip netns add "$a"
ip netns add "$b"
ip link add cook$$a netns "$a" type veth peer name cook$$b netns "$b"
configure "$a" cook$$a 02:00:0a:4f:00:01 10.79.0.1
configure "$b" cook$$b 02:00:0a:4f:00:02 10.79.0.2

capture() {   # file, then tcpdump's options
    local file=$1
    shift
    ip netns exec "$a" tcpdump --immediate-mode -U -Z root -n "$@" -w "$work/$file" 2>"$work/$file.log" &
    tcpdumps+=($!)
    for _ in $(seq 200); do grep -q "listening on" "$work/$file.log" && return 0; sleep 0.05; done
    cat "$work/$file.log" >&2
    exit 1
}
capture cooked-v2.pcap -i any
capture cooked-v1.pcap -i any -y LINUX_SLL
capture ethernet.pcap -i cook$$a

in_a() { ip netns exec "$a" "$@"; }
in_a ping -c 1 -q 10.79.0.2 >/dev/null
in_a ping -c 1 -q 127.0.0.1 >/dev/null
ip netns exec "$b" sh -c "printf 'world\n' | nc -l -N 10.79.0.2 40123 >/dev/null" &
server=$!
for _ in $(seq 200); do ip netns exec "$b" ss -ltn | grep -q ':40123 ' && break; sleep 0.05; done
in_a sh -c "printf 'hello\n' | nc -N -w 2 10.79.0.2 40123 >/dev/null"
wait "$server"
in_a sh -c "printf 'x\n' | nc -u -w 1 10.79.0.2 9999" || true

sleep 0.2
for pid in "${tcpdumps[@]}"; do kill -INT "$pid"; wait "$pid" || true; done
tcpdumps=()
cp "$work/cooked-v2.pcap" "$work/cooked-v1.pcap" "$output/"
# Raw IP: the IP frames of the Ethernet capture without their 14-byte Ethernet headers (both lengths cut, as a raw IP
# capture records them), as pcap with LINKTYPE_RAW, then as pcapng with LINKTYPE_IPV4.
python3 - "$work/ethernet.pcap" "$output/raw-ip.pcap" <<'PYTHON'
import struct, sys
data = open(sys.argv[1], 'rb').read()
order = '<' if data[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
magic, major, minor, zone, sigfigs, snap, _ = struct.unpack(order + 'IHHiIII', data[:24])
out = [struct.pack(order + 'IHHiIII', magic, major, minor, zone, sigfigs, snap, 101)]
at = 24
while at + 16 <= len(data):
    seconds, fraction, captured, original = struct.unpack(order + 'IIII', data[at:at + 16])
    frame = data[at + 16:at + 16 + captured]
    at += 16 + captured
    if frame[12:14] == b'\x08\x00':
        out.append(struct.pack(order + 'IIII', seconds, fraction, captured - 14, original - 14) + frame[14:])
open(sys.argv[2], 'wb').write(b''.join(out))
PYTHON
editcap -T rawip4 -F pcapng "$output/raw-ip.pcap" "$output/raw-ipv4.pcapng"
ls -l "$output"/cooked-v?.pcap "$output"/raw-ip*.pcap*
