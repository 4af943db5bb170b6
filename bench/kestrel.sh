#!/usr/bin/env bash
# Kestrel + Tessera against Kestrel + SslStream: the same app (bench/Tessera.KestrelBench), certificate (ECDSA P-256
# leaf + intermediate from `tessera ca`) and machine, driven by h2load (nghttp2-client):
#   new connections: one request per connection (-n N -c N -m 1), so every request pays a full TLS 1.3 handshake;
#   keep-alive:      a few long connections (-c 8) carrying many requests (HTTP/2: -m 10 streams each).
# Each cell runs for both stacks in turn, ROUNDS times (default 3); the median requests/s is reported with the ratio.
# Usage: bench/kestrel.sh [ROUNDS]
set -euo pipefail
rounds="${1:-3}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
command -v h2load >/dev/null || { echo "kestrel.sh needs h2load (apt-get install nghttp2-client)" >&2; exit 1; }

dotnet build -c Release "$repo/src/Tessera.Cli" -v q -nologo >/dev/null
dotnet build -c Release "$repo/bench/Tessera.KestrelBench" -v q -nologo >/dev/null
cli="$repo/src/Tessera.Cli/bin/Release/net10.0/Tessera.Cli.dll"
app="$repo/bench/Tessera.KestrelBench/bin/Release/net10.0/Tessera.KestrelBench.dll"
export TESSERA_HOME="$work/home"
dotnet "$cli" ca init >/dev/null
dotnet "$cli" ca issue localhost 127.0.0.1 --out "$work/localhost" >/dev/null


declare -A port
for stack in tessera sslstream; do
    port[$stack]="$(free_port)"
    dotnet "$app" --stack "$stack" --port "${port[$stack]}" --cert "$work/localhost.pem" --key "$work/localhost.key" >/dev/null 2>&1 &
    pids+=($!)
    wait_port "${port[$stack]}"
done

# h2load's "finished in …, N req/s" with a check that nothing failed.
run() { # stack h2load-args... -> req/s
    local stack="$1"; shift
    local out
    out="$(timeout 300 h2load "$@" "https://127.0.0.1:${port[$stack]}/" 2>&1)"
    if ! grep -q " 0 failed, 0 errored, 0 timeout" <<<"$out"; then echo "h2load reported failures against $stack:" >&2; echo "$out" >&2; exit 1; fi
    sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cells=(
    "HTTP/2 new connections|-n 2000 -c 2000 -m 1 -t 1"
    "HTTP/1.1 new connections|--h1 -n 2000 -c 2000 -m 1 -t 1"
    "HTTP/2 keep-alive|-n 100000 -c 8 -m 10 -t 1"
    "HTTP/1.1 keep-alive|--h1 -n 50000 -c 8 -m 1 -t 1"
)
# Warm both servers up (JIT, tiering, pools) before measuring.
for stack in tessera sslstream; do run "$stack" -n 3000 -c 50 -m 1 >/dev/null; run "$stack" --h1 -n 1000 -c 500 -m 1 >/dev/null; done

echo "| h2load, $rounds rounds, median | Kestrel + Tessera req/s | Kestrel + SslStream req/s | Tessera / SslStream |"
echo "| --- | ---: | ---: | ---: |"
for cell in "${cells[@]}"; do
    name="${cell%%|*}"; args="${cell#*|}"
    t=(); s=()
    for _ in $(seq "$rounds"); do
        # shellcheck disable=SC2086
        t+=("$(run tessera $args)")
        # shellcheck disable=SC2086
        s+=("$(run sslstream $args)")
    done
    tm="$(printf '%s\n' "${t[@]}" | median)"; sm="$(printf '%s\n' "${s[@]}" | median)"
    printf '| %s | %.0f | %.0f | %.2f× |\n' "$name" "$tm" "$sm" "$(echo "$tm / $sm" | bc -l)"
done
