#!/usr/bin/env bash
# `make run` and `make test` from a clean clone, on Debian's own Python (PEP 668: it refuses
# `pip install` into itself) with no uv on PATH: uv must be bootstrapped into the project, `make run`
# must install the runtime only and serve (migrated, demo seeded) from one Python process.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
port=${CLEAN_CLONE_PORT:-8186}
work=$(mktemp -d)
server=""
cleanup() {
  [[ -n $server ]] && kill -- -"$server" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
system_python=/usr/bin/python3
if ! "$system_python" -m pip install --dry-run --quiet uv >/dev/null 2>&1; then
  echo "the system Python refuses pip install (PEP 668), as on a stock Debian/Ubuntu/Homebrew machine"
else
  echo "note: $system_python accepts pip install; the check still runs without uv on PATH"
fi
git clone --quiet "$repo" "$work/clone"
# the work tree's uncommitted state is not what CI checks: the clone has the committed tree
# The machine's environment (certificates, proxies, caches) with a PATH that has no uv and no pyenv.
clean_env=(env -u UV_PYTHON -u UV_PYTHON_DOWNLOADS -u VIRTUAL_ENV -u TURNABOUT_HOST -u TURNABOUT_PORT
  -u TURNABOUT_PUBLIC_URL -u TURNABOUT_TEST_DATABASE_URL -u MAKEFLAGS -u MAKELEVEL
  "PATH=/usr/bin:/bin" TURNABOUT_LOG_LEVEL=warning)
if "${clean_env[@]}" sh -c 'command -v uv' >/dev/null; then echo "uv is on the clean PATH" >&2; exit 1; fi

started=$(date +%s)
setsid "${clean_env[@]}" make -C "$work/clone" run PYTHON=python3 PORT="$port" >"$work/run.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
if ! curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; then cat "$work/run.log"; exit 1; fi
echo "make run: serving after $(( $(date +%s) - started ))s (uv bootstrap, runtime install, migrate, demo seed)"
[[ -x $work/clone/.tools/uv/bin/uv ]] || { echo "uv was not bootstrapped into .tools/uv" >&2; exit 1; }
if "$work/clone/.venv/bin/python" -c "import pytest" 2>/dev/null; then echo "make run installed dev tools" >&2; exit 1; fi
# One Python process serves (no uv or make wrapper left running in Python). The job runner's
# process server for matching solves (multiprocessing's forkserver and its resource tracker, started
# after the server answers) is not a wrapper and is not counted.
pythons=$(ps -s "$(ps -o sid= -p "$server" | tr -d ' ')" -o args= | grep '^[^ ]*/python[0-9.]* ' \
  | grep -vc ' -c from multiprocessing\.' || true)
[[ $pythons -eq 1 ]] || { echo "make run left $pythons Python processes, expected 1" >&2; ps -s "$(ps -o sid= -p "$server")" -o pid,args >&2; exit 1; }
token=$(cd "$work/clone" && .venv/bin/turnabout dev-token --email hana.hr@example.com --role coordinator)
programs=$(curl -sf "http://127.0.0.1:$port/api/v1/programs" -H "Authorization: Bearer $token")
# the demo organisation was seeded: its programs, the finished cycle of last year included
python3 -c 'import json,sys; names = {p["name"] for p in json.loads(sys.argv[1])["items"]}; assert {"Generations exchange", "Reciprocal pilot 2026", "Reverse mentoring 2025"} <= names, names' "$programs"
kill -- -"$server"; wait "$server" 2>/dev/null || true; server=""

"${clean_env[@]}" make -C "$work/clone" test PYTHON=python3 PYTEST_ARGS="-q tests/unit/test_cli.py -p no:randomly" \
  >"$work/test.log" 2>&1 || { cat "$work/test.log"; exit 1; }
grep -E "passed|failed" "$work/test.log" | tail -n 1 | sed "s/^/make test (clean clone): /"
