#!/usr/bin/env python3
"""SSDP (UPnP Device Architecture 2.0, section 1) for scripts/make-dns-dhcp-captures.sh, in plain python3.

  ssdp.py respond ADDRESS   answers an M-SEARCH by unicast with HTTP/1.1 200 OK, as a media server would
  ssdp.py ask ADDRESS       announces itself (NOTIFY ssdp:alive), sends an M-SEARCH and waits for the answer"""
import socket
import sys

GROUP = ('239.255.255.250', 1900)


def respond(address):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('', GROUP[1]))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(GROUP[0]) + socket.inet_aton(address))
    print('ready', flush=True)
    # Gone by itself once idle, should the script that started it be stopped before it stops this.
    sock.settimeout(20)
    while True:
        try:
            data, peer = sock.recvfrom(2048)
        except socket.timeout:
            return
        if data.startswith(b'M-SEARCH '):
            sock.sendto(('HTTP/1.1 200 OK\r\n'
                         'CACHE-CONTROL: max-age=1800\r\n'
                         'EXT:\r\n'
                         'LOCATION: http://' + address + ':8200/rootDesc.xml\r\n'
                         'SERVER: Linux/6.1 UPnP/1.0 stacklab-lab/1.0\r\n'
                         'ST: urn:schemas-upnp-org:device:MediaServer:1\r\n'
                         'USN: uuid:4d696e69-444c-164e-9d41-0242ac110002::urn:schemas-upnp-org:device:MediaServer:1\r\n'
                         '\r\n').encode(), peer)


def ask(address):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, 0))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(address))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 2)
    sock.settimeout(2)
    sock.sendto(('NOTIFY * HTTP/1.1\r\n'
                 'HOST: 239.255.255.250:1900\r\n'
                 'CACHE-CONTROL: max-age=1800\r\n'
                 'LOCATION: http://' + address + ':49152/description.xml\r\n'
                 'NT: upnp:rootdevice\r\n'
                 'NTS: ssdp:alive\r\n'
                 'SERVER: Linux/6.1 UPnP/1.0 stacklab-client/1.0\r\n'
                 'USN: uuid:2fac1234-31f8-11b4-a222-08002b34c003::upnp:rootdevice\r\n'
                 '\r\n').encode(), GROUP)
    sock.sendto(('M-SEARCH * HTTP/1.1\r\n'
                 'HOST: 239.255.255.250:1900\r\n'
                 'MAN: "ssdp:discover"\r\n'
                 'MX: 1\r\n'
                 'ST: ssdp:all\r\n'
                 'USER-AGENT: Linux/6.1 UPnP/1.1 stacklab-client/1.0\r\n'
                 '\r\n').encode(), GROUP)
    sock.recvfrom(2048)


if __name__ == '__main__':
    {'respond': respond, 'ask': ask}[sys.argv[1]](sys.argv[2])
