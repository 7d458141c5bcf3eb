#!/usr/bin/env bash
# Checks a WordPress MCP Adapter endpoint from the outside (PressMcp, or WordPress with the MCP Adapter plugin),
# with HTTP Basic and an Application Password. One line per check; exits 1 when a check fails, 2 when misconfigured.
#
#   MCP_BASE_URL   the full endpoint URL, e.g. https://example.com/wp-json/mcp/mcp-adapter-default-server
#   MCP_USER       the login
#   MCP_APP_PASS   an Application Password (spaces allowed)
#   MCP_READ_ABILITY          optional: the read ability to execute (default: the first of vmfo/list-folders,
#                             posts/search, user/profile that discovery lists)
#   VMFO_RUN_MUTATING_TESTS=1 also create a test folder (vmfo/create-folder), find it (vmfo/list-folders) and
#                             delete it (vmfo/delete-folder); needs a user who may manage folders and, on PressMcp,
#                             those write tools switched on in the user's MCP settings
#
# Needs bash and curl; reads JSON with jq when it is installed, otherwise python3, otherwise grep and sed
# (MCP_SMOKE_JSON=jq|python3|grep forces one).
set -uo pipefail

: "${MCP_BASE_URL:?set MCP_BASE_URL to the endpoint URL (…/wp-json/mcp/mcp-adapter-default-server)}"
: "${MCP_USER:?set MCP_USER to the login}"
: "${MCP_APP_PASS:?set MCP_APP_PASS to an Application Password}"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 2; }

if [ -n "${MCP_SMOKE_JSON:-}" ]; then JSON=$MCP_SMOKE_JSON; elif command -v jq >/dev/null; then JSON=jq; elif command -v python3 >/dev/null; then JSON=python3; else JSON=grep; fi
PASSED=0 FAILED=0 SESSION="" ID=0
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

ok() { echo "ok   $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1: $2"; FAILED=$((FAILED + 1)); }

# py EXPR: evaluates a Python expression over d (stdin's JSON); None prints nothing, lists print one item a line.
py() { python3 -c 'import json,sys
d=json.load(sys.stdin)
try: v=eval(sys.argv[1])
except Exception: v=None
for x in (v if isinstance(v,list) else [v]):
    if x is not None: print(x if isinstance(x,str) else json.dumps(x))' "$1"; }

# Each query as jq, Python and a last-resort grep; all read one JSON document on stdin.
tool_names() { case $JSON in jq) jq -r '.result.tools[]?.name';; python3) py '[t["name"] for t in d["result"]["tools"]]';;
  *) grep -o '"name":"mcp-adapter-[a-z-]*"' | sed 's/.*:"//; s/"$//';; esac; }
result_text() { case $JSON in jq) jq -r '.result.content[0].text // empty';; python3) py 'd["result"]["content"][0]["text"]';;
  *) sed -n 's/.*"text":"\(.*\)"}\],.*/\1/p' | sed 's/\\u0022/"/g; s/\\"/"/g; s/\\\\/\\/g';; esac; }
error_message() { case $JSON in jq) jq -r '.error.message // empty';; python3) py 'd["error"]["message"]';;
  *) sed -n 's/.*"error":{[^}]*"message":"\([^"]*\)".*/\1/p';; esac; }
server_name() { case $JSON in jq) jq -r '.result.serverInfo.name // empty';; python3) py 'd["result"]["serverInfo"]["name"]';;
  *) sed -n 's/.*"serverInfo":{[^}]*"name":"\([^"]*\)".*/\1/p';; esac; }
ability_names() { case $JSON in jq) jq -r '.abilities[]?.name';; python3) py '[a["name"] for a in d["abilities"]]';;
  *) grep -o '"name":"[^"]*"' | sed 's/.*:"//; s/"$//';; esac; }
