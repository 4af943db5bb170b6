#!/usr/bin/env bash
# Where the terminator's core goes during new-connection load, for `tessera proxy` and for nginx (stream) side by
# side: each runs pinned to core 1 (as in bench/terminators.sh) in turn, h2load on core 0 makes one request per new
# TLS 1.3 connection to a backend that closes after answering, and `perf record -C 1` samples everything on core 1
# (user and kernel) for SECONDS (default 10). Prints perf's self time by DSO, then by symbol.
# EventPipe (dotnet-trace) is not used: it attributes time to P/Invoke boundaries (see bench/README.md).
# Needs perf (linux-perf), nginx-light + libnginx-mod-stream, nghttp2-client, two cores.
# Usage: bench/proxy-profile.sh [SECONDS] [CLIENTS]
set -euo pipefail
seconds="${1:-10}"
clients="${2:-8}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/common.sh"
for tool in perf h2load nginx taskset; do command -v "$tool" >/dev/null || { echo "proxy-profile.sh needs $tool" >&2; exit 1; }; done
[ "$(nproc)" -ge 2 ] || { echo "proxy-profile.sh needs two cores (terminator on one, load on the other)" >&2; exit 1; }
stream_module=/usr/lib/nginx/modules/ngx_stream_module.so

dev_pki 127.0.0.1

backend="$(free_port)"
mkdir -p "$work/backend" "$work/nginx"
cat > "$work/backend/nginx.conf" <<EOF
worker_processes 1;
error_log $work/backend/error.log;
pid $work/backend/nginx.pid;
events { worker_connections 4096; }
http { access_log off; keepalive_timeout 0; server { listen 127.0.0.1:$backend; location / { return 200 "ok\n"; } } }
EOF
taskset -c 0 nginx -c "$work/backend/nginx.conf" -p "$work/backend" -g 'daemon off;' 2>/dev/null &
pids+=($!)
wait_port "$backend"

profile() { # name port -> h2load's rate and perf's tables
    local port="$2"
    load() { taskset -c 0 timeout 300 h2load --h1 -n "$1" -c "$clients" -m 1 -t 1 "https://127.0.0.1:$port/" 2>&1; }
    load 4000 >/dev/null   # warm-up: JIT and tiering, session caches
    load 1000000 >/dev/null &
    local loader=$!
    sleep 1
    perf record -F 999 -g -C 1 -o "$work/$1.perf" -- sleep "$seconds" 2>/dev/null
    kill "$loader" 2>/dev/null || true
    wait "$loader" 2>/dev/null || true
    echo "== $1: perf self time by DSO (core 1, ${seconds} s, h2load -c $clients, a new TLS 1.3 connection per request) =="
    # awk, not head: head would close the pipe early and pipefail would stop the script.
    perf report -i "$work/$1.perf" --no-children --sort dso --stdio -g none 2>/dev/null | awk '!/^#/ && NF && n++ < 15'
    echo "== $1: top symbols =="
    perf report -i "$work/$1.perf" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | awk '!/^#/ && NF && n++ < 45' 
}

tessera_port="$(free_port)"
# Perf maps let perf name JIT-compiled .NET methods (W^X off, or the code lives in an anonymous double mapping).
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 1 dotnet "$cli" proxy --listen "127.0.0.1:$tessera_port" --cert "$work/localhost.pem" \
    --key "$work/localhost.key" --backend "127.0.0.1:$backend" --tls1.3 --ocsp off >/dev/null 2>&1 &
tessera_pid=$!; pids+=($!)
wait_port "$tessera_port"
profile tessera "$tessera_port"
kill "$tessera_pid"

nginx_port="$(free_port)"
cat > "$work/nginx/nginx.conf" <<EOF
load_module $stream_module;
worker_processes 1;
error_log $work/nginx/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 4096; }
stream {
    server {
        listen 127.0.0.1:$nginx_port ssl;
        ssl_certificate $work/localhost.pem;
        ssl_certificate_key $work/localhost.key;
        ssl_protocols TLSv1.3;
        proxy_pass 127.0.0.1:$backend;
    }
}
EOF
taskset -c 1 nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' 2>/dev/null &
pids+=($!)
wait_port "$nginx_port"
profile nginx "$nginx_port"
