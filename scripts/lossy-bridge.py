#!/usr/bin/env python3
"""A lossy Ethernet bridge between two interfaces (what tc netem would do, which this kernel lacks).

    lossy-bridge.py IF1 IF2 SEED LOSS REORDER DUPLICATE

Copies every frame from one interface to the other with AF_PACKET sockets. TCP segments that carry data are
dropped with probability LOSS, held back behind the next frame with probability REORDER, and sent again after
twenty more frames with probability DUPLICATE (late enough to have been acknowledged); every other frame (ARP, handshakes, pure ACKs) passes untouched. Seeded, so the same
decisions are taken for the same sequence of frames. Runs until killed.
"""
import random
import select
import socket
import sys

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

first, second, seed, loss, reorder, duplicate = sys.argv[1], sys.argv[2], int(sys.argv[3]), *map(float, sys.argv[4:7])
rng = random.Random(seed)
sockets = {}
for name in (first, second):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((name, 0))
    sockets[s] = name
peer = {a: b for a in sockets for b in sockets if a is not b}
held = {s: None for s in sockets}
again = {s: [] for s in sockets}  # [frames still to pass, frame] of each duplicate waiting to be sent


def carries_tcp_data(frame):
    if len(frame) < 54 or frame[12:14] != b'\x08\x00' or frame[23] != 6:
        return False
    ip_header = (frame[14] & 0x0F) * 4
    total = int.from_bytes(frame[16:18], 'big')
    tcp_header = (frame[14 + ip_header + 12] >> 4) * 4
    return total - ip_header - tcp_header > 0


while True:
    ready, _, _ = select.select(list(sockets), [], [])
    for s in ready:
        frame, address = s.recvfrom(65535)
        if address[2] == PACKET_OUTGOING:
            continue  # what this bridge itself sent
        out = peer[s]
        if carries_tcp_data(frame):
            draw = rng.random()
            if draw < loss:
                continue
            if draw < loss + reorder and held[s] is None:
                held[s] = frame
                continue
            out.send(frame)
            if draw < loss + reorder + duplicate:
                again[s].append([20, frame])
        else:
            out.send(frame)
        for waiting in list(again[s]):
            waiting[0] -= 1
            if waiting[0] == 0:
                out.send(waiting[1])
                again[s].remove(waiting)
        if held[s] is not None and frame is not held[s]:
            out.send(held[s])
            held[s] = None
