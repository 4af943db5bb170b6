#!/usr/bin/env python3
"""Memory per idle TLS connection of a terminator: opens COUNT TLS 1.3 connections to 127.0.0.1:PORT (handshakes
complete, nothing sent after), waits for the server side to settle, and prints the growth of the resident set of the
given processes (their /proc/PID/status VmRSS, summed; a process's children are counted too) divided by COUNT, in KiB.

Usage: idle.py PORT CA_FILE COUNT PID [PID ...]
"""
import os
import socket
import ssl
import sys
import time


def tree(pid):
    """The process and its descendants (nginx's and hitch's workers are children of the pid we started)."""
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            for child in f.read().split():
                pids += tree(int(child))
    except FileNotFoundError:
        pass
    return pids


def rss_kib(roots):
    total = 0
    for root in roots:
        for pid in tree(root):
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
            except FileNotFoundError:
                pass
    return total


def main():
    port, ca, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    roots = [int(p) for p in sys.argv[4:]]
    context = ssl.create_default_context(cafile=ca)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    time.sleep(1)
    before = rss_kib(roots)
    held = []
    try:
        for _ in range(count):
            raw = socket.create_connection(("127.0.0.1", port), timeout=10)
            held.append(context.wrap_socket(raw, server_hostname="localhost"))
        time.sleep(3)   # the server's tickets are written, its backend connections made, its lazy buffers settled
        after = rss_kib(roots)
        # Every connection must still be open: a terminator that dropped some would look cheaper than it is.
        for s in held:
            s.setblocking(False)
            try:
                if s.recv(1) == b"":
                    raise SystemExit("a held connection was closed by the server")
            except ssl.SSLWantReadError:
                pass   # open, nothing to read: what an idle connection should be
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError, ConnectionError):
                raise SystemExit("a held connection was closed by the server")
            finally:
                s.setblocking(True)
    finally:
        for s in held:
            s.close()
    print(f"{(after - before) / count:.1f}")


if __name__ == "__main__":
    main()
