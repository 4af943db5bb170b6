# Sourced by the bench scripts: a work folder and the servers started in the background, both removed on exit,
# and loopback port helpers. Expects `set -euo pipefail` in the caller.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "nothing listens on $1" >&2; exit 1; }

# The Release CLI ($cli), a fresh dev CA under $work/home ($TESSERA_HOME, root certificate in $root) and a certificate
# for localhost plus any names given as arguments, written to $work/localhost.{pem,key}.
dev_pki() {
    dotnet build -c Release "$repo/src/Tessera.Cli" -v q -nologo >/dev/null
    cli="$repo/src/Tessera.Cli/bin/Release/net10.0/Tessera.Cli.dll"
    export TESSERA_HOME="$work/home"
    dotnet "$cli" ca init >/dev/null
    dotnet "$cli" ca issue localhost "$@" --out "$work/localhost" >/dev/null
    root="$TESSERA_HOME/ca/root.pem"
}
