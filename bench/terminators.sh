#!/usr/bin/env bash
# `tessera proxy` against nginx (stream module), HAProxy and hitch as TLS terminators on this machine: each terminates
# TLS 1.3 with the same certificate (ECDSA P-256 leaf + intermediate from `tessera ca`) and relays the bytes (layer 4,
# the one mode all four share) to the same backend, a plain-HTTP nginx that answers every request and closes
# (`Connection: close`), so each request is a new TLS connection. On a machine with two or more cores, the terminators
# are pinned to one core (taskset) and run one worker or thread there (nginx worker_processes 1, HAProxy nbthread 1,
# hitch --workers=1, Tessera one process whose .NET runtime sees one processor), while the clients and the backend run
# on another: what is measured is each terminator's work per core, not how it shares a core with the load generator.
# Measured, per terminator, in turn:
#   - full handshakes/s and p99 handshake latency at 1, 8 and 64 concurrent clients (`tessera bench --tls1.3`: TCP
#     connect + handshake, then close_notify), X25519 for all (`--groups x25519`: the others' OpenSSL 3.0 has no
#     X25519MLKEM768, which Tessera would otherwise negotiate with its own client);
#   - resumed handshakes/s (TLS 1.3 tickets) at 1, 8 and 64 clients (`tessera bench --resume`);
#   - HTTP/1.1 requests/s at 1, 8 and 64 clients with h2load, each request on a new TLS connection (the backend closes
#     after answering and h2load reconnects);
#   - memory per idle established connection: on a freshly started terminator after 200 handshakes, its resident set
#     (its processes and their children) with COUNT idle TLS connections held, minus before, over COUNT (bench/idle.py).
# Each throughput cell runs DURATION seconds (default 5) per terminator, ROUNDS times (default 3), terminators
# interleaved; the median is reported with Tessera's ratio to each. Needs nginx-light + libnginx-mod-stream, haproxy,
# hitch, nghttp2-client (h2load), python3.
# Usage: bench/terminators.sh [DURATION] [ROUNDS] [COUNT]
set -euo pipefail
duration="${1:-5}"
rounds="${2:-3}"
idle="${3:-2000}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
for tool in nginx haproxy hitch h2load python3; do
    command -v "$tool" >/dev/null || { echo "terminators.sh needs $tool (apt-get install nginx-light libnginx-mod-stream haproxy hitch nghttp2-client)" >&2; exit 1; }
done
stream_module=/usr/lib/nginx/modules/ngx_stream_module.so
[ -f "$stream_module" ] || { echo "terminators.sh needs nginx's stream module (apt-get install libnginx-mod-stream)" >&2; exit 1; }
if [ "$(nproc)" -ge 2 ]; then
    # Arrays, not functions: a background "${on_server[@]}" cmd & is the command's own pid (taskset execs it), which the
    # exit trap stops and whose resident set idle.py reads.
    on_server=(taskset -c 1)
    on_client=(taskset -c 0)
    cores="terminator pinned to core 1, clients and backend to core 0"
else
    on_server=()
    on_client=()
    cores="one core shared by everything"
fi
ulimit -n "$(ulimit -Hn)"   # thousands of idle connections: as many descriptors as we may have

dotnet build -c Release "$repo/src/Tessera.Cli" -v q -nologo >/dev/null
cli="$repo/src/Tessera.Cli/bin/Release/net10.0/Tessera.Cli.dll"
tessera() { dotnet "$cli" "$@"; }
export TESSERA_HOME="$work/home"
tessera ca init >/dev/null
tessera ca issue localhost 127.0.0.1 --out "$work/localhost" >/dev/null
root="$TESSERA_HOME/ca/root.pem"
cat "$work/localhost.pem" "$work/localhost.key" > "$work/combined.pem"   # HAProxy and hitch take chain + key in one file

# The backend: plain HTTP, a fixed answer, then close.
backend="$(free_port)"
mkdir -p "$work/backend"
cat > "$work/backend/nginx.conf" <<EOF
worker_processes 1;
error_log $work/backend/error.log;
pid $work/backend/nginx.pid;
events { worker_connections 9000; }
http {
    access_log off;
    keepalive_timeout 0;
    server { listen 127.0.0.1:$backend; location / { return 200 "ok\n"; } }
}
EOF
"${on_client[@]}" nginx -c "$work/backend/nginx.conf" -p "$work/backend" -g 'daemon off;' 2>/dev/null &
pids+=($!)

