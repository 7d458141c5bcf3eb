#!/usr/bin/env bash
# Publishes PressMcp as one self-contained executable for Linux x64: no .NET installation is needed where it runs.
#   deploy/publish.sh [OUTPUT_DIR]     default: artifacts/publish/linux-x64
# The result is OUTPUT_DIR/pressmcp (plus nothing else that must be copied: native libraries are bundled into the file
# and extracted beside it on first run only if needed). Install it as /opt/pressmcp/pressmcp for deploy/pressmcp.service.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-artifacts/publish/linux-x64}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# -p:PublishSingleFile bundles the app and the runtime into one file; IncludeNativeLibrariesForSelfExtract puts SQLite's
# native library inside it too. DebugType=none: no .pdb beside the executable (stack traces keep method names).
# PublishReadyToRun compiles our assemblies and the libraries' ahead of time, as the runtime's own already are: the JIT
# no longer compiles every method at start-up, which took about a third of its CPU (docs/performance.md, Start-up).
# Not composite: one image of the whole framework took crossgen2 over 15 minutes here, and the framework is shipped
# precompiled already.
dotnet publish src/PressMcp/PressMcp.csproj -c Release -r linux-x64 --self-contained true \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=false \
  -o "$OUT"
echo "published $OUT/pressmcp"
