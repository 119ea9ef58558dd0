#!/usr/bin/env bash
# The README tour (scripts/tour.sh), run from another folder against a fresh demo server.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/wait-until-up.sh
source scripts/wait-until-up.sh
repo=$(pwd)
port=${TOUR_PORT:-8185}
work=$(mktemp -d)
server=""
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export TURNABOUT_DATABASE_URL="sqlite+aiosqlite:///$work/tour.db" TURNABOUT_DEV_SIGNING_KEY_PATH="$work/key.json"
export TURNABOUT_LOG_LEVEL=warning TURNABOUT_PUBLIC_URL="http://127.0.0.1:$port"
.venv/bin/turnabout serve --demo-if-empty --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
wait_until_up "http://127.0.0.1:$port/healthz" "$work/server.log"
cd "$work"
TURNABOUT_URL="http://127.0.0.1:$port" "$repo/scripts/tour.sh" | tee "$work/tour.out"
grep -q "pairs from a pool of" "$work/tour.out"
grep -q "run published" "$work/tour.out"
grep -q "enrollment applied" "$work/tour.out"
