#!/usr/bin/env bash
# The five-minute tour of the README, runnable from any folder while `make run` serves the demo:
#   scripts/tour.sh                      (TURNABOUT_URL defaults to http://127.0.0.1:8000)
# It matches the reverse program, publishes the pairs, looks at a running pilot pair's turns, then
# proposes a program and enrols someone. Needs curl and python3; tokens come from the repository's
# own `turnabout dev-token` (run from the repository folder, where the server's key lives).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
url=${TURNABOUT_URL:-http://127.0.0.1:8000}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
turnabout() { (cd "$repo" && "$repo/.venv/bin/turnabout" "$@"); }
# json FILE EXPR: evaluate a Python expression over the JSON document `d`
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }
call() {  # call OUT METHOD PATH [TOKEN] [BODY] [extra curl args...]
  local out=$1 method=$2 path=$3 token=${4:-$TOKEN} body=${5:-}
  shift 5 2>/dev/null || shift $#
  local args=(-sS -o "$out" -w '%{http_code}' -X "$method" "$url$path" -H "Authorization: Bearer $token" -D "$out.headers")
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' -d "$body")
  local status
  status=$(curl "${args[@]}" "$@")
  if [[ $status != 2* ]]; then echo "$method $path answered $status:" >&2; cat "$out" >&2; echo >&2; exit 1; fi
}
etag() { grep -i '^etag:' "$1.headers" | tr -d '\r' | cut -d' ' -f2; }
step() { printf '\n== %s\n' "$*"; }

step "1. A token for the demo organisation's HR coordinator (development: the service is its own issuer)"
TOKEN=$(turnabout dev-token --email hana.hr@example.com --role coordinator)
echo "TOKEN=${TOKEN:0:24}…"

step "2. The programs"
call "$scratch/programs.json" GET "/api/v1/programs?limit=20"
json "$scratch/programs.json" '"\n".join("{status:10} {kind:10} {name}".format(**p) for p in d["items"])'
REVERSE=$(json "$scratch/programs.json" 'next(p["id"] for p in d["items"] if p["name"] == "Digital fluency for leaders")')

step "3. Match the reverse program: the best total score the hard constraints allow, each pair explained"
call "$scratch/run.json" POST "/api/v1/programs/$REVERSE/matching-runs" "$TOKEN" '{}' -H "Idempotency-Key: tour-$(date +%s%N)"
RUN=$(json "$scratch/run.json" 'd["id"]')
for _ in $(seq 1 120); do
  call "$scratch/run.json" GET "/api/v1/matching-runs/$RUN"
  [[ $(json "$scratch/run.json" 'd["status"]') == completed ]] && break
  sleep 0.5
done
json "$scratch/run.json" '"status {status}: {pairs} pairs from a pool of {pool_size}, quality {quality} (share of the proven upper bound)".format(**d)'
call "$scratch/proposals.json" GET "/api/v1/matching-runs/$RUN/proposals?limit=3"
json "$scratch/proposals.json" '"\n".join("- {score:.2f}: {summary}".format(**p) for p in d["items"])'
call "$scratch/unmatched.json" GET "/api/v1/matching-runs/$RUN/unmatched?limit=5"
json "$scratch/unmatched.json" '"\n".join("- unmatched ({reason}): {detail}".format(**u) for u in d["items"]) or "- everyone was matched"'

step "4. Publish: every pair becomes a proposed relationship that both people accept or decline"
call "$scratch/published.json" POST "/api/v1/matching-runs/$RUN/publish" "$TOKEN" '{}' -H "If-Match: $(etag "$scratch/run.json")"
json "$scratch/published.json" '"run {status}".format(**d)'

step "5. A pair of the running pilot: who leads the next meeting, and why"
call "$scratch/rels.json" GET "/api/v1/relationships?status=active&limit=1"
PAIR=$(json "$scratch/rels.json" 'd["items"][0]["id"]')
call "$scratch/turns.json" GET "/api/v1/relationships/$PAIR/turns"
json "$scratch/turns.json" '"policy {effective_policy}; {held_turns} turn(s) held".format(**d)'
json "$scratch/turns.json" '"next turn #{turn_index}: {reason} ({reason_code})".format(**d["next"])'
json "$scratch/turns.json" '"\n".join("- planned {starts_at}: turn #{turn_index}".format(**p) for p in d["planned"][:3])'

step "6. Propose a reciprocal program (a draft, open for comment), then open enrolment"
call "$scratch/program.json" POST /api/v1/programs "$TOKEN" \
  '{"kind":"reciprocal","name":"Tour exchange","cycle_start":"2027-01-11","cycle_end":"2027-06-30"}' \
  -H "Idempotency-Key: tour-$(python3 -c 'import uuid; print(uuid.uuid4())')"
PROGRAM=$(json "$scratch/program.json" 'd["id"]')
call "$scratch/opened.json" POST "/api/v1/programs/$PROGRAM/transitions" "$TOKEN" '{"to":"enrolling"}' \
  -H "If-Match: $(etag "$scratch/program.json")"
json "$scratch/opened.json" '"{name}: {status} (ETag v{version})".format(**d)'

step "7. An employee enrols themself (only the person can: enrolment is voluntary)"
call "$scratch/people.json" GET "/api/v1/people?department=Marketing&limit=1"
EMP_TOKEN=$(turnabout dev-token --email "$(json "$scratch/people.json" 'd["items"][0]["email"]')")
call "$scratch/enrolled.json" POST "/api/v1/programs/$PROGRAM/enrollments" "$EMP_TOKEN" \
  '{"role_preference":"both","interests":["cycling"],"availability":["tue-pm"]}'
json "$scratch/enrolled.json" '"enrollment {status}".format(**d)'
echo
echo "Tour done. Everything else is in $url/docs"
