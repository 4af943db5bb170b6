#!/usr/bin/env bash
# Every target for SECONDS each, two at a time (one per core), after one build: fuzz/run-all.sh SECONDS
# First every committed seed and regression input is replayed in-process (fast, and fails on any escaped exception),
# then afl-fuzz runs. Exits non-zero if any target found a crash or hang.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:?usage: fuzz/run-all.sh SECONDS}"
bash "$here/build.sh"
targets=$(dotnet "$here/out/Tessera.Fuzz.dll" --list | awk '{ print $1 }')
for t in $targets; do
    inputs=("$here/corpus/$t")
    [ -d "$here/regressions/$t" ] && inputs+=("$here/regressions/$t")
    DOTNET_GCHeapHardLimit=0x40000000 timeout 300 dotnet "$here/out/Tessera.Fuzz.dll" "$t" --replay "${inputs[@]}"
done
status=0
set -- $targets
while [ $# -gt 0 ]; do
    pids=()
    for t in "$1" "${2:-}"; do
        [ -n "$t" ] || continue
        bash "$here/run.sh" "$t" "$seconds" --no-build > "$here/findings-$t.log" 2>&1 &
        pids+=("$!:$t")
    done
    for p in "${pids[@]}"; do
        if ! wait "${p%%:*}"; then status=1; fi
        cat "$here/findings-${p#*:}.log"; rm -f "$here/findings-${p#*:}.log"
    done
    shift; [ $# -gt 0 ] && shift
done
exit $status
