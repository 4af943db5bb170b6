#!/usr/bin/env bash
# Memory per idle established TLS 1.3 connection: `tessera serve` (echo mode) against nginx (an `http` server with
# TLS, the usual way nginx terminates), side by side, for each COUNT of connections held (default 2,000 and 10,000).
# Both servers use the same ECDSA P-256 leaf + intermediate from `tessera ca`, X25519 and session tickets on; each runs
# one process / one worker, pinned to core 1 when there are two cores (the client on core 0). For each COUNT, each
# server is started afresh, makes 200 handshakes (JIT, lazy initialisation, nginx's worker start-up), and then
# bench/idle.py opens COUNT TLS 1.3 connections, completes their handshakes, sends nothing, and prints the growth of
# the server's resident set (process and children) over COUNT in KiB. Every connection must still be open at the end.
# Usage: bench/idle-memory.sh [COUNT ...]      (≈ 2 minutes for the defaults)
set -euo pipefail
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(2000 10000)
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
for tool in nginx python3; do
    command -v "$tool" >/dev/null || { echo "idle-memory.sh needs $tool (apt-get install nginx-light python3)" >&2; exit 1; }
done
if [ "$(nproc)" -ge 2 ]; then on_server=(taskset -c 1); on_client=(taskset -c 0); else on_server=(); on_client=(); fi
ulimit -n "$(ulimit -Hn)"
max=0; for c in "${counts[@]}"; do [ "$c" -gt "$max" ] && max=$c; done
[ "$(ulimit -n)" -gt $((max + 200)) ] || { echo "idle-memory.sh: $max connections need more file descriptors than $(ulimit -n)" >&2; exit 1; }

dev_pki 127.0.0.1

declare -A port pid
port[tessera]="$(free_port)"
port[nginx]="$(free_port)"
mkdir -p "$work/nginx"
# worker_connections at twice the count: when fewer than 1/16 of its connections are free, nginx closes idle ones that
# have not sent a request yet to make room (ngx_drain_connections), which would end held connections quietly.
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile $((2 * max + 2000));
error_log $work/nginx/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections $((2 * max + 1000)); }
http {
    access_log off;
    keepalive_timeout 600s;
    client_header_timeout 600s;
    server {
        listen 127.0.0.1:${port[nginx]} ssl;
        ssl_certificate $work/localhost.pem;
        ssl_certificate_key $work/localhost.key;
        ssl_protocols TLSv1.3;
        ssl_ecdh_curve X25519;
        ssl_session_tickets on;
        location / { return 200 "ok\n"; }
    }
}
CONF

start() { # server: starts it afresh on its port and waits until it listens
    case "$1" in
        tessera) "${on_server[@]}" dotnet "$cli" serve --listen "127.0.0.1:${port[tessera]}" --cert "$work/localhost.pem" --key "$work/localhost.key" \
                     --tls1.3 --groups x25519 >/dev/null 2>"$work/tessera.log" & ;;
        nginx) "${on_server[@]}" nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' 2>"$work/nginx.log" & ;;
    esac
    pid[$1]=$!; pids+=($!)
    (wait_port "${port[$1]}") || { echo "$1 did not start:" >&2; cat "$work/$1.log" >&2; exit 1; }
}
stop() { kill "${pid[$1]}" 2>/dev/null || true; wait "${pid[$1]}" 2>/dev/null || true; }

declare -A kib
for count in "${counts[@]}"; do
    for server in tessera nginx; do
        echo "measuring: $server, $count idle connections" >&2
        start "$server"
        "${on_client[@]}" timeout 120 dotnet "$cli" bench "127.0.0.1:${port[$server]}" --servername localhost --ca "$root" -c 8 -n 200 --tls1.3 --groups x25519 >/dev/null
        if ! kib[$server,$count]="$("${on_client[@]}" timeout 900 python3 "$repo/bench/idle.py" "${port[$server]}" "$root" "$count" "${pid[$server]}")"; then
            echo "idle-memory.sh: $server did not hold $count connections; its log:" >&2
            tail -n 20 "$work/$server.log" "$work/nginx/error.log" >&2 2>/dev/null || true
            exit 1
        fi
        echo "  $server, $count held: ${kib[$server,$count]} KiB each" >&2
        stop "$server"
    done
done

echo "Memory per idle TLS 1.3 connection (X25519, ECDSA P-256 leaf + intermediate), resident-set growth over the count held; $(date -u +%Y-%m-%d), commit $(git -C "$repo" rev-parse --short HEAD); $(nginx -v 2>&1 | sed 's/.*: //'), $(openssl version | cut -d' ' -f1-2)"
echo
echo "| Connections held | tessera serve KiB each | nginx KiB each | nginx / Tessera |"
echo "|---:|---:|---:|---:|"
for count in "${counts[@]}"; do
    t="${kib[tessera,$count]}"; n="${kib[nginx,$count]}"
    echo "| $count | $t | $n | $(python3 -c 'import sys; print(f"{float(sys.argv[2]) / float(sys.argv[1]):.2f}×")' "$t" "$n") |"
done
