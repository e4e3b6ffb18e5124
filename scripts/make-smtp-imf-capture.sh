#!/usr/bin/env bash
# Makes src/test/resources/dev/stacklab/dissect/smtp-imf.pcap: curl's smtp:// in namespace a sending python3's smtpd in
# namespace b (10.86.0.1 -> 10.86.0.2, port 25) a message with more to show than smtp.pcap's: a date, a display name,
# two recipients and a copy, a message ID, a subject folded over two lines, a field tshark does not know, and a body of
# 4,000 bytes and more that TCP carries in several segments. Captured with tcpdump on a's end.
#
#   sudo scripts/make-smtp-imf-capture.sh [OUTPUT-DIRECTORY]
#
# Needs root, iproute2, ethtool, tcpdump, curl and /usr/bin/python3 with its smtpd module (Python 3.11 or older). The
# namespaces exist only while it runs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
output=${1:-$here/../src/test/resources/dev/stacklab/dissect}
a=sl-imf-$$-a
b=sl-imf-$$-b
pids=()
work=$(mktemp -d)

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

for ns in "$a" "$b"; do
    ip netns add "$ns"
    for key in all default lo; do ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$key.disable_ipv6=1"; done
    ip -n "$ns" link set lo up
done
ip link add imf$$a netns "$a" type veth peer name imf$$b netns "$b"
ip -n "$a" link set imf$$a address 02:00:0a:56:00:01
ip -n "$b" link set imf$$b address 02:00:0a:56:00:02
ip -n "$a" addr add 10.86.0.1/24 dev imf$$a
ip -n "$b" addr add 10.86.0.2/24 dev imf$$b
for pair in "$a imf$$a" "$b imf$$b"; do
    set -- $pair
    ip -n "$1" link set "$2" up
    # Frames as the wire carries them: no segmentation or checksum offloads.
    ip netns exec "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null
done

ip netns exec "$b" /usr/bin/python3 -W ignore -m smtpd -n -c DebuggingServer 10.86.0.2:25 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 200); do ip netns exec "$b" ss -ltn | grep -q ":25 " && break; sleep 0.05; done
# A first exchange settles ARP, so the capture holds only the mail.
for _ in $(seq 100); do ip netns exec "$a" ping -c 1 -W 0.2 10.86.0.2 >/dev/null 2>&1 && break; done

{
    printf 'Date: Thu, 03 Dec 2026 10:30:00 +0000\r\n'
    printf 'From: Alice Example <alice@stacklab.test>\r\n'
    printf 'To: bob@stacklab.test, Carol Example <carol@stacklab.test>\r\n'
    printf 'Cc: dave@stacklab.test\r\n'
    printf 'Message-ID: <imf-1@stacklab.test>\r\n'
    printf 'Subject: a longer message,\r\n folded over two lines\r\n'
    printf 'X-Lab-Note: a field tshark does not know\r\n'
    printf '\r\n'
    for line in $(seq 1 60); do printf 'Line %02d of a body long enough to need several TCP segments.\r\n' "$line"; done
    printf '\r\n-- \r\nAlice\r\n'
} > "$work/mail.txt"

ip netns exec "$a" tcpdump --immediate-mode -U -Z root -n -i imf$$a -w "$work/smtp-imf.pcap" 'tcp port 25' 2>"$work/tcpdump.log" &
tcpdump_pid=$!
pids+=("$tcpdump_pid")
for _ in $(seq 200); do grep -q "listening on" "$work/tcpdump.log" && break; sleep 0.05; done
ip netns exec "$a" curl -s --mail-from alice@stacklab.test --mail-rcpt bob@stacklab.test --mail-rcpt carol@stacklab.test \
    --mail-rcpt dave@stacklab.test -T "$work/mail.txt" smtp://10.86.0.2/client.test
sleep 0.3
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
cp "$work/smtp-imf.pcap" "$output/smtp-imf.pcap"
ls -l "$output/smtp-imf.pcap"
