#!/usr/bin/env bash
# `tessera connect` (the Native AOT build) against `openssl s_client`: the whole command, start to exit, for the same
# TLS 1.3 handshake (X25519, ECDSA P-256 leaf + intermediate, chain verified against the root) to the same loopback
# `openssl s_server`. RUNS runs each, interleaved so both see the same machine; prints both medians and their ratio.
# Both close the same way: close_notify after the handshake, no application data.
# Usage: bench/connect.sh [RUNS]   (default 20)
set -euo pipefail
runs="${1:-20}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

echo "publishing the Native AOT tool (linux-x64)…" >&2
dotnet publish "$repo/src/Tessera.Cli" -c Release -r linux-x64 -o "$work/aot" --artifacts-path "$work/artifacts" \
    --disable-build-servers -nodeReuse:false -v q -nologo >/dev/null
tessera="$work/aot/Tessera.Cli"
export TESSERA_HOME="$work/home"
"$tessera" ca init >/dev/null
"$tessera" ca issue localhost --out "$work/localhost" >/dev/null
root="$TESSERA_HOME/ca/root.pem"

port="$(free_port)"
openssl x509 -in "$work/localhost.pem" -out "$work/leaf.pem"
openssl s_server -accept "127.0.0.1:$port" -cert "$work/leaf.pem" -key "$work/localhost.key" \
    -cert_chain "$TESSERA_HOME/ca/intermediate.pem" -tls1_3 -groups X25519 -quiet >/dev/null 2>&1 </dev/null &
pids+=($!)
wait_port "$port"

now_ns() { date +%s%N; }
run_tessera() { "$tessera" connect "127.0.0.1:$port" --servername localhost --ca "$root" --tls1.3 --groups x25519 --quiet >/dev/null; }
run_openssl() { openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile "$root" -tls1_3 -groups X25519 \
    -verify_return_error -quiet </dev/null >/dev/null 2>&1; }

# One warm-up each (page cache, the server's first accept), then RUNS measured pairs.
run_tessera; run_openssl
: >"$work/tessera.ms"; : >"$work/openssl.ms"
for _ in $(seq "$runs"); do
    t0=$(now_ns); run_tessera; t1=$(now_ns); run_openssl; t2=$(now_ns)
    echo $(( (t1 - t0) / 1000 )) >>"$work/tessera.ms"
    echo $(( (t2 - t1) / 1000 )) >>"$work/openssl.ms"
done
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
tm=$(median "$work/tessera.ms"); om=$(median "$work/openssl.ms")
echo
echo "| command (whole process, $runs runs) | median |"
echo "| --- | --- |"
awk -v t="$tm" -v o="$om" 'BEGIN {
    printf "| tessera connect (Native AOT) | %.1f ms |\n", t / 1000
    printf "| openssl s_client | %.1f ms |\n", o / 1000
    printf "\nratio tessera / openssl: %.2fx\n", t / o }'
