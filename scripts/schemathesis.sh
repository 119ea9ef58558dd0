#!/usr/bin/env bash
# Fuzz every operation of the running app with schemathesis, as an admin and as an employee, with
# the stateful phase on: no server errors, every response conforms to the OpenAPI document. Path ids
# are mostly real ones (scripts/fuzz/hooks.py), so fewer than 10 operations may only ever answer 404.
# A throwaway SQLite database seeded with the demo organisation (a running pilot included). Generated
# text carries no NUL: every NUL is refused up front (text_contains_nul, tests/api/test_input_rules.py),
# so NUL-laden cases would never reach the rules behind.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/wait-until-up.sh
source scripts/wait-until-up.sh
UV=${UV:-uv}
work=$(mktemp -d)
port=${SCHEMATHESIS_PORT:-8184}
base="http://127.0.0.1:$port"
export TURNABOUT_DATABASE_URL="sqlite+aiosqlite:///$work/fuzz.db"
export TURNABOUT_DEV_SIGNING_KEY_PATH="$work/dev-key.json"
export TURNABOUT_PUBLIC_URL="$base"
export TURNABOUT_LOG_LEVEL=warning
server=""
cleanup() {
  local status=$?
  [[ -n $server ]] && kill "$server" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
.venv/bin/turnabout migrate >/dev/null
.venv/bin/turnabout seed-demo --people 60 >/dev/null
.venv/bin/turnabout serve --no-migrate --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
wait_until_up "$base/healthz" "$work/server.log"

admin=$(.venv/bin/turnabout dev-token --email hana.hr@example.com --role admin --role coordinator)
.venv/bin/python scripts/fuzz/real_ids.py "$base" "$admin" >"$work/admin-ids.json"
employee_email=$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["employee_email"])' "$work/admin-ids.json")
employee=$(.venv/bin/turnabout dev-token --email "$employee_email")
.venv/bin/python scripts/fuzz/real_ids.py "$base" "$employee" >"$work/employee-ids.json"

status=0
for role in admin employee; do
  token=$admin; phases=examples,coverage,fuzzing,stateful
  # the coverage phase's boundary values do not depend on the caller: once is enough
  [[ $role == employee ]] && token=$employee && phases=examples,fuzzing,stateful
  echo "-- schemathesis as $role ($phases)"
  TURNABOUT_FUZZ_IDS="$work/$role-ids.json" PYTHONPATH=scripts/fuzz SCHEMATHESIS_HOOKS=hooks \
    .venv/bin/schemathesis run "$base/openapi.json" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance \
    --phases "$phases" \
    --max-examples "${SCHEMATHESIS_EXAMPLES:-8}" \
    --workers 2 \
    --seed 1 \
    --generation-allow-x00 false \
    --report har --report-har-path "$work/$role.har" \
    || status=$?
done

.venv/bin/python - "$work" "$base" <<'PY' || status=1
import json, re, sys
from collections import defaultdict
from urllib.parse import urlsplit

work, base = sys.argv[1], sys.argv[2]
spec = json.loads(__import__("urllib.request").request.urlopen(f"{base}/openapi.json").read())
routes = [(m.upper(), re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), f"{m.upper()} {p}")
          for p, item in spec["paths"].items() for m in item]
seen = defaultdict(set)
for role in ("admin", "employee"):
    for entry in json.load(open(f"{work}/{role}.har"))["log"]["entries"]:
        method, path = entry["request"]["method"], urlsplit(entry["request"]["url"]).path
        for verb, pattern, name in routes:
            if verb == method and pattern.match(path):
                seen[name].add(entry["response"]["status"])
                break
only_404 = sorted(name for name, statuses in seen.items() if statuses == {404})
never = sorted(name for _, _, name in routes if name not in seen)
reached = sum(1 for statuses in seen.values() if any(200 <= s < 300 for s in statuses))
print(f"operations: {len(routes)}; exercised {len(seen)}; with a 2xx answer {reached}; only ever 404: {len(only_404)}")
for name in only_404:
    print(f"  only 404: {name}")
for name in never:
    print(f"  never called: {name}")
sys.exit(0 if len(only_404) < 10 else 1)
PY
if grep -q "Traceback" "$work/server.log"; then
  echo "server log has tracebacks:"; grep -B2 -A20 Traceback "$work/server.log" | head -80
  status=1
fi
exit $status
