#!/usr/bin/env bash
# `tessera proxy` (tcp mode) under a slowloris: the handshake rate of `tessera bench -c 4` through the proxy, first
# alone, then while bench/slowloris.py holds N half-open handshakes (default 1000, from 20 loopback addresses).
# Measures alone, under the slowloris, alone again, and prints the ratio against the mean of the two alone runs
# (target: at least 0.8). DURATION seconds per measurement (default 10). HANDSHAKE_TIMEOUT sets the proxy's (default
# 10 s, so the slowloris's connections time out and are reopened during the measurement, as a real one would).
# Usage: bench/slowloris.sh [DURATION] [N]
set -euo pipefail
duration="${1:-10}"
n="${2:-1000}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
# Both the proxy and the slowloris hold one descriptor per connection.
ulimit -n "$(ulimit -Hn)"

dev_pki

backend_port="$(free_port)"
python3 -c '
import asyncio, sys
async def echo(r, w):
    try:
        while data := await r.read(65536):
            w.write(data); await w.drain()
    except ConnectionError:
        pass
    w.close()
async def main():
    server = await asyncio.start_server(echo, "127.0.0.1", int(sys.argv[1]), backlog=4096)
    await server.serve_forever()
asyncio.run(main())' "$backend_port" &
pids+=($!)
proxy_port="$(free_port)"
dotnet "$cli" proxy --listen "127.0.0.1:$proxy_port" --cert "$work/localhost.pem" --key "$work/localhost.key" \
    --backend "127.0.0.1:$backend_port" --handshake-timeout "${HANDSHAKE_TIMEOUT:-10}" >"$work/proxy.log" 2>&1 &
pids+=($!)
wait_port "$backend_port"
wait_port "$proxy_port"

rate() {
    local out
    out="$(dotnet "$cli" bench "127.0.0.1:$proxy_port" --servername localhost --ca "$root" -c 4 -t "$duration" --json)"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["errors"]==0, r["first_errors"]; print(r["handshakes_per_second"])' "$out"
}
rate >/dev/null   # warm-up: JIT, the proxy's first connections
alone1="$(rate)"
python3 "$(dirname "$0")/slowloris.py" 127.0.0.1 "$proxy_port" "$n" "$((duration + 10))" >"$work/slowloris.log" 2>&1 &
loris=$!
pids+=($loris)
sleep 5   # the slowloris's own burst of connects is over; from here it only holds them (and reopens what times out)
under="$(rate)"
wait "$loris"
alone2="$(rate)"   # alone again: the machine's drift during the run shows as a difference between alone1 and alone2
cat "$work/slowloris.log"
echo
echo "| tessera bench -c 4 through tessera proxy | handshakes/s |"
echo "| --- | ---: |"
echo "| alone, before | $alone1 |"
echo "| with $n half-open handshakes held | $under |"
echo "| alone, after | $alone2 |"
python3 -c 'import sys; a=(float(sys.argv[1])+float(sys.argv[2]))/2; print(f"\nratio under slowloris / alone (mean of before and after): {float(sys.argv[3])/a:.2f}")' "$alone1" "$alone2" "$under"
