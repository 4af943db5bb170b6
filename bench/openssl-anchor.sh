#!/usr/bin/env bash
# Tessera's sans-IO full TLS 1.3 pair against OpenSSL's own in-memory handshake loop (bench/openssl-handshake/
# handshake.c, built here against Debian's libssl-dev), same chain, X25519, the client verifying; prints both and the
# ratio per round. Needs gcc and libssl-dev. Usage: bench/openssl-anchor.sh [pairs per round] [rounds]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pairs="${1:-2000}"
rounds="${2:-3}"
for tool in gcc pkg-config; do command -v "$tool" >/dev/null || { echo "openssl-anchor.sh needs $tool" >&2; exit 1; }; done
pkg-config --exists openssl || { echo "openssl-anchor.sh needs libssl-dev" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -O2 -Wall -Werror -o "$work/handshake" "$here/openssl-handshake/handshake.c" $(pkg-config --cflags --libs openssl)
echo "OpenSSL $(pkg-config --modversion openssl), $pairs pairs per round"
dotnet run -c Release --project "$here/Tessera.Benchmarks" -- --openssl-anchor "$work/handshake" "$pairs" "$rounds"
