#!/usr/bin/env bash
# Packs every Tessera package into one folder:
#   Tessera, Tessera.AspNetCore, Tessera.Redis, Tessera.Pki, Tessera.Proxy, Tessera.Scan, Tessera.Acme, Tessera.Acme.Server   (with .snupkg symbols)
#   Tessera.Cli                          the tool's pointer package: `dotnet tool install` picks one of the two below
#   Tessera.Cli.any                      framework-dependent fallback for any platform with the .NET 10 runtime
#   Tessera.Cli.linux-x64                Native AOT (needs a linux-x64 machine to build)
# Usage: eng/pack.sh [OUT_DIR] [ARTIFACTS_DIR]
#   ARTIFACTS_DIR keeps the Release build outside the repo's bin/ and obj/ (the packages test uses a temp folder).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-artifacts/packages}")
artifacts=$(realpath -m "${2:-artifacts/build}")
mkdir -p "$out"
# No build servers or reused nodes: nothing is left running after the script ends.
common=(-c Release -o "$out" --artifacts-path "$artifacts" --disable-build-servers -nodeReuse:false -v:minimal -nologo)
dotnet pack src/Tessera/Tessera.csproj "${common[@]}"
dotnet pack src/Tessera.AspNetCore/Tessera.AspNetCore.csproj "${common[@]}"
dotnet pack src/Tessera.Redis/Tessera.Redis.csproj "${common[@]}"
dotnet pack src/Tessera.Pki/Tessera.Pki.csproj "${common[@]}"
dotnet pack src/Tessera.Proxy/Tessera.Proxy.csproj "${common[@]}"
dotnet pack src/Tessera.Scan/Tessera.Scan.csproj "${common[@]}"
dotnet pack src/Tessera.Acme/Tessera.Acme.csproj "${common[@]}"
dotnet pack src/Tessera.Acme.Server/Tessera.Acme.Server.csproj "${common[@]}"
dotnet pack src/Tessera.Cli/Tessera.Cli.csproj "${common[@]}"
dotnet pack src/Tessera.Cli/Tessera.Cli.csproj -r any "${common[@]}"
dotnet pack src/Tessera.Cli/Tessera.Cli.csproj -r linux-x64 "${common[@]}"
ls -1 "$out"
