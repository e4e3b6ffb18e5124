#!/usr/bin/env python3
"""DNS over TCP (RFC 7766) for scripts/make-dns-dhcp-captures.sh, sent the ways real clients send it:

  dns-tcp-client.py SERVER

  1. two queries in one segment (pipelined, RFC 7766 section 6.2.1.1), both answers read on the same connection
  2. the two-byte length in a segment of its own, the message in the next (TCP_NODELAY, as some stub resolvers write)
  3. the length itself cut in two: one byte, then the rest
  4. a query whose answer (thirty TXT records) spans several segments, then another on the same connection"""
import socket
import struct
import sys
import time

server = sys.argv[1]
A, TXT = 1, 16


def query(ident, name, qtype):
    labels = b''.join(bytes([len(part)]) + part.encode() for part in name.split('.')) + b'\0'
    message = struct.pack('!HHHHHH', ident, 0x0100, 1, 0, 0, 0) + labels + struct.pack('!HH', qtype, 1)
    return struct.pack('!H', len(message)) + message


def connect():
    s = socket.create_connection((server, 53), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_answers(s, count):
    data = b''
    for _ in range(count):
        while len(data) < 2 or len(data) < 2 + struct.unpack('!H', data[:2])[0]:
            more = s.recv(65536)
            if not more:
                raise SystemExit('the server closed the connection early')
            data += more
        data = data[2 + struct.unpack('!H', data[:2])[0]:]


with connect() as s:
    s.sendall(query(0x7101, 'www.lab.test', A) + query(0x7102, 'mail.lab.test', A))
    read_answers(s, 2)

with connect() as s:
    message = query(0x7201, 'alias.lab.test', A)
    s.sendall(message[:2])
    time.sleep(0.05)
    s.sendall(message[2:])
    read_answers(s, 1)

with connect() as s:
    message = query(0x7301, 'www.lab.test', A)
    s.sendall(message[:1])
    time.sleep(0.05)
    s.sendall(message[1:])
    read_answers(s, 1)

with connect() as s:
    s.sendall(query(0x7401, 'big.lab.test', TXT))
    read_answers(s, 1)
    s.sendall(query(0x7402, 'lab.test', TXT))
    read_answers(s, 1)
