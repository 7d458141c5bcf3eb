#!/usr/bin/env bash
# Refreshes the README's screenshots (docs/images/*.png): runs the first-run browser walk
# (tests/PressMcp.Tests/Browser/FirstRunWalkBrowserTests.cs), which saves a screenshot at each step when
# PRESSMCP_SCREENSHOTS names a directory. Needs what ./test.sh browser installs (Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "chromium is missing: run ./test.sh browser once, which installs it" >&2; exit 1; }
dotnet build tests/PressMcp.Tests/PressMcp.Tests.csproj -c Release --nologo -v q
PRESSMCP_SCREENSHOTS="$PWD/docs/images" dotnet test tests/PressMcp.Tests/PressMcp.Tests.csproj -c Release --no-build \
  --filter "FullyQualifiedName~FirstRunWalkBrowserTests" --nologo
ls -1 docs/images/*.png
