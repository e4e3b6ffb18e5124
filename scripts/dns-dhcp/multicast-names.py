#!/usr/bin/env python3
"""mDNS (RFC 6762) and LLMNR (RFC 4795) for scripts/make-dns-dhcp-captures.sh, in plain python3 (no avahi here).

  multicast-names.py respond ADDRESS   answers for labsrv.local (A), _http._tcp.local (PTR, with SRV, TXT and A as
                                       additional records) and LLMNR's labsrv (A), on the interface with ADDRESS
  multicast-names.py ask ADDRESS       asks those names, and an LLMNR name nobody has, from ADDRESS

Messages are built by hand with name compression, as real responders write them."""
import socket
import struct
import sys

MDNS = ('224.0.0.251', 5353)
LLMNR = ('224.0.0.252', 5355)
A, PTR, TXT, SRV = 1, 12, 16, 33
IN, CACHE_FLUSH = 1, 0x8000


class Message:
    def __init__(self, ident, flags):
        self.header = [ident, flags, 0, 0, 0, 0]
        self.body = bytearray()
        self.names = {}

    def name(self, text, at=None):
        """The name in wire form, compressed against the names written before; it goes at offset `at`
        (by default the end of the message)."""
        at = 12 + len(self.body) if at is None else at
        labels = text.split('.')
        out = bytearray()
        for i in range(len(labels)):
            suffix = '.'.join(labels[i:]).lower()
            if suffix in self.names:
                out += struct.pack('!H', 0xC000 | self.names[suffix])
                return bytes(out)
            if at + len(out) < 0x3FFF:
                self.names[suffix] = at + len(out)
            out += bytes([len(labels[i])]) + labels[i].encode()
        return bytes(out + b'\0')

    def question(self, text, rtype, rclass=IN):
        self.body += self.name(text) + struct.pack('!HH', rtype, rclass)
        self.header[2] += 1

    def record(self, section, text, rtype, rclass, ttl, rdata):
        self.body += self.name(text)
        self.body += struct.pack('!HHI', rtype, rclass, ttl)
        at = len(self.body)
        self.body += b'\0\0'
        data = rdata(self, 12 + len(self.body)) if callable(rdata) else rdata
        self.body[at:at + 2] = struct.pack('!H', len(data))
        self.body += data
        self.header[section] += 1

    def bytes(self):
        return struct.pack('!6H', *self.header) + bytes(self.body)


def questions(data):
    """(name, type) of each question: enough for the names this responder knows (no pointers in questions)."""
    count = struct.unpack('!H', data[4:6])[0]
    at, found = 12, []
    for _ in range(count):
        labels = []
        while data[at]:
            labels.append(data[at + 1:at + 1 + data[at]].decode())
            at += 1 + data[at]
        rtype = struct.unpack('!H', data[at + 1:at + 3])[0]
        found.append(('.'.join(labels).lower(), rtype))
        at += 5
    return found


def respond(address):
    mdns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    mdns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    mdns.bind(('', MDNS[1]))
    mdns.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(MDNS[0]) + socket.inet_aton(address))
    mdns.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(address))
    mdns.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    llmnr = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    llmnr.bind(('', LLMNR[1]))
    llmnr.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(LLMNR[0]) + socket.inet_aton(address))
    print('ready', flush=True)
    me = socket.inet_aton(address)
    import select
    while True:
        # Gone by itself once idle, should the script that started it be stopped before it stops this.
        ready, _, _ = select.select([mdns, llmnr], [], [], 20)
        if not ready:
            return
        for sock in ready:
            data, peer = sock.recvfrom(2048)
            if data[2] & 0x80:
                continue
            ident = struct.unpack('!H', data[:2])[0]
            asked = questions(data)
            if sock is mdns:
                # RFC 6762 section 18: responses carry ID 0 and AA; the questions are not repeated.
                reply = Message(0, 0x8400)
                for name, rtype in asked:
                    if name == 'labsrv.local' and rtype == A:
                        reply.record(3, 'labsrv.local', A, IN | CACHE_FLUSH, 120, me)
                    elif name == '_http._tcp.local' and rtype == PTR:
                        reply.record(3, '_http._tcp.local', PTR, IN, 4500, lambda m, at: m.name('Lab Web._http._tcp.local', at))
                        reply.record(5, 'Lab Web._http._tcp.local', SRV, IN | CACHE_FLUSH, 120,
                                     lambda m, at: struct.pack('!HHH', 0, 0, 8080) + m.name('labsrv.local', at + 6))
                        reply.record(5, 'Lab Web._http._tcp.local', TXT, IN | CACHE_FLUSH, 4500, b'\x06path=/\x0bversion=1.0')
                        reply.record(5, 'labsrv.local', A, IN | CACHE_FLUSH, 120, me)
                if reply.header[3]:
                    mdns.sendto(reply.bytes(), MDNS)
            else:
                # RFC 4795 section 2.1.1: a responder answers by unicast only for names it owns.
                name, rtype = asked[0]
                if name == 'labsrv' and rtype == A:
                    reply = Message(ident, 0x8000)
                    reply.question('labsrv', A)
                    reply.record(3, 'labsrv', A, IN, 30, me)
                    llmnr.sendto(reply.bytes(), peer)


def ask(address):
    import time
    mdns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    mdns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    mdns.bind(('', MDNS[1]))
    mdns.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(MDNS[0]) + socket.inet_aton(address))
    mdns.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(address))
    mdns.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    mdns.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    mdns.settimeout(2)
    for name, rtype in (('labsrv.local', A), ('_http._tcp.local', PTR)):
        query = Message(0, 0)
        query.question(name, rtype)
        mdns.sendto(query.bytes(), MDNS)
        mdns.recvfrom(2048)
    llmnr = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    llmnr.bind((address, 0))
    llmnr.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(address))
    llmnr.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    llmnr.settimeout(0.5)
    for ident, name in ((0x4c4d, 'labsrv'), (0x4c4e, 'nobody')):
        query = Message(ident, 0)
        query.question(name, A)
        llmnr.sendto(query.bytes(), LLMNR)
        try:
            llmnr.recvfrom(2048)
        except socket.timeout:
            if name == 'labsrv':
                raise
    time.sleep(0.1)


if __name__ == '__main__':
    {'respond': respond, 'ask': ask}[sys.argv[1]](sys.argv[2])