declare -A port pid
# tessera proxy (tcp mode): its per-connection log lines go to /dev/null, the way the others' access logs are off.
port[tessera]="$(free_port)"

port[nginx]="$(free_port)"
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<EOF
load_module $stream_module;
worker_processes 1;
error_log $work/nginx/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 9000; }
stream {
    server {
        listen 127.0.0.1:${port[nginx]} ssl;
        ssl_certificate $work/localhost.pem;
        ssl_certificate_key $work/localhost.key;
        ssl_protocols TLSv1.3;
        ssl_session_cache shared:tls:10m;
        ssl_session_tickets on;
        proxy_pass 127.0.0.1:$backend;
    }
}
EOF

port[haproxy]="$(free_port)"
cat > "$work/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn 8000
defaults
    mode tcp
    timeout connect 5s
    timeout client 5m
    timeout server 5m
frontend tls
    bind 127.0.0.1:${port[haproxy]} ssl crt $work/combined.pem ssl-min-ver TLSv1.3
    default_backend plain
backend plain
    server app 127.0.0.1:$backend
EOF
port[hitch]="$(free_port)"

start() { # terminator: starts it on its port (again, for the memory measurement) and waits until it listens
    case "$1" in
        tessera) "${on_server[@]}" dotnet "$cli" proxy --listen "127.0.0.1:${port[tessera]}" --cert "$work/localhost.pem" --key "$work/localhost.key" \
                     --backend "127.0.0.1:$backend" --tls1.3 --ocsp off --max-connections 8000 --max-handshakes-per-client 1000 >/dev/null 2>"$work/tessera.log" & ;;
        nginx) "${on_server[@]}" nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' 2>"$work/nginx.log" & ;;
        haproxy) "${on_server[@]}" haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 & ;;
        hitch) "${on_server[@]}" hitch --frontend="[127.0.0.1]:${port[hitch]}" --backend="[127.0.0.1]:$backend" --tls-protos=TLSv1.3 \
                   --workers=1 --daemon=off --user=nobody "$work/combined.pem" >"$work/hitch.log" 2>&1 & ;;
    esac
    pid[$1]=$!; pids+=($!)
    (wait_port "${port[$1]}") || { echo "$1 did not start:" >&2; cat "$work/$1.log" >&2; exit 1; }
}

terminators=(tessera nginx haproxy hitch)
wait_port "$backend"
for t in "${terminators[@]}"; do start "$t"; done

bench() { # terminator clients [--resume] -> "handshakes/s p99-ms"
    local out
    out="$("${on_client[@]}" timeout 120 dotnet "$cli" bench "127.0.0.1:${port[$1]}" --servername localhost --ca "$root" -c "$2" -t "$duration" --tls1.3 --groups x25519 --json ${3:-})"
    python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["errors"] == 0, r["first_errors"]
if sys.argv[2] == "--resume":
    assert r["resumed"] >= r["handshakes"] - r["connections"], "only %d of %d resumed" % (r["resumed"], r["handshakes"])
print(r["handshakes_per_second"], r["latency_ms"]["p99"])' "$out" "${3:-}"
}
h2() { # terminator clients -> requests/s, each on a new TLS connection
    local out n=$(( $2 * 200 ))
    [ "$n" -lt 1000 ] && n=1000
    out="$("${on_client[@]}" timeout 300 h2load --h1 -n "$n" -c "$2" -m 1 -t 1 "https://127.0.0.1:${port[$1]}/" 2>&1)"
    if ! grep -q " 0 failed, 0 errored, 0 timeout" <<<"$out"; then echo "h2load reported failures against $1:" >&2; echo "$out" >&2; exit 1; fi
    sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}×")' "$1" "$2"; }

# Warm-up: JIT and tiering for Tessera, session caches and worker start-up for everyone.
for t in "${terminators[@]}"; do
    "${on_client[@]}" dotnet "$cli" bench "127.0.0.1:${port[$t]}" --servername localhost --ca "$root" -c 8 -t 3 --tls1.3 --groups x25519 >/dev/null
    "${on_client[@]}" dotnet "$cli" bench "127.0.0.1:${port[$t]}" --servername localhost --ca "$root" -c 8 -t 2 --tls1.3 --groups x25519 --resume >/dev/null
    h2 "$t" 8 >/dev/null
done

