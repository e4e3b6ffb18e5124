#!/usr/bin/env bash
# Makes src/main/resources/dev/stacklab/dissect/port-protocols.tsv: the protocol tshark names a TCP or UDP payload
# after by its port whatever the payload holds, for the payloads no stacklab dissector claims (decode and the app show
# them as Data under that name). From tshark itself: `tshark -G decodes` gives the dissector bound to each tcp.port
# and udp.port (ports 1 to 32767 only: above them Linux picks ephemeral client ports), then every binding is tried
# with three payloads (a short line, a long line, 16 binary bytes) from a client port tshark binds nothing to, and
# kept only when tshark shows all three under that dissector (frame.protocols) with one Protocol column, which is
# the name written. Many dissectors refuse a payload that does not look like theirs (SNMP, TPLINK-SMARTHOME on 9999),
# and then tshark shows plain UDP or TCP: those bindings are left out, so a name is never given that tshark would not.
#
#   scripts/make-port-protocols.sh [OUTPUT-FILE]
#
# Needs tshark (tshark) and python3.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
output=${1:-$here/../src/main/resources/dev/stacklab/dissect/port-protocols.tsv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tshark -G decodes 2>/dev/null | awk -F'\t' '($1 == "tcp.port" || $1 == "udp.port") && $2 > 0' > "$work/decodes"
python3 - "$work/decodes" "$work/probe.pcap" "$work/bindings" <<'PYTHON'
import struct, sys
decodes = [line.rstrip('\n').split('\t') for line in open(sys.argv[1])]
bound = {int(port) for _, port, _ in decodes}
bindings = [(table[:3], int(port), name) for table, port, name in decodes if int(port) < 32768]
clients = iter(port for port in range(40000, 65536) if port not in bound)
payloads = [b'x\n', b'hello, this is a line of text sent to see who answers\r\n', bytes(range(1, 17))]

def checksum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('>%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff

records = [struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
source, destination = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
for table, port, name in bindings:
    for payload in payloads:
        client = next(clients)
        if table == 'udp':
            transport, protocol = struct.pack('>HHHH', client, port, 8 + len(payload), 0) + payload, 17
        else:
            transport, protocol = struct.pack('>HHIIBBHHH', client, port, 1000, 2000, 0x50, 0x18, 64240, 0, 0) + payload, 6
        ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(transport), len(records) & 0xffff, 0, 64, protocol, 0, source, destination)
        ip = ip[:10] + struct.pack('>H', checksum(ip)) + ip[12:]
        sum_at = 6 if protocol == 17 else 16
        pseudo = source + destination + struct.pack('>BBH', 0, protocol, len(transport))
        transport = transport[:sum_at] + struct.pack('>H', checksum(pseudo + transport)) + transport[sum_at + 2:]
        frame = bytes.fromhex('020000000002020000000001') + b'\x08\x00' + ip + transport
        records.append(struct.pack('<IIII', 1700000000 + len(records), 0, len(frame), len(frame)) + frame)
open(sys.argv[2], 'wb').write(b''.join(records))
with open(sys.argv[3], 'w') as out:
    for table, port, name in bindings:
        out.write('%s\t%d\t%s\n' % (table, port, name))
PYTHON
tshark -r "$work/probe.pcap" -T fields -e _ws.col.Protocol -e frame.protocols 2>/dev/null > "$work/shown"
version=$(tshark --version 2>/dev/null | head -1 | sed "s/\.$//")
{
    echo "# The protocol tshark names a TCP or UDP payload after by its port, whatever the payload: transport, port,"
    echo "# tshark's Protocol column, dissector (filter name). From $version (tshark -G decodes, each"
    echo "# binding tried with three payloads); ports 1-32767. Made by scripts/make-port-protocols.sh; do not edit by hand."
    python3 - "$work/bindings" "$work/shown" <<'PYTHON'
import sys
bindings = [line.rstrip('\n').split('\t') for line in open(sys.argv[1])]
shown = [line.rstrip('\n').split('\t') for line in open(sys.argv[2])]
for i, (table, port, name) in enumerate(bindings):
    tries = shown[3 * i:3 * i + 3]
    columns = {column for column, _ in tries}
    dissected = all(name in protocols.split(':')[4:] for _, protocols in tries)
    column = tries[0][0]
    if len(columns) == 1 and dissected and column not in ('TCP', 'UDP', 'Data') and '\t' not in column:
        print('%s\t%s\t%s\t%s' % (table, port, column, name))
PYTHON
} > "$output"
wc -l "$output"
