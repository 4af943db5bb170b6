#!/usr/bin/env python3
"""Records a real peer's bytes as a fuzz seed (used by record-seeds.sh).

  record.py listen PORT OUT          accept one connection on 127.0.0.1:PORT, save what the client sends (its ClientHello
                                     and whatever follows before 1 s of silence), then close
  record.py ask PORT HELLO OUT       connect to 127.0.0.1:PORT, send the ClientHello in file HELLO, save the server's
                                     answer until 1 s of silence

Each seed starts with byte 63, the connection targets' "feed whole flights" piece size.
"""
import socket
import sys


def drain(sock, limit=65536):
    sock.settimeout(1.0)
    data = b""
    while len(data) < limit:
        try:
            chunk = sock.recv(16384)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    return data


def main():
    mode = sys.argv[1]
    if mode == "listen":
        port, out = int(sys.argv[2]), sys.argv[3]
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(1)
        server.settimeout(60)
        conn, _ = server.accept()
        data = drain(conn)
        conn.close()
        server.close()
    else:
        port, hello, out = int(sys.argv[2]), sys.argv[3], sys.argv[4]
        conn = socket.create_connection(("127.0.0.1", port), timeout=10)
        with open(hello, "rb") as f:
            conn.sendall(f.read())
        data = drain(conn)
        conn.close()
    if not data:
        sys.exit(f"record.py: nothing received for {out}")
    with open(out, "wb") as f:
        f.write(bytes([63]) + data)
    print(f"{out}: {len(data)} bytes")


main()
