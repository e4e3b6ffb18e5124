#!/usr/bin/env bash
# Makes the TCP analysis test captures (src/test/resources/dev/stacklab/dissect/tcp-analysis-client.pcap and
# tcp-analysis-server.pcap): real Linux kernel TCP between namespaces a (10.78.0.1, client) and b (10.78.0.2,
# server), joined through namespace m where scripts/lossy-bridge.py drops, reorders and duplicates data segments
# (tc netem is not in this kernel). tcpdump captures on a's end and on b's end at once.
#   1. a connection set up before the captures start, then used: window scale unknown (-1)
#   2. 200 kB of random bytes from a python server through the lossy bridge: retransmissions, fast
#      retransmissions, spurious retransmissions, out-of-order, previous segment not captured, dup ACKs with SACK
#   3. a receiver that does not read (small SO_RCVBUF): window full, zero window, zero-window probes and their
#      ACKs, window update
#   4. an idle connection with SO_KEEPALIVE after 1 s: keep-alives and their ACKs
#   5. 20 kB more with window scaling off in a (net.ipv4.tcp_window_scaling=0): no window scaling used (-2)
# and tcp-analysis-missed.pcap, a's capture with two data segments of 2. cut out (editcap): ACKed unseen segments.
#
#   sudo scripts/make-tcp-analysis-captures.sh [OUTPUT-DIRECTORY]
#
# Needs root, iproute2, ethtool, tcpdump, tshark and editcap (tshark, wireshark-common), netcat-openbsd, python3
# and procps. The namespaces exist only while it runs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
output=${1:-$here/../src/test/resources/dev/stacklab/dissect}
a=sl-tcpa-$$-a
m=sl-tcpa-$$-m
b=sl-tcpa-$$-b
pids=()
work=$(mktemp -d)

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$m" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

