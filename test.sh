#!/usr/bin/env bash
# Runs every PressMcp test, in named stages, each under its own time limit.
# Installs what the tests need when it is missing (PostgreSQL, Chromium, NuGet packages, npm; the conformance
# stage installs Node 22 and the MCP conformance suite into .tools/ with npm) and
# starts what they need (a throwaway PostgreSQL cluster on a loopback port, stopped at the end).
#   ./test.sh              all stages
#   ./test.sh unit storage only the named stages (prepare and build always run)
# Stages: unit integration storage browser peers conformance compatibility (every documented example call of
# WordPress.com's MCP, the MCP Adapter and the seed references, replayed against a running server; docs/compatibility.md)
# hardening (the built server as its own process:
# a seeded fuzzer over every endpoint, and kill -9 under concurrent writes on SQLite and PostgreSQL; docs/security.md)
# deploy (deploy/publish.sh's single-file executable: serves, stops on SIGTERM; the systemd unit verified against it).
# instances (two server processes on one throwaway PostgreSQL behind nginx running deploy/nginx/pressmcp.conf on
# loopback; installs nginx; docs/architecture.md, "Several instances").
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIG=Release
RESULTS="$ROOT/artifacts/test-results"
TOTAL_PASSED=0 TOTAL_FAILED=0 TOTAL_SKIPPED=0
FAILED_STAGES=()
STAGES=("$@")
PG_DIR="" PG_BIN=""
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\n=== %s ===\n' "$*"; }

