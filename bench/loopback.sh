#!/usr/bin/env bash
# Tessera against OpenSSL over real loopback TCP, with real processes on both ends:
#   servers: `tessera serve` and `openssl s_server`, same ECDSA P-256 certificate (leaf + intermediate), TLS 1.3, X25519;
#   clients: `tessera bench --groups x25519` (full and resumed; X25519 so that both servers do the same work, OpenSSL
#   3.0 lacking X25519MLKEM768) and `openssl s_time` (full).
# Prints a Markdown table with the Tessera/OpenSSL ratio for each client: one connection at a time (-c 1; s_server
# serves connections one after another), then two at a time (-c 2); DURATION seconds per cell (default 10).
# Usage: bench/loopback.sh [DURATION]
set -euo pipefail
duration="${1:-10}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"

dotnet build -c Release "$repo/src/Tessera.Cli" -v q -nologo >/dev/null
cli="$repo/src/Tessera.Cli/bin/Release/net10.0/Tessera.Cli.dll"
tessera() { dotnet "$cli" "$@"; }
export TESSERA_HOME="$work/home"
tessera ca init >/dev/null
tessera ca issue localhost --out "$work/localhost" >/dev/null
root="$TESSERA_HOME/ca/root.pem"


ossl_port="$(free_port)"
# The chain file holds leaf then intermediate; s_server sends only -cert's first certificate unless -cert_chain is given.
openssl x509 -in "$work/localhost.pem" -out "$work/leaf.pem"
openssl s_server -accept "127.0.0.1:$ossl_port" -cert "$work/leaf.pem" -key "$work/localhost.key" \
    -cert_chain "$TESSERA_HOME/ca/intermediate.pem" -tls1_3 -groups X25519 -www -quiet >/dev/null 2>&1 &
pids+=($!)
tess_port="$(free_port)"
# Started directly (not through the function) so that $! is the server process itself and the trap stops it.
dotnet "$cli" serve --listen "127.0.0.1:$tess_port" --cert "$work/localhost.pem" --key "$work/localhost.key" --tls1.3 >/dev/null 2>&1 &
pids+=($!)
wait_port "$ossl_port"
wait_port "$tess_port"

bench() { # port connections [--resume] -> handshakes/s
    local out
    out="$(tessera bench "127.0.0.1:$1" --servername localhost --ca "$root" -c "$2" -t "$duration" --tls1.3 --groups x25519 --json ${3:-})"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["errors"]==0, r["first_errors"]; print(r["handshakes_per_second"])' "$out"
}
s_time() { # port -> connections per wall-clock second
    # s_time's own rate ("connections/user sec", and the "connections in N.NNs" before it) divides by the client's
    # user CPU time, which does not grow while the client waits for a slow server, so it cannot tell servers apart; its
    # "in N real seconds" is whole seconds. The wall clock around the run is what a server's rate needs.
    python3 - "$1" "$duration" <<'PY'
import re, subprocess, sys, time
start = time.monotonic()
out = subprocess.run(["openssl", "s_time", "-connect", f"127.0.0.1:{sys.argv[1]}", "-new", "-time", sys.argv[2]],
                     capture_output=True, text=True).stdout
elapsed = time.monotonic() - start
match = re.search(r"(\d+) connections in [\d.]+s", out)
if not match:
    sys.exit("s_time printed no count")
print(f"{int(match.group(1)) / elapsed:.1f}")
PY
}

# Warm up both servers (and the JIT of the long-lived tessera serve process) before anything is measured.
tessera bench "127.0.0.1:$tess_port" --servername localhost --ca "$root" -c 1 -t 3 --tls1.3 --groups x25519 >/dev/null
tessera bench "127.0.0.1:$ossl_port" --servername localhost --ca "$root" -c 1 -t 3 --tls1.3 --groups x25519 >/dev/null

tf="$(bench "$tess_port" 1)"; of="$(bench "$ossl_port" 1)"
tr="$(bench "$tess_port" 1 --resume)"; orr="$(bench "$ossl_port" 1 --resume)"
# Two clients at once: what a server does with both cores (s_server answers one connection at a time; tessera serve
# answers each on the thread pool). The client shares the same two cores, so this is a floor for a real deployment.
tf2="$(bench "$tess_port" 2)"; of2="$(bench "$ossl_port" 2)"
tr2="$(bench "$tess_port" 2 --resume)"; orr2="$(bench "$ossl_port" 2 --resume)"
ts="$(s_time "$tess_port")"; os="$(s_time "$ossl_port")"
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}×")' "$1" "$2"; }

echo "Loopback, TLS 1.3, X25519, ECDSA P-256 leaf + intermediate, ${duration} s each ($(date -u +%Y-%m-%d), commit $(git -C "$repo" rev-parse --short HEAD))"
echo
echo "| Client | tessera serve (handshakes/s) | openssl s_server (handshakes/s) | Tessera / OpenSSL |"
echo "|---|---:|---:|---:|"
echo "| tessera bench, full | $tf | $of | $(ratio "$tf" "$of") |"
echo "| tessera bench, resumed | $tr | $orr | $(ratio "$tr" "$orr") |"
echo "| tessera bench, full, 2 connections at a time | $tf2 | $of2 | $(ratio "$tf2" "$of2") |"
echo "| tessera bench, resumed, 2 connections at a time | $tr2 | $orr2 | $(ratio "$tr2" "$orr2") |"
echo "| openssl s_time -new, full | $ts | $os | $(ratio "$ts" "$os") |"
