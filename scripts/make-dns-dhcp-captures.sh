#!/usr/bin/env bash
# Makes the DNS, DHCP, NTP and SSDP test captures in src/test/resources/dev/stacklab/dissect/, of real programs
# between network namespaces srv (10.81.0.1, and 10.81.1.1 toward the DHCP client) and cli (10.81.0.2):
#   dns.pcap      dnsmasq in srv serving a record of each type (A, AAAA, CNAME, PTR, MX, NS, SOA, TXT, SRV, and a
#                 private type 65400 shown generically) from scripts/dns-dhcp/dnsmasq.conf, asked by dig over UDP and
#                 TCP (+tcp) and by nslookup, a name it does not know (NXDOMAIN); then mDNS (port 5353) and LLMNR (port
#                 5355) queries from python3 answered by a python3 responder (scripts/dns-dhcp/multicast-names.py)
#   dns-tcp.pcap  DNS over TCP against the same dnsmasq: dig +tcp for thirty TXT records (an answer spanning
#                 segments), then scripts/dns-dhcp/dns-tcp-client.py: two queries in one segment, a length in a
#                 segment of its own, a length cut in two, a big answer and another query on one connection
#   dhcp.pcap     dhclient in namespace dhc getting a lease from dnsmasq in srv: Discover, Offer, Request, ACK; then
#                 started again with the lease it knows (Request, ACK), and the Release (dhclient -r)
#   ntp-ssdp.pcap sntp (client) against chronyd (server) in srv; SSDP NOTIFY and M-SEARCH from python3, answered by a
#                 python3 responder (scripts/dns-dhcp/ssdp.py)
# Captured with tcpdump on cli's (dhc's) end, without the IGMP reports of the multicast joins (stacklab does not
# dissect IGMP). IPv6 is off in the namespaces, so only these protocols and ARP are seen.
#
#   sudo scripts/make-dns-dhcp-captures.sh [OUTPUT-DIRECTORY [CAPTURE...]]
#
# With CAPTURE names (e.g. dns-tcp.pcap) only those are made again.
#
# Needs root, iproute2, ethtool, tcpdump, dnsmasq-base, bind9-dnsutils (dig, nslookup), isc-dhcp-client, sntp,
# chrony, python3 and procps. The namespaces exist only while it runs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
output=${1:-$here/../src/test/resources/dev/stacklab/dissect}
only=("${@:2}")
wanted() { [ ${#only[@]} -eq 0 ] || printf '%s\n' "${only[@]}" | grep -qxF "$1"; }
srv=sl-dns-$$-srv
cli=sl-dns-$$-cli
dhc=sl-dns-$$-dhc
pids=()
tcpdumps=()
work=$(mktemp -d)
chmod 755 "$work"

cleanup() {
    for pid in "${tcpdumps[@]}" "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    # `ip netns exec` forks, so a daemon started through it outlives its pid above: end what runs in the namespaces.
    for ns in "$srv" "$cli" "$dhc"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

for ns in "$srv" "$cli" "$dhc"; do
    ip netns add "$ns"
    for key in all default lo; do ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$key.disable_ipv6=1"; done
    ip -n "$ns" link set lo up
done
ip link add dns$$s netns "$srv" type veth peer name dns$$c netns "$cli"
ip link add dhc$$s netns "$srv" type veth peer name dhc$$c netns "$dhc"
ip -n "$srv" link set dns$$s address 02:00:0a:51:00:01
ip -n "$cli" link set dns$$c address 02:00:0a:51:00:02
ip -n "$srv" link set dhc$$s address 02:00:0a:51:01:01
ip -n "$dhc" link set dhc$$c address 02:00:0a:51:01:02
ip -n "$srv" addr add 10.81.0.1/24 dev dns$$s
ip -n "$cli" addr add 10.81.0.2/24 dev dns$$c
ip -n "$srv" addr add 10.81.1.1/24 dev dhc$$s
for pair in "$srv dns$$s" "$cli dns$$c" "$srv dhc$$s" "$dhc dhc$$c"; do
    set -- $pair
    ip -n "$1" link set "$2" up
    ip netns exec "$1" ethtool -K "$2" tx off tso off gso off >/dev/null
done
# Multicast (mDNS, LLMNR, SSDP) goes out on the veth: there is no default route.
ip -n "$srv" route add 224.0.0.0/4 dev dns$$s
ip -n "$cli" route add 224.0.0.0/4 dev dns$$c

in_srv() { ip netns exec "$srv" "$@"; }
in_cli() { ip netns exec "$cli" "$@"; }
wait_for() {   # what, then a command that succeeds once it is there
    local what=$1
    shift
    for _ in $(seq 400); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
    echo "timed out waiting for $what; the logs:" >&2
    tail -n 20 "$work"/*.log >&2
    exit 1
}
capture() {   # namespace, interface, file
    ip netns exec "$1" tcpdump --immediate-mode -U -Z root -n -i "$2" -w "$work/$3" not igmp 2>"$work/$3.log" &
    tcpdumps+=($!)
    wait_for "tcpdump on $2" grep -q "listening on" "$work/$3.log"
}
stop_captures() {
    sleep 0.3
    for pid in "${tcpdumps[@]}"; do kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    tcpdumps=()
}

sed -e "s/@DNS@/dns$$s/; s/@DHCP@/dhc$$s/; s|@WORK@|$work|" "$here/dns-dhcp/dnsmasq.conf" > "$work/dnsmasq.conf"
in_srv dnsmasq --keep-in-foreground --conf-file="$work/dnsmasq.conf" 2>"$work/dnsmasq.log" &
pids+=($!)
wait_for "dnsmasq on port 53" sh -c "ip netns exec $srv ss -ltn | grep -q '10.81.0.1:53 '"

# ---- dns.pcap ----
dig_at() { in_cli dig @10.81.0.1 +tries=1 +time=2 "$@" >/dev/null; }
if wanted dns.pcap; then
capture "$cli" dns$$c dns.pcap
dig_at www.lab.test A
dig_at www.lab.test AAAA
dig_at alias.lab.test A
dig_at -x 10.81.0.10
dig_at lab.test MX
dig_at lab.test NS
dig_at lab.test SOA
dig_at lab.test TXT
dig_at _http._tcp.lab.test SRV
dig_at private.lab.test TYPE65400
dig_at nothere.lab.test A
dig_at +nocookie +noedns www.lab.test A
dig_at +tcp lab.test MX
dig_at +tcp +nocookie alias.lab.test A
in_cli nslookup -timeout=2 -retry=1 mail.lab.test 10.81.0.1 >/dev/null
in_srv python3 "$here/dns-dhcp/multicast-names.py" respond 10.81.0.1 > "$work/responder.log" 2>&1 &
responder=$!
pids+=($responder)
wait_for "the mDNS and LLMNR responder" grep -q ready "$work/responder.log"
in_cli python3 "$here/dns-dhcp/multicast-names.py" ask 10.81.0.2
kill "$responder"
stop_captures
cp "$work/dns.pcap" "$output/"
fi

# ---- dns-tcp.pcap ----
if wanted dns-tcp.pcap; then
capture "$cli" dns$$c dns-tcp.pcap
dig_at +tcp big.lab.test TXT
in_cli python3 "$here/dns-dhcp/dns-tcp-client.py" 10.81.0.1
stop_captures
cp "$work/dns-tcp.pcap" "$output/"
fi

# ---- dhcp.pcap ----
if wanted dhcp.pcap; then
capture "$dhc" dhc$$c dhcp.pcap
cat > "$work/dhclient.script" <<'SCRIPT'
#!/bin/sh
# dhclient calls this at each event: take the address given, and drop it on release.
case "$reason" in
    BOUND|REBOOT|RENEW) ip addr replace "$new_ip_address/24" dev "$interface"; echo "$reason $new_ip_address" ;;
    RELEASE|EXPIRE) ip addr flush dev "$interface"; echo "$reason" ;;
esac
SCRIPT
chmod +x "$work/dhclient.script"
printf 'send host-name "labclient";\nrequest subnet-mask, broadcast-address, routers, domain-name, domain-name-servers;\n' > "$work/dhclient.conf"
dhclient() { ip netns exec "$dhc" dhclient -cf "$work/dhclient.conf" -sf "$work/dhclient.script" -lf "$work/dhclient.leases" -pf "$work/dhclient.pid" "$@" dhc$$c; }
# A lease from scratch (Discover, Offer, Request, ACK); then again with the lease known (Request, ACK: RFC 2131
# section 3.2, INIT-REBOOT); then its release.
dhclient -1 -d > "$work/dhclient.log" 2>&1 &
pids+=($!)
wait_for "a DHCP lease" grep -q "^BOUND" "$work/dhclient.log"
dhclient -x > /dev/null 2>&1 || true
dhclient -1 -d > "$work/dhclient-again.log" 2>&1 &
pids+=($!)
wait_for "the lease confirmed" grep -q "^\(REBOOT\|BOUND\)" "$work/dhclient-again.log"
dhclient -r > /dev/null 2>&1
stop_captures
cp "$work/dhcp.pcap" "$output/"
fi

# ---- ntp-ssdp.pcap ----
if wanted ntp-ssdp.pcap; then
cat > "$work/chrony.conf" <<CONF
local stratum 8
allow 10.81.0.0/24
bindaddress 10.81.0.1
driftfile $work/chrony.drift
pidfile $work/chronyd.pid
cmdport 0
CONF
in_srv chronyd -f "$work/chrony.conf" -d -x > "$work/chronyd.log" 2>&1 &
pids+=($!)
wait_for "chronyd on port 123" sh -c "ip netns exec $srv ss -lun | grep -q '10.81.0.1:123 '"
capture "$cli" dns$$c ntp-ssdp.pcap
in_cli sntp -t 2 10.81.0.1 > /dev/null 2>&1 || in_cli sntp -t 2 10.81.0.1
in_srv python3 "$here/dns-dhcp/ssdp.py" respond 10.81.0.1 > "$work/ssdp.log" 2>&1 &
responder=$!
pids+=($responder)
wait_for "the SSDP responder" grep -q ready "$work/ssdp.log"
in_cli python3 "$here/dns-dhcp/ssdp.py" ask 10.81.0.2
stop_captures
cp "$work/ntp-ssdp.pcap" "$output/"
fi
ls -l "$output"/*.pcap
