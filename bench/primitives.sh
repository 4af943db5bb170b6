#!/usr/bin/env bash
# The primitive table of bench/README.md in one run: CryptoPrimitiveBenchmarks (native and portable providers) and
# `openssl speed` for the same operations, one after the other on the same machine. Usage: bench/primitives.sh [SECONDS]
# SECONDS is openssl speed's time per operation (default 3). Needs openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-3}"
dotnet run -c Release --project bench/Tessera.Benchmarks -- --filter '*CryptoPrimitiveBenchmarks*' --job short \
    --iterationCount 10 --warmupCount 3 --envVars DOTNET_TieredPGO:0
echo
echo "openssl speed ($(openssl version)), ${seconds} s per operation; ecdh rows are agreements only (no key generation):"
openssl speed -seconds "$seconds" ecdhx25519 ecdhp256 2>/dev/null | grep -E '^ *[0-9]+ +bits ecdh'
echo "ecdsa rows sign and verify a bare digest (no hashing):"
openssl speed -seconds "$seconds" ecdsap256 2>/dev/null | grep -E '^ *[0-9]+ +bits ecdsa'
openssl speed -seconds "$seconds" ed25519 2>/dev/null | grep -E '^ *[0-9]+ +bits EdDSA'
openssl speed -seconds "$seconds" rsa2048 2>/dev/null | grep -E '^rsa *2048'
openssl speed -seconds "$seconds" -bytes 32 -hmac sha256 2>/dev/null | grep -E '^(hmac|type)'
openssl speed -seconds "$seconds" -bytes 16384 -evp aes-128-gcm 2>/dev/null | grep -E '^(AES-128-GCM|aes-128-gcm|type)'
openssl speed -seconds "$seconds" -bytes 64 -evp aes-128-gcm 2>/dev/null | grep -E '^(AES-128-GCM|aes-128-gcm|type)'
