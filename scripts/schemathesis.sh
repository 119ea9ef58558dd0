#!/usr/bin/env bash
# Fuzz every operation of the running app with schemathesis: no server errors, and every response
# conforms to the OpenAPI document. Uses a throwaway SQLite database seeded with the demo org.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
work=$(mktemp -d)
port=${SCHEMATHESIS_PORT:-8765}
export TURNABOUT_DATABASE_URL="sqlite+aiosqlite:///$work/fuzz.db"
export TURNABOUT_DEV_SIGNING_KEY_PATH="$work/dev-key.json"
export TURNABOUT_PUBLIC_URL="http://127.0.0.1:$port"
export TURNABOUT_LOG_LEVEL=warning
$UV run turnabout migrate >/dev/null
$UV run turnabout seed-demo --people 60 >/dev/null
token=$($UV run turnabout dev-token --email hana.hr@example.com --role admin --role coordinator)
$UV run turnabout serve --no-migrate --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
cleanup() {
  local status=$?
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
status=0
$UV run schemathesis run "http://127.0.0.1:$port/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" \
  --workers 2 \
  --seed 1 \
  || status=$?
if grep -q "Traceback" "$work/server.log"; then
  echo "server log has tracebacks:"; grep -B2 -A20 Traceback "$work/server.log" | head -80
  status=1
fi
exit $status
