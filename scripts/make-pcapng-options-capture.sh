#!/usr/bin/env bash
# Makes src/test/resources/dev/stacklab/dissect/pcapng-options.pcapng: the first 16 frames of dns.pcap (dig against
# dnsmasq in namespaces, made by scripts/make-dns-dhcp-captures.sh) in pcapng, with the Enhanced Packet Block options
# tshark shows in its Frame section, and comments:
#
#   epb_flags      on every frame but 13: the direction as seen from the client (outbound when its MAC
#                  02:00:0a:51:00:02 sent it), a reception type of each kind (unicast, multicast, broadcast,
#                  promiscuous), link-layer error bits (CRC and symbol errors on 10, all eight on 11), a word with an
#                  unknown direction (12); no FCS length, which would make tshark take the frame's last 4 bytes for an
#                  Ethernet FCS
#   epb_dropcount  3 on frame 14
#   epb_packetid   and epb_queue on frame 15
#   epb_hash       an MD5 of frame 16 (read past: tshark shows no hash)
#   opt_comment    with editcap -a: frames 1, 3 (two comments, written by two runs of editcap, since one run keeps one
#                  comment per frame), 5 (not ASCII) and 14
#
#   scripts/make-pcapng-options-capture.sh [OUTPUT-DIRECTORY]
#
# Needs editcap (wireshark-common) and python3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
resources=$here/../src/test/resources/dev/stacklab/dissect
output=${1:-$resources}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

editcap -r -F pcapng "$resources/dns.pcap" "$work/plain.pcapng" 1-16
python3 - "$work/plain.pcapng" "$work/flagged.pcapng" <<'PYTHON'
import hashlib, struct, sys
data = open(sys.argv[1], 'rb').read()
order = '<' if data[8:12] == b'\x4d\x3c\x2b\x1a' else '>'
client = bytes.fromhex('02000a510002')
INBOUND, OUTBOUND = 1, 2
UNICAST, MULTICAST, BROADCAST, PROMISCUOUS = 1 << 2, 2 << 2, 3 << 2, 4 << 2
CRC_ERROR, SYMBOL_ERROR, ALL_ERRORS = 1 << 24, 1 << 31, 0xFF << 24
extra_flags = {2: UNICAST, 4: PROMISCUOUS, 6: MULTICAST, 8: BROADCAST, 10: CRC_ERROR | SYMBOL_ERROR, 11: ALL_ERRORS}

def option(code, value):
    return struct.pack(order + 'HH', code, len(value)) + value + bytes(-len(value) % 4)

out, at, packet = [], 0, 0
while at < len(data):
    block_type, length = struct.unpack(order + 'II', data[at:at + 8])
    block = data[at:at + length]
    at += length
    if block_type == 6:
        packet += 1
        captured = struct.unpack(order + 'I', block[20:24])[0]
        frame = block[28:28 + captured]
        options_at = 28 + (captured + 3) // 4 * 4
        options = b''
        if packet == 12:
            options += option(2, struct.pack(order + 'I', 0))
        elif packet != 13:
            direction = OUTBOUND if frame[6:12] == client else INBOUND
            options += option(2, struct.pack(order + 'I', direction | extra_flags.get(packet, 0)))
        if packet == 14:
            options += option(4, struct.pack(order + 'Q', 3))
        if packet == 15:
            options += option(5, struct.pack(order + 'Q', 0x1234)) + option(6, struct.pack(order + 'I', 2))
        if packet == 16:
            options += option(3, bytes([2]) + hashlib.md5(frame).digest())
        if options:
            body = block[8:options_at] + options + bytes(4)
            block = struct.pack(order + 'II', 6, len(body) + 12) + body + struct.pack(order + 'I', len(body) + 12)
    out.append(block)
open(sys.argv[2], 'wb').write(b''.join(out))
PYTHON
editcap -a '1:dig asks for the resolver'"'"'s MAC first' -a '3:the first query: A www.lab.test' \
    -a '5:ünïcode: ✓ AAAA' -a '14:3 frames dropped before this one' "$work/flagged.pcapng" "$work/commented.pcapng"
editcap -a '3:a second comment on the same frame' "$work/commented.pcapng" "$output/pcapng-options.pcapng"
ls -l "$output/pcapng-options.pcapng"