quiet() {
    local ns=$1
    for key in all default lo; do ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$key.disable_ipv6=1"; done
    ip -n "$ns" link set lo up
}
offloads_off() { ip netns exec "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null; }

for ns in "$a" "$m" "$b"; do ip netns add "$ns"; quiet "$ns"; done
ip link add tcpa$$a netns "$a" type veth peer name tcpa$$ma netns "$m"
ip link add tcpa$$b netns "$b" type veth peer name tcpa$$mb netns "$m"
ip -n "$a" link set tcpa$$a address 02:00:0a:4e:00:01
ip -n "$b" link set tcpa$$b address 02:00:0a:4e:00:02
ip -n "$a" addr add 10.78.0.1/24 dev tcpa$$a
ip -n "$b" addr add 10.78.0.2/24 dev tcpa$$b
for pair in "$a tcpa$$a" "$b tcpa$$b" "$m tcpa$$ma" "$m tcpa$$mb"; do
    set -- $pair
    ip -n "$1" link set "$2" up
    offloads_off "$1" "$2"
done

bridge() {   # seed loss reorder duplicate
    ip netns exec "$m" python3 "$here/lossy-bridge.py" tcpa$$ma tcpa$$mb "$@" &
    bridge_pid=$!
    pids+=("$bridge_pid")
}
bridge 1 0 0 0
in_a() { ip netns exec "$a" "$@"; }
wait_listen() { for _ in $(seq 200); do ip netns exec "$b" ss -ltn | grep -q ":$1 " && return 0; sleep 0.05; done; return 1; }
for _ in $(seq 100); do ip netns exec "$a" ping -c 1 -W 0.2 10.78.0.2 >/dev/null 2>&1 && break; done

# 1. A connection opened before the captures: its SYNs are never seen.
ip netns exec "$b" python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.78.0.2", 7001)); s.listen()
c, _ = s.accept()
while True:
    data = c.recv(4096)
    if not data: break
    c.sendall(data.upper())
' &
pids+=($!)
wait_listen 7001
mkfifo "$work/go"
ip netns exec "$a" python3 -c '
import socket, sys
s = socket.create_connection(("10.78.0.2", 7001))
print("connected", flush=True)
open(sys.argv[1]).read()
for word in (b"early", b"connection", b"seen from the middle"):
    s.sendall(word); s.recv(4096)
s.close()
' "$work/go" >"$work/early.log" &
early=$!
pids+=("$early")
for _ in $(seq 200); do grep -q connected "$work/early.log" && break; sleep 0.05; done
grep -q connected "$work/early.log"

ip netns exec "$a" tcpdump --immediate-mode -U -Z root -n -i tcpa$$a -w "$work/client.pcap" 2>"$work/tcpdump-a.log" &
tcpdumps=($!)
ip netns exec "$b" tcpdump --immediate-mode -U -Z root -n -i tcpa$$b -w "$work/server.pcap" 2>"$work/tcpdump-b.log" &
tcpdumps+=($!)
pids+=("${tcpdumps[@]}")
for log in "$work/tcpdump-a.log" "$work/tcpdump-b.log"; do
    for _ in $(seq 200); do grep -q "listening on" "$log" && break; sleep 0.05; done
    grep -q "listening on" "$log" || { cat "$log" >&2; exit 1; }
done

echo go > "$work/go"
wait "$early"

# 2. A download through the lossy bridge. Not HTTP: tshark would reassemble HTTP, which is another dissector's work
# ("[TCP segment of a reassembled PDU]"); the client asks for a number of random bytes in a line, then reads them.
ip netns exec "$b" python3 -c '
import os, socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.78.0.2", 28000)); s.listen()
while True:
    c, _ = s.accept()
    size = int(c.makefile("rb").readline())
    c.sendall(os.urandom(size))
    c.close()
' &
pids+=($!)
wait_listen 28000
kill "$bridge_pid"; wait "$bridge_pid" 2>/dev/null || true
bridge 10 0.03 0.02 0.02
printf '200000\n' | in_a nc -N 10.78.0.2 28000 >/dev/null
kill "$bridge_pid"; wait "$bridge_pid" 2>/dev/null || true
bridge 1 0 0 0

# 3. A receiver that stops reading: its window fills and closes; the sender probes; then it reads everything.
ip netns exec "$b" python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.bind(("10.78.0.2", 7003)); s.listen()
c, _ = s.accept()
time.sleep(1.5)
while c.recv(65536): pass
' &
receiver=$!
pids+=("$receiver")
wait_listen 7003
in_a python3 -c '
import socket
s = socket.create_connection(("10.78.0.2", 7003))
s.sendall(b"z" * 60000)
s.close()
'
wait "$receiver"

# 4. An idle connection with keep-alives every second.
ip netns exec "$b" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.78.0.2", 7004)); s.listen()
c, _ = s.accept()
while c.recv(4096): pass
' &
idle=$!
pids+=("$idle")
wait_listen 7004
in_a python3 -c '
import socket, time
s = socket.create_connection(("10.78.0.2", 7004))
s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
s.sendall(b"hello")
time.sleep(3.6)
s.close()
'
wait "$idle"

# 5. Window scaling off on the client's side.
in_a sysctl -qw net.ipv4.tcp_window_scaling=0
printf '20000\n' | in_a nc -N 10.78.0.2 28000 >/dev/null

sleep 0.3
# tcpdump writes out what it holds on SIGINT; the python servers (started in the background, so deaf to SIGINT) get
# SIGTERM from cleanup.
for pid in "${tcpdumps[@]}"; do kill -INT "$pid"; wait "$pid" || true; done
cp "$work/client.pcap" "$output/tcp-analysis-client.pcap"
# 6. The client's capture with two of the download's data segments left out, as when a capture misses frames:
# ACKs of segments never seen.
missing=$(tshark -r "$work/client.pcap" -Y 'tcp.srcport == 28000 && tcp.len > 0' -T fields -e frame.number 2>/dev/null | sed -n '20p;40p')
editcap "$work/client.pcap" "$output/tcp-analysis-missed.pcap" $missing
cp "$work/server.pcap" "$output/tcp-analysis-server.pcap"
echo "wrote $output/tcp-analysis-client.pcap ($(stat -c %s "$output/tcp-analysis-client.pcap") bytes)" \
    "and $output/tcp-analysis-server.pcap ($(stat -c %s "$output/tcp-analysis-server.pcap") bytes)"
