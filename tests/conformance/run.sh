#!/usr/bin/env bash
# Conformance stage: the MCP conformance suite (npm @modelcontextprotocol/conformance) against the real
# WordPress.com-style endpoint, once per protocol revision (2026-07-28, 2025-11-25, 2025-06-18), through a
# loopback proxy that adds a token from the real OAuth flow (tests/PressMcp.Tests/Conformance). Installs Node 22
# and the suite (pinned in tests/conformance/package.json) into .tools/conformance with npm when missing.
# Expected failures, each with its reason: tests/conformance/expected-failures.yml.
#   tests/conformance/run.sh [Debug|Release]   (test.sh runs it after building; it does not build)
set -euo pipefail
cd "$(dirname "$0")/../.."
CONFIG=${1:-Release}
TOOLS=.tools/conformance
RESULTS=artifacts/test-results
mkdir -p "$TOOLS" "$RESULTS"

command -v npm >/dev/null || { echo "npm is required (Debian: apt-get install npm)"; exit 1; }
if ! cmp -s tests/conformance/package.json "$TOOLS/package.json" || [ ! -x "$TOOLS/node_modules/node/bin/node" ]; then
  echo "installing Node 22 and the conformance suite into $TOOLS"
  cp tests/conformance/package.json "$TOOLS/package.json"
  (cd "$TOOLS" && timeout 600 npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
export PRESSMCP_CONFORMANCE_NODE="$PWD/$TOOLS/node_modules/node/bin/node"
export PRESSMCP_CONFORMANCE_CLI="$PWD/$TOOLS/node_modules/@modelcontextprotocol/conformance/dist/index.js"
echo "node $("$PRESSMCP_CONFORMANCE_NODE" --version), conformance $("$PRESSMCP_CONFORMANCE_NODE" "$PRESSMCP_CONFORMANCE_CLI" --version)"

rm -rf artifacts/conformance
rc=0
dotnet test tests/PressMcp.Tests/PressMcp.Tests.csproj -c "$CONFIG" --no-build --filter "Category=Conformance" \
  --logger "console;verbosity=normal" > "$RESULTS/conformance.log" 2>&1 || rc=$?

# Summary: each revision's totals and the suite's verdict on the expected-failures list.
for log in artifacts/conformance/*.log; do
  [ -f "$log" ] || continue
  printf '%s: %s; %s\n' "$(basename "$log" .log)" \
    "$(grep -E '^Total: ' "$log" | tail -1)" \
    "$(grep -E 'Baseline check passed|Unexpected failures detected|Baseline is stale' "$log" | sed 's/\x1b\[[0-9;]*m//g' | tr '\n' ' ')"
done
p=$(grep -E '^ +Passed: +[0-9]+$' "$RESULTS/conformance.log" | tail -1 | grep -oE '[0-9]+' || echo 0)
f=$(grep -E '^ +Failed: +[0-9]+$' "$RESULTS/conformance.log" | tail -1 | grep -oE '[0-9]+' || echo 0)
echo "$p $f 0" > "$RESULTS/conformance.counts"
echo "stage conformance: $p passed, $f failed"
if [ "$rc" -ne 0 ] || [ "$p" -eq 0 ]; then
  grep -E '^\s+(Failed|Error Message)|^\s+conformance ' "$RESULTS/conformance.log" | head -40
  sed -n '/Unexpected failures (not in baseline)/,/^$/p; /Stale baseline entries/,/^$/p' artifacts/conformance/*.log 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | head -60
  exit 1
fi