info_name() { case $JSON in jq) jq -r '.name // empty';; python3) py 'd["name"]';; *) sed -n 's/^{"name":"\([^"]*\)".*/\1/p';; esac; }
has_input_schema() { case $JSON in jq) jq -e '.input_schema | type == "object"' >/dev/null;; python3) py 'isinstance(d["input_schema"],dict) or None' | grep -q .;;
  *) grep -q '"input_schema":{';; esac; }
folder_id() { case $JSON in jq) jq -r '(.id // .folder.id // .term_id // empty)';;
  python3) py 'd.get("id") or (d.get("folder") or {}).get("id") or d.get("term_id")';; *) sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -1;; esac; }
folder_names() { case $JSON in jq) jq -r '(if type == "array" then . else (.folders // []) end)[]?.name';;
  python3) py '[f["name"] for f in (d if isinstance(d,list) else d.get("folders",[]))]';; *) grep -o '"name":"[^"]*"' | sed 's/.*:"//; s/"$//';; esac; }

# rpc METHOD PARAMS_JSON: one JSON-RPC request; the body lands in $WORK/body, the HTTP status in $STATUS.
rpc() {
  ID=$((ID + 1))
  local headers=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
  [ -n "$SESSION" ] && headers+=(-H "Mcp-Session-Id: $SESSION")
  STATUS=$(curl -sS -X POST "$MCP_BASE_URL" -u "$MCP_USER:$MCP_APP_PASS" "${headers[@]}" -D "$WORK/headers" -o "$WORK/body" -w '%{http_code}' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":$ID,\"method\":\"$1\",\"params\":$2}") || STATUS=000
  # An event-stream answer carries the message on its data: line.
  if grep -qi '^content-type: text/event-stream' "$WORK/headers"; then sed -n 's/^data: //p' "$WORK/body" > "$WORK/body.json"; mv "$WORK/body.json" "$WORK/body"; fi
}

# execute ABILITY PARAMETERS_JSON: mcp-adapter-execute-ability; the ability's result (decoded text) lands in $WORK/result.
execute() {
  rpc tools/call "{\"name\":\"mcp-adapter-execute-ability\",\"arguments\":{\"ability_name\":\"$1\",\"parameters\":$2}}"
  result_text < "$WORK/body" > "$WORK/result"
}

explain() { # why the last call failed, in one line
  local message; message=$(error_message < "$WORK/body" 2>/dev/null)
  if [ "$STATUS" != 200 ]; then echo "HTTP $STATUS $(head -c 300 "$WORK/body" | tr '\n' ' ')"; elif [ -n "$message" ]; then echo "$message"; else head -c 300 "$WORK/body" | tr '\n' ' '; fi
}

echo "checking $MCP_BASE_URL as $MCP_USER (JSON via $JSON)"

rpc initialize '{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"mcp-adapter-smoke-test","version":"1"}}'
SESSION=$(sed -n 's/^[Mm][Cc][Pp]-[Ss]ession-[Ii]d: *\([^[:space:]]*\).*/\1/p' "$WORK/headers" | head -1)
if [ "$STATUS" = 200 ] && [ -n "$(server_name < "$WORK/body")" ]; then ok "initialize (server $(server_name < "$WORK/body"))"
else fail "initialize" "$(explain)"; echo "$PASSED passed, $FAILED failed"; exit 1; fi
# The client's notification (no id): stateless servers answer 202, session-based ones (WordPress's adapter) expect it.
curl -sS -o /dev/null -X POST "$MCP_BASE_URL" -u "$MCP_USER:$MCP_APP_PASS" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  ${SESSION:+-H "Mcp-Session-Id: $SESSION"} -d '{"jsonrpc":"2.0","method":"notifications/initialized"}' || true

rpc tools/list '{}'
NAMES=$(tool_names < "$WORK/body" 2>/dev/null | tr '\n' ' ')
missing=""
for t in mcp-adapter-discover-abilities mcp-adapter-get-ability-info mcp-adapter-execute-ability; do
  case " $NAMES " in *" $t "*) ;; *) missing="$missing $t";; esac
done
if [ "$STATUS" = 200 ] && [ -z "$missing" ]; then ok "tools/list has the three adapter tools"; else fail "tools/list has the three adapter tools" "missing:$missing ($(explain))"; fi

