#!/usr/bin/env bash
# `tessera scan` (the Native AOT build) against sslscan and testssl.sh on the same loopback servers: the whole
# command, start to exit. Servers: `tessera serve` (TLS 1.2 + 1.3, the modern case) and `openssl s_server` with its
# defaults (which also accepts static-RSA and CBC suites). RUNS runs of tessera scan and sslscan each (median); one
# testssl.sh run per server (`-p -e -S`: protocols, every cipher, server defaults — the closest of its modes to what
# tessera scan reports; it takes tens of seconds, so one run says enough). Prints a table and the ratios.
# Usage: bench/scan.sh [RUNS]   (default 5; needs sslscan, testssl.sh, openssl)
set -euo pipefail
runs="${1:-5}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

echo "publishing the Native AOT tool (linux-x64)…" >&2
dotnet publish "$repo/src/Tessera.Cli" -c Release -r linux-x64 -o "$work/aot" --artifacts-path "$work/artifacts" \
    --disable-build-servers -nodeReuse:false -v q -nologo >/dev/null
tessera="$work/aot/Tessera.Cli"
export TESSERA_HOME="$work/home"
"$tessera" ca init >/dev/null
"$tessera" ca issue localhost 127.0.0.1 --out "$work/localhost" >/dev/null
"$tessera" ca issue localhost 127.0.0.1 --key-type rsa2048 --out "$work/rsa" >/dev/null
root="$TESSERA_HOME/ca/root.pem"

serve_port="$(free_port)"
"$tessera" serve --listen "127.0.0.1:$serve_port" --cert "$work/localhost.pem" --key "$work/localhost.key" >/dev/null 2>&1 </dev/null &
pids+=($!)
openssl_port="$(free_port)"
openssl x509 -in "$work/rsa.pem" -out "$work/rsa-leaf.pem"
openssl s_server -accept "127.0.0.1:$openssl_port" -cert "$work/rsa-leaf.pem" -key "$work/rsa.key" \
    -cert_chain "$TESSERA_HOME/ca/intermediate.pem" -www -quiet >/dev/null 2>&1 </dev/null &
pids+=($!)
wait_port "$serve_port"
wait_port "$openssl_port"

now_ns() { date +%s%N; }
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
time_ms() { local t0 t1; t0=$(now_ns); "$@" >/dev/null 2>&1 || true; t1=$(now_ns); echo $(( (t1 - t0) / 1000000 )); }

echo
echo "| server | tessera scan (AOT, median of $runs) | sslscan (median of $runs) | testssl.sh -p -e -S (1 run) | sslscan / tessera | testssl / tessera |"
echo "| --- | --- | --- | --- | --- | --- |"
for target in "tessera serve:$serve_port" "openssl s_server:$openssl_port"; do
    name="${target%%:*}"; port="${target##*:}"
    : >"$work/t.ms"; : >"$work/s.ms"
    time_ms "$tessera" scan "localhost:$port" --ca "$root" >/dev/null   # warm-up (page cache, the server's first accept)
    for _ in $(seq "$runs"); do
        time_ms "$tessera" scan "localhost:$port" --ca "$root" >>"$work/t.ms"
        time_ms sslscan --no-colour "127.0.0.1:$port" >>"$work/s.ms"
    done
    tl=$(time_ms testssl --quiet --color 0 --warnings off -p -e -S "127.0.0.1:$port")
    tm=$(median "$work/t.ms"); sm=$(median "$work/s.ms")
    awk -v n="$name" -v t="$tm" -v s="$sm" -v l="$tl" 'BEGIN {
        printf "| %s | %.2f s | %.2f s | %.1f s | %.1fx | %.0fx |\n", n, t / 1000, s / 1000, l / 1000, s / t, l / t }'
done
echo
echo "tessera scan's own report of the tessera serve scan:"
"$tessera" scan "localhost:$serve_port" --ca "$root" | head -4