wanted() { # a stage runs when no stage was named, or it was named
  [ -z "${STAGES_LIST:-}" ] && return 0
  local s; for s in $STAGES_LIST; do [ "$s" = "$1" ] && return 0; done; return 1
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=0
apt_install() { # apt_install PACKAGE...: installs Debian packages that are missing
  if [ $APT_UPDATED -eq 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

run_stage() { # run_stage NAME TIMEOUT_SECONDS COMMAND...
  local name=$1 limit=$2; shift 2
  log "stage $name (limit ${limit}s)"
  local start=$SECONDS rc=0
  # Stages are shell functions or commands: run them in a child bash so timeout can end the whole stage.
  timeout --kill-after=30 "$limit" bash -c '"$@"' stage "$@" || rc=$?
  local took=$((SECONDS - start))
  if [ $rc -eq 0 ]; then echo "stage $name: ok in ${took}s"; else
    [ $rc -eq 124 ] && echo "stage $name: TIMED OUT after ${took}s" || echo "stage $name: FAILED (exit $rc) in ${took}s"
    FAILED_STAGES+=("$name")
  fi
  STAGE_TIMES+=("$name ${took}s")
}
STAGE_TIMES=()

dotnet_tests() { # dotnet_tests STAGE FILTER: runs the test project's tests matching FILTER, adds to the totals
  local stage=$1 filter=$2 out="$RESULTS/$1.log" rc=0
  mkdir -p "$RESULTS"
  dotnet test tests/PressMcp.Tests/PressMcp.Tests.csproj -c $CONFIG --no-build --filter "$filter" \
    --blame-hang-timeout 5m --logger "console;verbosity=normal" 2>&1 | tee "$out" | grep -vE '^\s+Passed ' || true
  rc=${PIPESTATUS[0]}
  # The console logger's closing block: "Total tests: N", "Passed: N", "Failed: N", "Skipped: N".
  grep -qE '^Total tests: [0-9]+' "$out" || { echo "no test summary for stage $stage"; return 1; }
  local f p s
  p=$(grep -E '^ +Passed: +[0-9]+$' "$out" | tail -1 | grep -oE '[0-9]+' || echo 0)
  f=$(grep -E '^ +Failed: +[0-9]+$' "$out" | tail -1 | grep -oE '[0-9]+' || echo 0)
  s=$(grep -E '^ +Skipped: +[0-9]+$' "$out" | tail -1 | grep -oE '[0-9]+' || echo 0)
  echo "$p $f $s" > "$RESULTS/$stage.counts"
  echo "stage $stage: $p passed, $f failed, $s skipped"
  [ "$p" -gt 0 ] || { echo "stage $stage ran no test"; return 1; }
  return "$rc"
}

add_counts() {
  local f="$RESULTS/$1.counts"; [ -f "$f" ] || return 0
  local p fl s; read -r p fl s < "$f"
  TOTAL_PASSED=$((TOTAL_PASSED + p)); TOTAL_FAILED=$((TOTAL_FAILED + fl)); TOTAL_SKIPPED=$((TOTAL_SKIPPED + s))
}

prepare() {
  command -v dotnet >/dev/null || { echo "the .NET SDK 10 is required (dotnet not on PATH)"; exit 1; }
  if wanted storage || wanted hardening || wanted instances; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ]; then echo "installing postgresql"; apt_install postgresql; fi
  fi
  # The integration stage writes a migrated database with the sqlite3 shell (Storage/SqliteClientTests).
  if wanted integration && ! command -v sqlite3 >/dev/null; then echo "installing sqlite3"; apt_install sqlite3; fi
  # The deploy stage verifies deploy/pressmcp.service with systemd-analyze (the unit is checked, no systemd is started).
  if wanted deploy && ! command -v systemd-analyze >/dev/null; then echo "installing systemd"; apt_install systemd; fi
  # The instances stage runs the shipped nginx site in front of two server processes.
  if wanted instances && [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null; then echo "installing nginx"; apt_install nginx; fi
  if wanted browser && [ ! -x /usr/bin/chromium ]; then echo "installing chromium"; apt_install chromium fonts-liberation; fi
  if { wanted conformance || wanted browser; } && ! command -v npm >/dev/null; then echo "installing npm"; apt_install npm; fi
  # axe-core, pinned in tests/browser/package.json, for the browser tests' accessibility checks.
  if wanted browser && { ! cmp -s tests/browser/package.json .tools/axe/package.json || [ ! -f .tools/axe/node_modules/axe-core/axe.min.js ]; }; then
    echo "installing axe-core into .tools/axe"; mkdir -p .tools/axe; cp tests/browser/package.json .tools/axe/package.json
    (cd .tools/axe && timeout 600 npm install --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  dotnet restore PressMcp.slnx
}

start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DIR=$(mktemp -d /tmp/pressmcp-pg.XXXXXX)
  local port=${PRESSMCP_TEST_PG_PORT:-55432}
  local run=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DIR"; run=(runuser -u postgres --); fi
  "${run[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  export PRESSMCP_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
  [ -n "$PG_DIR" ] || return 0
  local run=(); [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"; PG_DIR=""
}
with_postgres() { # runs "$@" beside a throwaway PostgreSQL, started before and stopped after whatever the outcome
  trap stop_postgres EXIT
  start_postgres
  local rc=0
  "$@" || rc=$?
  stop_postgres
  return $rc
}
storage_stage() { PRESSMCP_TEST_DATABASE=postgres with_postgres dotnet_tests storage "Category=Storage"; }

# the fuzzer on SQLite; the crash test on SQLite and on a throwaway PostgreSQL (it must not skip here)
hardening_stage() { PRESSMCP_HARDENING_REQUIRE_POSTGRES=1 with_postgres dotnet_tests hardening "Category=Hardening"; }

deploy_stage() { # publishes the self-contained executable as deploy/publish.sh does, then runs the deploy files against it
  local out="$ROOT/artifacts/publish/linux-x64"
  rm -rf "$out"
  bash deploy/publish.sh "$out" >"$RESULTS/publish.log" 2>&1 || { tail -30 "$RESULTS/publish.log"; return 1; }
  echo "published $(du -h "$out/pressmcp" | cut -f1) $out/pressmcp"
  PRESSMCP_PUBLISHED="$out" dotnet_tests deploy "Category=Deploy"
}

# two instances on a throwaway PostgreSQL behind nginx (the tests start nginx and the servers themselves)
instances_stage() { PRESSMCP_INSTANCES_REQUIRE=1 with_postgres dotnet_tests instances "Category=Instances"; }

export ROOT CONFIG RESULTS APT_UPDATED
export -f log wanted as_root apt_install dotnet_tests prepare start_postgres stop_postgres with_postgres storage_stage hardening_stage deploy_stage instances_stage
export STAGES_LIST="${STAGES[*]:-}"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
run_stage prepare 1200 prepare
[ ${#FAILED_STAGES[@]} -eq 0 ] || { echo "prepare failed"; exit 1; }
run_stage build 1200 dotnet build PressMcp.slnx -c $CONFIG --no-restore
[ ${#FAILED_STAGES[@]} -eq 0 ] || { echo "build failed"; exit 1; }
wanted unit && run_stage unit 600 dotnet_tests unit "Category=Unit"
wanted integration && run_stage integration 1200 dotnet_tests integration "Category=Integration|Category=Storage"
wanted storage && run_stage storage 1200 storage_stage
wanted browser && run_stage browser 900 dotnet_tests browser "Category=Browser"
wanted peers && run_stage peers 900 bash tests/peers/run.sh "$CONFIG"
wanted conformance && run_stage conformance 300 bash tests/conformance/run.sh "$CONFIG"
wanted compatibility && run_stage compatibility 600 dotnet_tests compatibility "Category=Compatibility"
wanted hardening && run_stage hardening 900 hardening_stage
wanted deploy && run_stage deploy 1200 deploy_stage
wanted instances && run_stage instances 480 instances_stage

for s in unit integration storage browser peers conformance compatibility hardening deploy instances; do add_counts "$s"; done
log "summary"
printf '%s\n' "${STAGE_TIMES[@]}"
[ ${#FAILED_STAGES[@]} -eq 0 ] || echo "failed stages: ${FAILED_STAGES[*]}"
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
[ ${#FAILED_STAGES[@]} -eq 0 ] && [ "$TOTAL_FAILED" -eq 0 ]
