#!/usr/bin/env bash
# Builds the fuzz targets and instruments Tessera.dll for afl-fuzz (SharpFuzz), into fuzz/out. Installs afl++ (Debian)
# and the sharpfuzz tool (the repo's tool manifest) when missing. Sourced or run by run.sh and run-all.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v afl-fuzz >/dev/null; then
    echo "fuzz: installing afl++"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi
(cd "$here/.." && dotnet tool restore >/dev/null)
rm -rf "$here/out"
dotnet publish "$here/Tessera.Fuzz/Tessera.Fuzz.csproj" -c Release -o "$here/out" --nologo -v quiet
# Only Tessera is instrumented: coverage of the runtime and BouncyCastle would drown the signal (OSS-Fuzz projects
# instrument the project's own code too).
(cd "$here/.." && dotnet sharpfuzz "$here/out/Tessera.dll")
