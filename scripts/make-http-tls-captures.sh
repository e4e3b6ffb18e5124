#!/usr/bin/env bash
# Makes the application-protocol test captures in src/test/resources/dev/stacklab/dissect/, real programs talking
# between namespaces a (10.79.0.1, clients) and b (10.79.0.2, servers), joined through namespace m where
# scripts/lossy-bridge.py passes frames (and, for http-lossy.pcap, drops, reorders and duplicates data segments).
# tcpdump captures on a's end.
#   http.pcap        curl against python3 -m http.server on port 80 (a small file, a 40 kB file in many segments, a
#                    404, HEAD), against a tiny HTTP/1.1 python3 server (two requests on one kept-alive connection,
#                    a chunked response, a POST with a body)
#   http-lossy.pcap  curl --limit-rate fetching 150 kB from python3 -m http.server, then ten responses of 2.5-12 kB
#                    on one kept-alive connection, through the lossy bridge (seeded): reassembly with lost,
#                    retransmitted, out-of-order and duplicated segments
#   tls.pcap         curl against openssl s_server on port 443, TLS 1.2 then TLS 1.3 (self-signed key made here)
#   ftp.pcap         curl against a small python3 FTP server: a listing and a download (control and data connections)
#   smtp.pcap        curl's smtp:// sending a message to python3's smtpd on port 25
#
#   sudo scripts/make-http-tls-captures.sh [OUTPUT-DIRECTORY [CAPTURE...]]
#
# With CAPTURE names (e.g. http-lossy.pcap) only those are made again.
#
# Needs root, iproute2, ethtool, tcpdump, curl, openssl, python3 (/usr/bin/python3 with its smtpd module,
# Debian bookworm's 3.11) and procps. The namespaces exist only while it runs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
output=${1:-$here/../src/test/resources/dev/stacklab/dissect}
only=("${@:2}")
wanted() { [ ${#only[@]} -eq 0 ] || printf '%s\n' "${only[@]}" | grep -qxF "$1"; }
a=sl-http-$$-a
m=sl-http-$$-m
b=sl-http-$$-b
pids=()
work=$(mktemp -d)
chmod 755 "$work"

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
ip link add http$$a netns "$a" type veth peer name http$$ma netns "$m"
ip link add http$$b netns "$b" type veth peer name http$$mb netns "$m"
ip -n "$a" link set http$$a address 02:00:0a:4f:00:01
ip -n "$b" link set http$$b address 02:00:0a:4f:00:02
ip -n "$a" addr add 10.79.0.1/24 dev http$$a
ip -n "$b" addr add 10.79.0.2/24 dev http$$b
for pair in "$a http$$a" "$b http$$b" "$m http$$ma" "$m http$$mb"; do
    set -- $pair
    ip -n "$1" link set "$2" up
    offloads_off "$1" "$2"
done

bridge() {   # seed loss reorder duplicate
    ip netns exec "$m" python3 "$here/lossy-bridge.py" http$$ma http$$mb "$@" &
    bridge_pid=$!
    pids+=("$bridge_pid")
}
bridge 1 0 0 0
in_a() { ip netns exec "$a" "$@"; }
in_b() { ip netns exec "$b" "$@"; }
wait_listen() { for _ in $(seq 200); do in_b ss -ltn | grep -q ":$1 " && return 0; sleep 0.05; done; return 1; }
for _ in $(seq 100); do in_a ping -c 1 -W 0.2 10.79.0.2 >/dev/null 2>&1 && break; done

capture_start() {
    ip netns exec "$a" tcpdump --immediate-mode -U -Z root -n -i http$$a -w "$work/$1" 2>"$work/tcpdump.log" &
    tcpdump_pid=$!
    pids+=("$tcpdump_pid")
    for _ in $(seq 200); do grep -q "listening on" "$work/tcpdump.log" && break; sleep 0.05; done
    grep -q "listening on" "$work/tcpdump.log" || { cat "$work/tcpdump.log" >&2; exit 1; }
}
capture_stop() {
    sleep 0.3
    kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
    cp "$work/$1" "$output/$1"
    echo "wrote $output/$1 ($(stat -c %s "$output/$1") bytes)"
}

# Content served: a small text file, a larger one, an HTML page.
mkdir -p "$work/www"
printf 'hello from the namespace\n' > "$work/www/hello.txt"
python3 -c 'import sys; sys.stdout.write("".join("line %05d of a file sent in many segments\n" % i for i in range(1000)))' \
    > "$work/www/big.txt"
python3 -c 'import random, sys; r = random.Random(7); sys.stdout.write("".join("%08x\n" % r.getrandbits(32) for _ in range(16667)))' \
    > "$work/www/lossy.txt"
printf '<html><body><p>index</p></body></html>\n' > "$work/www/index.html"

# http.pcap
if wanted http.pcap || wanted http-lossy.pcap; then
(cd "$work/www" && exec ip netns exec "$b" python3 -m http.server --bind 10.79.0.2 80 >/dev/null 2>&1) &
pids+=($!)
ip netns exec "$b" python3 -c '
import http.server
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"first chunk\n", b"second, longer chunk of the body\n", b"x" * 3000):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        elif self.path.startswith("/bytes/"):
            count = int(self.path[len("/bytes/"):])
            body = b"".join(b"%07d of a response in several segments\n" % i for i in range(0, count, 40))[:count]
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            body = ("you asked for %s\n" % self.path).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        reply = b"got %d bytes\n" % len(body)
        self.send_response(201)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("10.79.0.2", 8080), Handler).serve_forever()
' &
pids+=($!)
wait_listen 80
wait_listen 8080
fi
if wanted http.pcap; then
capture_start http.pcap
in_a curl -s -o /dev/null http://10.79.0.2/hello.txt
in_a curl -s -o /dev/null http://10.79.0.2/big.txt
in_a curl -s -o /dev/null http://10.79.0.2/missing
in_a curl -s -o /dev/null -I http://10.79.0.2/index.html
in_a curl -s -o /dev/null -o /dev/null http://10.79.0.2:8080/first http://10.79.0.2:8080/second
in_a curl -s -o /dev/null http://10.79.0.2:8080/chunked
in_a curl -s -o /dev/null -d 'name=stacklab&layer=http' http://10.79.0.2:8080/form
capture_stop http.pcap
fi

# http-lossy.pcap
if wanted http-lossy.pcap; then
kill "$bridge_pid"; wait "$bridge_pid" 2>/dev/null || true
bridge 11 0.04 0.02 0.02
capture_start http-lossy.pcap
in_a curl -s -o /dev/null --limit-rate 400k http://10.79.0.2/lossy.txt
# Responses of a few segments each on one kept-alive connection: PDUs completed by retransmissions and by
# out-of-order segments, and requests lost too.
in_a curl -s --limit-rate 400k $(for size in 3000 9000 5000 12000 4000 7000 6000 10000 2500 8000; do
    printf -- '-o /dev/null http://10.79.0.2:8080/bytes/%d ' "$size"; done)
capture_stop http-lossy.pcap
kill "$bridge_pid"; wait "$bridge_pid" 2>/dev/null || true
bridge 1 0 0 0
fi

# tls.pcap
if wanted tls.pcap; then
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=stacklab.test -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
ip netns exec "$b" openssl s_server -quiet -accept 10.79.0.2:443 -cert "$work/cert.pem" -key "$work/key.pem" -www >/dev/null 2>&1 &
pids+=($!)
wait_listen 443
capture_start tls.pcap
in_a curl -s -o /dev/null -k --tlsv1.2 --tls-max 1.2 --resolve stacklab.test:443:10.79.0.2 https://stacklab.test/
in_a curl -s -o /dev/null -k --tlsv1.3 --resolve stacklab.test:443:10.79.0.2 https://stacklab.test/
capture_stop tls.pcap
fi

if wanted ftp.pcap; then
# ftp.pcap: a small FTP server of python3's own (Debian's vsftpd refused anonymous logins in a namespace), RFC 959
# commands with passive data connections as curl uses them.
mkdir -p "$work/ftp/pub"
printf 'a file fetched over FTP\n' > "$work/ftp/pub/readme.txt"
ip netns exec "$b" python3 -c '
import os, socket, sys, threading
root = sys.argv[1]
def serve(c):
    f = c.makefile("rb")
    def say(line):
        c.sendall(line.encode() + b"\r\n")
    say("220 stacklab test FTP server ready")
    cwd, data = "/", None
    while True:
        line = f.readline().decode().strip()
        if not line:
            break
        verb, _, arg = line.partition(" ")
        verb = verb.upper()
        if verb == "USER": say("331 Please specify the password.")
        elif verb == "PASS": say("230 Login successful.")
        elif verb == "PWD": say("257 \"%s\" is the current directory" % cwd)
        elif verb == "CWD":
            cwd = os.path.normpath(os.path.join(cwd, arg)); say("250 Directory successfully changed.")
        elif verb in ("EPSV", "PASV"):
            data = socket.socket(); data.bind(("10.79.0.2", 0)); data.listen(1)
            port = data.getsockname()[1]
            if verb == "EPSV": say("229 Entering Extended Passive Mode (|||%d|)" % port)
            else: say("227 Entering Passive Mode (10,79,0,2,%d,%d)." % (port >> 8, port & 255))
        elif verb == "TYPE": say("200 Switching to Binary mode.")
        elif verb == "SIZE":
            say("213 %d" % os.path.getsize(os.path.join(root, cwd.lstrip("/"), arg)))
        elif verb in ("LIST", "NLST", "RETR"):
            path = os.path.join(root, cwd.lstrip("/"))
            if verb == "RETR":
                body = open(os.path.join(path, arg), "rb").read()
                say("150 Opening BINARY mode data connection for %s (%d bytes)." % (arg, len(body)))
            else:
                body = "".join("-rw-r--r--    1 0        0        %8d Dec 03 06:00 %s\r\n" % (os.path.getsize(os.path.join(path, n)), n)
                               for n in sorted(os.listdir(path))).encode()
                say("150 Here comes the directory listing.")
            d, _ = data.accept(); d.sendall(body); d.close(); data.close()
            say("226 Transfer complete.")
        elif verb == "QUIT":
            say("221 Goodbye."); break
        else: say("502 Command not implemented.")
    c.close()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.79.0.2", 21)); s.listen()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
' "$work/ftp" &
pids+=($!)
wait_listen 21
capture_start ftp.pcap
in_a curl -s -o /dev/null ftp://10.79.0.2/pub/
in_a curl -s -o /dev/null ftp://10.79.0.2/pub/readme.txt
capture_stop ftp.pcap
fi

# smtp.pcap
if wanted smtp.pcap; then
ip netns exec "$b" /usr/bin/python3 -W ignore -m smtpd -n -c DebuggingServer 10.79.0.2:25 >/dev/null 2>&1 &
pids+=($!)
wait_listen 25
printf 'From: alice@stacklab.test\r\nTo: bob@stacklab.test\r\nSubject: hello over SMTP\r\n\r\nA short message.\r\nSent by curl.\r\n' \
    > "$work/mail.txt"
capture_start smtp.pcap
in_a curl -s --mail-from alice@stacklab.test --mail-rcpt bob@stacklab.test -T "$work/mail.txt" smtp://10.79.0.2/client.test
capture_stop smtp.pcap
fi
