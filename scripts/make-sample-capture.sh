#!/usr/bin/env bash
# Makes stacklab's sample capture (src/main/resources/dev/stacklab/capture/stacklab-sample.pcap, what
# `decode --sample` reads): real Linux kernel traffic between two network namespaces joined by a veth pair,
# captured by tcpdump on namespace a's end. ARP, a ping, a 3000-byte ping in fragments, a TCP connection with
# data both ways and a close, a refused TCP connection, and UDP to a closed port.
#
#   sudo scripts/make-sample-capture.sh [OUTPUT]      (as root already: without sudo)
#
# Needs root, iproute2, ethtool, tcpdump, iputils-ping, netcat-openbsd and procps (ss). The namespaces exist
# only while it runs; the traffic never leaves them.
set -euo pipefail

output=${1:-$(dirname "$0")/../src/main/resources/dev/stacklab/capture/stacklab-sample.pcap}
a=sl-sample-$$-a
b=sl-sample-$$-b
dev_a=slsmp$$a
dev_b=slsmp$$b
tcpdump_pid=
work=$(mktemp -d)

cleanup() {
    [ -n "$tcpdump_pid" ] && kill "$tcpdump_pid" 2>/dev/null || true
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# One quiet kernel end: no IPv6 chatter, fixed MAC (so regenerating changes only times and ports), offloads off
# so that what crosses the veth is what a wire would carry.
configure() {
    local ns=$1 dev=$2 mac=$3 address=$4
    for key in all default lo; do
        ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$key.disable_ipv6=1"
    done
    ip -n "$ns" link set "$dev" address "$mac"
    ip -n "$ns" addr add "$address/24" dev "$dev"
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$dev" up
    ip netns exec "$ns" ethtool -K "$dev" tx off tso off gso off >/dev/null
}

ip netns add "$a"
ip netns add "$b"
ip link add "$dev_a" netns "$a" type veth peer name "$dev_b" netns "$b"
configure "$a" "$dev_a" 02:00:0a:4d:00:01 10.77.0.1
configure "$b" "$dev_b" 02:00:0a:4d:00:02 10.77.0.2

# Immediate mode and -U: every frame reaches the file before tcpdump is stopped.
ip netns exec "$a" tcpdump --immediate-mode -U -Z root -n -i "$dev_a" -w "$work/sample.pcap" 2>"$work/tcpdump.log" &
tcpdump_pid=$!
for _ in $(seq 200); do grep -q "listening on" "$work/tcpdump.log" && break; sleep 0.05; done
grep -q "listening on" "$work/tcpdump.log" || { cat "$work/tcpdump.log" >&2; exit 1; }

in_a() { ip netns exec "$a" "$@"; }
in_b() { ip netns exec "$b" "$@"; }

in_a ping -c 1 -q 10.77.0.2 >/dev/null                  # ARP who-has and reply, then the echo request and reply
in_a ping -c 1 -q -s 3000 10.77.0.2 >/dev/null          # 3028 bytes of IPv4: three fragments each way
# A TCP connection: the client sends "hello", the server answers "world", both close.
in_b sh -c "printf 'world\n' | nc -l -N 10.77.0.2 8080 >/dev/null" &
server=$!
for _ in $(seq 200); do in_b ss -ltn | grep -q ':8080 ' && break; sleep 0.05; done
in_a sh -c "printf 'hello\n' | nc -N -w 2 10.77.0.2 8080 >/dev/null"
wait "$server"
in_a nc -z -w 1 10.77.0.2 8081 || true                # nobody listens: SYN, then RST
in_a sh -c "printf 'x\n' | nc -u -w 1 10.77.0.2 9999" || true   # nobody listens: ICMP port unreachable

kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
tcpdump_pid=
cp "$work/sample.pcap" "$output"
echo "wrote $output ($(stat -c %s "$output") bytes)"