declare -A rate p99
cells=()
for clients in 1 8 64; do cells+=("full|$clients" "resumed|$clients" "h2load|$clients"); done
for cell in "${cells[@]}"; do
    kind="${cell%%|*}"; clients="${cell#*|}"
    echo "measuring: $kind, $clients clients" >&2
    declare -A samples=() lat=()
    for _ in $(seq "$rounds"); do
        for t in "${terminators[@]}"; do
            case "$kind" in
                full) out="$(bench "$t" "$clients")"; read -r r l <<<"$out"; lat[$t]+="$l "; samples[$t]+="$r " ;;
                resumed) out="$(bench "$t" "$clients" --resume)"; read -r r l <<<"$out"; lat[$t]+="$l "; samples[$t]+="$r " ;;
                h2load) samples[$t]+="$(h2 "$t" "$clients") " ;;
            esac
        done
    done
    for t in "${terminators[@]}"; do
        rate[$cell,$t]="$(tr ' ' '\n' <<<"${samples[$t]}" | grep . | median)"
        [ "$kind" = h2load ] || p99[$cell,$t]="$(tr ' ' '\n' <<<"${lat[$t]}" | grep . | median)"
    done
    unset samples lat
done

declare -A memory
echo "measuring: memory per idle connection" >&2
# On fresh processes: after the load above, a terminator's allocator (the .NET GC heap, glibc's arenas, HAProxy's
# pools) has room already committed that new connections would reuse, which would flatter whoever kept the most.
# Each starts again, makes 200 handshakes (JIT, lazy initialisation), and then holds COUNT idle connections.
for t in "${terminators[@]}"; do
    kill "${pid[$t]}"; wait "${pid[$t]}" 2>/dev/null || true
    start "$t"
    "${on_client[@]}" timeout 120 dotnet "$cli" bench "127.0.0.1:${port[$t]}" --servername localhost --ca "$root" -c 8 -n 200 --tls1.3 --groups x25519 >/dev/null
    memory[$t]="$("${on_client[@]}" python3 "$repo/bench/idle.py" "${port[$t]}" "$root" "$idle" "${pid[$t]}")"
done

echo "TLS 1.3 termination (layer 4), ECDSA P-256 leaf + intermediate, X25519; $cores; ${duration} s per cell, median of ${rounds} rounds ($(date -u +%Y-%m-%d), commit $(git -C "$repo" rev-parse --short HEAD))"
echo "$(nginx -v 2>&1 | sed 's/.*: //'), $(haproxy -v | head -n 1 | cut -d' ' -f1-3), $(hitch --version 2>&1 | head -n 1), $(openssl version | cut -d' ' -f1-2)"
echo
echo "| Measure | clients | tessera proxy | nginx | HAProxy | hitch | Tessera / nginx | Tessera / HAProxy | Tessera / hitch |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for cell in "${cells[@]}"; do
    kind="${cell%%|*}"; clients="${cell#*|}"
    case "$kind" in
        full) name="full handshakes/s" ;;
        resumed) name="resumed handshakes/s" ;;
        h2load) name="h2load requests/s, new connection each" ;;
    esac
    line="| $name | $clients"
    for t in "${terminators[@]}"; do line+=" | ${rate[$cell,$t]}"; done
    for t in nginx haproxy hitch; do line+=" | $(ratio "${rate[$cell,tessera]}" "${rate[$cell,$t]}")"; done
    echo "$line |"
done
for cell in "${cells[@]}"; do
    kind="${cell%%|*}"; clients="${cell#*|}"
    [ "$kind" = h2load ] && continue
    line="| p99 ms, $kind | $clients"
    # Latency: lower is better, so the ratio is theirs over Tessera's (above 1: Tessera is faster).
    for t in "${terminators[@]}"; do line+=" | ${p99[$cell,$t]}"; done
    for t in nginx haproxy hitch; do line+=" | $(ratio "${p99[$cell,$t]}" "${p99[$cell,tessera]}")"; done
    echo "$line |"
done
line="| KiB per idle connection ($idle held) | $idle"
for t in "${terminators[@]}"; do line+=" | ${memory[$t]}"; done
for t in nginx haproxy hitch; do line+=" | $(ratio "${memory[$t]}" "${memory[tessera]}")"; done
echo "$line |"
echo
echo "Ratios are Tessera's advantage: rate over rate, and the others' p99 or memory over Tessera's (above 1: Tessera is better)."
