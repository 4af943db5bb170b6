#!/usr/bin/env bash
# Fuzzes one target with afl-fuzz for SECONDS: fuzz/run.sh TARGET SECONDS [--no-build]
# Starts from fuzz/corpus/TARGET (committed seeds), works in fuzz/findings/TARGET (not committed), copies any crash or
# hang to fuzz/crashes/TARGET, replays each one to print the exception, and prints executions, edges and findings.
# Bounded: afl-fuzz stops itself after SECONDS (-V); an input that takes over 1 s is a hang (-t 1000, fixed: SharpFuzz
# runs the first input once untimed, so JIT compilation does not count against a seed); the .NET heap is capped at
# 1 GiB (an input that needs more is an unbounded allocation and counts as a crash).
# Why not "-t 1000+": to afl++ the "+" means "auto-scale, with 1000 as the ceiling", which gave 40 ms here. A .NET run
# that crosses such a tight limit by a GC pause is killed just after it reported success; SharpFuzz's fork server then
# believes that dead child is alive, and afl's re-run of the "timeout" gets a crash from the broken pipe: the saved
# "crash" (sig:02, SharpFuzz's crash code) replays clean and no exception was logged. That was the CI failure of
# 2026-12-02 on server-protected and client-protected, the two slowest targets.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: fuzz/run.sh TARGET SECONDS [--no-build]}"
seconds="${2:?usage: fuzz/run.sh TARGET SECONDS [--no-build]}"
[ "${3:-}" = "--no-build" ] || bash "$here/build.sh"
seeds="$here/corpus/$target"
[ -d "$seeds" ] || { echo "fuzz: no seeds in $seeds" >&2; exit 2; }
findings="$here/findings/$target"
rm -rf "$findings"
mkdir -p "$findings" "$here/crashes/$target"

export AFL_SKIP_BIN_CHECK=1            # the target is dotnet, instrumented by SharpFuzz rather than afl's compiler
export AFL_NO_UI=1 AFL_QUIET=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1   # CI machines: core_pattern and governor are not ours
export AFL_NO_AFFINITY=1               # run-all.sh runs two at once on two cores; the kernel places them
export DOTNET_GCHeapHardLimit=0x40000000
export DOTNET_TieredPGO=0
export TESSERA_FUZZ_LOG="$findings/escaped.log"   # every exception that escaped a target, with its stack (Program.Logged)
timeout --signal=INT $((seconds + 60)) afl-fuzz -V "$seconds" -i "$seeds" -o "$findings" -t 1000 -m none \
    -- dotnet "$here/out/Tessera.Fuzz.dll" "$target" > "$findings/afl.log" 2>&1 || {
    echo "fuzz: afl-fuzz failed for $target:" >&2
    tail -n 30 "$findings/afl.log" >&2
    exit 1
}

stats="$findings/default/fuzzer_stats"
value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
found=0
for kind in crashes hangs; do
    for input in "$findings"/default/"$kind"/id:*; do
        [ -e "$input" ] || continue
        found=$((found + 1))
        cp "$input" "$here/crashes/$target/$kind-$(sha1sum "$input" | cut -c1-12)"
        echo "fuzz: $target: $kind: $input"
        DOTNET_GCHeapHardLimit=0x40000000 timeout 30 dotnet "$here/out/Tessera.Fuzz.dll" "$target" --replay "$input" 2>&1 | head -n 20 || true
    done
done
if [ -s "$TESSERA_FUZZ_LOG" ]; then
    cp "$TESSERA_FUZZ_LOG" "$here/crashes/$target/escaped-$(date -u +%Y%m%dT%H%M%S).log"
    echo "fuzz: $target: exceptions that escaped (first 40 lines of $TESSERA_FUZZ_LOG):"
    head -n 40 "$TESSERA_FUZZ_LOG"
fi
echo "fuzz: $target: $(value execs_done) executions in $(value run_time) s ($(value execs_per_sec)/s), $(value edges_found) edges of $(value total_edges), corpus $(value corpus_count), crashes $(value saved_crashes), hangs $(value saved_hangs)"
[ "$found" -eq 0 ]