rpc tools/call '{"name":"mcp-adapter-discover-abilities","arguments":{}}'
ABILITIES=$(result_text < "$WORK/body" 2>/dev/null | ability_names 2>/dev/null | tr '\n' ' ')
if [ "$STATUS" = 200 ] && [ -n "${ABILITIES// /}" ]; then ok "discover-abilities lists $(wc -w <<< "$ABILITIES" | tr -d ' ') abilities"
else fail "discover-abilities lists abilities" "$(explain)"; fi

READ=${MCP_READ_ABILITY:-}
if [ -z "$READ" ]; then
  for a in vmfo/list-folders posts/search user/profile; do case " $ABILITIES " in *" $a "*) READ=$a; break;; esac; done
fi
if [ -z "$READ" ]; then fail "a read ability to try" "none of vmfo/list-folders, posts/search, user/profile was discovered; set MCP_READ_ABILITY"
else
  rpc tools/call "{\"name\":\"mcp-adapter-get-ability-info\",\"arguments\":{\"ability_name\":\"$READ\"}}"
  result_text < "$WORK/body" > "$WORK/info" 2>/dev/null
  if [ "$STATUS" = 200 ] && [ "$(info_name < "$WORK/info" 2>/dev/null)" = "$READ" ] && has_input_schema < "$WORK/info" 2>/dev/null; then ok "get-ability-info $READ has an input schema"
  else fail "get-ability-info $READ" "$(explain)"; fi

  execute "$READ" '{}'
  if [ "$STATUS" = 200 ] && [ -s "$WORK/result" ] && [ -z "$(error_message < "$WORK/body" 2>/dev/null)" ]; then ok "execute-ability $READ returns its result"
  else fail "execute-ability $READ" "$(explain)"; fi
fi

rpc tools/call '{"name":"mcp-adapter-execute-ability","arguments":{"ability_name":"smoke-test/no-such-ability","parameters":{}}}'
message=$(error_message < "$WORK/body" 2>/dev/null)
case "$message" in
  "Ability execution failed:"*) ok "an unknown ability answers -32000 \"Ability execution failed: …\"";;
  *) fail "an unknown ability answers -32000" "$(explain)";;
esac

if [ "${VMFO_RUN_MUTATING_TESTS:-0}" = 1 ]; then
  FOLDER="mcp-smoke-$(date +%s)-$RANDOM"
  execute vmfo/create-folder "{\"name\":\"$FOLDER\"}"
  FOLDER_ID=$(folder_id < "$WORK/result" 2>/dev/null)
  if [ "$STATUS" = 200 ] && [ -n "$FOLDER_ID" ]; then ok "vmfo/create-folder $FOLDER (id $FOLDER_ID)"; else fail "vmfo/create-folder $FOLDER" "$(explain)"; fi

  execute vmfo/list-folders "{\"search\":\"$FOLDER\"}"
  if folder_names < "$WORK/result" 2>/dev/null | grep -qx "$FOLDER"; then ok "vmfo/list-folders finds $FOLDER"; else fail "vmfo/list-folders finds $FOLDER" "$(explain)"; fi

  if [ -n "$FOLDER_ID" ]; then
    execute vmfo/delete-folder "{\"folder_id\":$FOLDER_ID}"
    if [ "$STATUS" = 200 ] && [ -z "$(error_message < "$WORK/body" 2>/dev/null)" ]; then ok "vmfo/delete-folder $FOLDER_ID"; else fail "vmfo/delete-folder $FOLDER_ID" "$(explain)"; fi
    execute vmfo/list-folders "{\"search\":\"$FOLDER\"}"
    if ! folder_names < "$WORK/result" 2>/dev/null | grep -qx "$FOLDER"; then ok "the test folder is gone"; else fail "the test folder is gone" "still listed"; fi
  fi
else
  echo "skip write checks (set VMFO_RUN_MUTATING_TESTS=1 to create, list and delete a test folder)"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
