#!/usr/bin/env bash
# HttpClient + Tessera (TesseraHttpHandler) against HttpClient + SslStream (SocketsHttpHandler's own TLS), both HTTP/1.1,
# against the same Kestrel server (bench/Tessera.KestrelBench with Kestrel's own HTTPS, so the server is neither
# client's stack), same certificate (ECDSA P-256 leaf + intermediate from `tessera ca`), TLS 1.3, same machine.
#   new connections: every request on a new connection (pooled lifetime zero), 4 at a time;
#   keep-alive:      4 pooled connections reused.
# SECONDS per cell (default 5), ROUNDS rounds (default 3), median requests/s and the ratio.
# Usage: bench/httpclient.sh [SECONDS] [ROUNDS]
set -euo pipefail
seconds="${1:-5}"
rounds="${2:-3}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

dotnet build -c Release "$repo/src/Tessera.Cli" -v q -nologo >/dev/null
dotnet build -c Release "$repo/bench/Tessera.KestrelBench" -v q -nologo >/dev/null
dotnet build -c Release "$repo/bench/Tessera.HttpClientBench" -v q -nologo >/dev/null
cli="$repo/src/Tessera.Cli/bin/Release/net10.0/Tessera.Cli.dll"
server="$repo/bench/Tessera.KestrelBench/bin/Release/net10.0/Tessera.KestrelBench.dll"
client="$repo/bench/Tessera.HttpClientBench/bin/Release/net10.0/Tessera.HttpClientBench.dll"
export TESSERA_HOME="$work/home"
dotnet "$cli" ca init >/dev/null
dotnet "$cli" ca issue localhost 127.0.0.1 --out "$work/localhost" >/dev/null

port="$(free_port)"
dotnet "$server" --stack sslstream --port "$port" --cert "$work/localhost.pem" --key "$work/localhost.key" >/dev/null 2>&1 &
pids+=($!)
wait_port "$port"

run() { # stack mode seconds -> req/s
    local out
    out="$(dotnet "$client" --stack "$1" --mode "$2" --seconds "$3" --concurrency 4 --url "https://localhost:$port/" --ca "$TESSERA_HOME/ca/root.pem")"
    sed -n 's/.* rps \([0-9.]*\) errors 0$/\1/p' <<<"$out"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for stack in tessera sslstream; do run "$stack" new 2 >/dev/null; run "$stack" keepalive 2 >/dev/null; done   # warm the server up

echo "| HttpClient, HTTP/1.1, $rounds × ${seconds} s, median | Tessera req/s | SslStream req/s | Tessera / SslStream |"
echo "| --- | ---: | ---: | ---: |"
for mode in new keepalive; do
    t=(); s=()
    for _ in $(seq "$rounds"); do t+=("$(run tessera "$mode" "$seconds")"); s+=("$(run sslstream "$mode" "$seconds")"); done
    tm="$(printf '%s\n' "${t[@]}" | median)"; sm="$(printf '%s\n' "${s[@]}" | median)"
    name=$([ "$mode" = new ] && echo "new connection per request" || echo "keep-alive (4 connections)")
    printf '| %s | %.0f | %.0f | %.2f× |\n' "$name" "$tm" "$sm" "$(echo "$tm / $sm" | bc -l)"
done
