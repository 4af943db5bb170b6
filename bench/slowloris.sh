#!/usr/bin/env bash
# `tessera proxy` (tcp mode) under a slowloris: the handshake rate of `tessera bench -c 4` through the proxy, first
# alone, then while bench/slowloris.py holds N half-open handshakes (default 1000, from 20 loopback addresses).
# Prints both rates and their ratio (target: at least 0.8). DURATION seconds per measurement (default 10).
# Usage: bench/slowloris.sh [DURATION] [N]
set -euo pipefail
duration="${1:-10}"
n="${2:-1000}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
# Both the proxy and the slowloris hold one descriptor per connection.
ulimit -n "$(ulimit -Hn)"

dotnet build -c Release "$repo/src/Tessera.Cli" -v q -nologo >/dev/null
cli="$repo/src/Tessera.Cli/bin/Release/net10.0/Tessera.Cli.dll"
export TESSERA_HOME="$work/home"
dotnet "$cli" ca init >/dev/null
dotnet "$cli" ca issue localhost --out "$work/localhost" >/dev/null
root="$TESSERA_HOME/ca/root.pem"

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
    --backend "127.0.0.1:$backend_port" --handshake-timeout 10 >"$work/proxy.log" 2>&1 &
pids+=($!)
wait_port "$backend_port"
wait_port "$proxy_port"

rate() {
    local out
    out="$(dotnet "$cli" bench "127.0.0.1:$proxy_port" --servername localhost --ca "$root" -c 4 -t "$duration" --json)"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["errors"]==0, r["first_errors"]; print(r["handshakes_per_second"])' "$out"
}
rate >/dev/null   # warm-up: JIT, the proxy's first connections
alone="$(rate)"
python3 "$(dirname "$0")/slowloris.py" 127.0.0.1 "$proxy_port" "$n" "$((duration + 8))" >"$work/slowloris.log" 2>&1 &
loris=$!
pids+=($loris)
sleep 3
under="$(rate)"
wait "$loris"
cat "$work/slowloris.log"
echo
echo "| tessera bench -c 4 through tessera proxy | handshakes/s |"
echo "| --- | ---: |"
echo "| alone | $alone |"
echo "| with $n half-open handshakes held | $under |"
python3 -c 'import sys; print(f"\nratio under slowloris / alone: {float(sys.argv[2])/float(sys.argv[1]):.2f}")' "$alone" "$under"
