#!/usr/bin/env bash
# The Dockerfile's two stages, reproduced in plain folders (CI machines have no container engine):
#   build:   the locked runtime dependencies and the project, NOT editable, into an environment;
#   runtime: only that environment — the build folder is deleted — in an empty working folder.
# Then, as the image would: `turnabout migrate`, the server on TURNABOUT_PORT, the Dockerfile's own
# HEALTHCHECK command, /readyz at head and /docs. Fails if the image could not start.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/wait-until-up.sh
source scripts/wait-until-up.sh
repo=$(pwd)
UV=${UV:-uv}
port=${CONTAINER_CHECK_PORT:-8181}
work=$(mktemp -d)
server=""
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

grep -q -- "--no-editable" Dockerfile || { echo "Dockerfile: the project must be installed with --no-editable" >&2; exit 1; }
grep -q '^CMD \["turnabout", "serve"\]' Dockerfile || { echo "Dockerfile: CMD must be turnabout serve" >&2; exit 1; }

echo "-- build stage (in $work/build, environment $work/opt/venv)"
mkdir -p "$work/build" "$work/opt"
cp -r pyproject.toml uv.lock README.md app migrations "$work/build/"
find "$work/build" -name __pycache__ -prune -exec rm -rf {} +
(cd "$work/build" && UV_PROJECT_ENVIRONMENT="$work/opt/venv" UV_LINK_MODE=copy \
  $UV sync --frozen --no-dev --no-install-project --quiet \
  && UV_PROJECT_ENVIRONMENT="$work/opt/venv" UV_LINK_MODE=copy $UV sync --frozen --no-dev --no-editable --quiet)

echo "-- runtime stage (only the environment; the build folder is gone)"
rm -rf "$work/build"
mkdir -p "$work/srv/var"
if "$work/opt/venv/bin/python" -c "import pytest" 2>/dev/null; then echo "dev tools in the runtime image" >&2; exit 1; fi
run_env=(env -i "PATH=$work/opt/venv/bin:/usr/bin:/bin" "HOME=$work/srv" PYTHONUNBUFFERED=1
  TURNABOUT_ENVIRONMENT=development TURNABOUT_HOST=127.0.0.1 "TURNABOUT_PORT=$port" TURNABOUT_LOG_FORMAT=json
  "TURNABOUT_DATABASE_URL=sqlite+aiosqlite:///$work/srv/var/turnabout.db"
  "TURNABOUT_DEV_SIGNING_KEY_PATH=$work/srv/var/dev-signing-key.json")
cd "$work/srv"
"${run_env[@]}" turnabout migrate
"${run_env[@]}" turnabout migrations status >/dev/null
"${run_env[@]}" turnabout serve --no-migrate >"$work/server.log" 2>&1 &
server=$!
wait_until_up "http://127.0.0.1:$port/healthz" "$work/server.log"
healthcheck=$(sed -n 's/^  CMD \["python", "-c", "\(.*\)"\]$/\1/p' "$repo/Dockerfile")
[[ -n $healthcheck ]] || { echo "Dockerfile: HEALTHCHECK command not found" >&2; exit 1; }
"${run_env[@]}" python -c "$healthcheck" || { echo "the image's HEALTHCHECK fails" >&2; cat "$work/server.log"; exit 1; }
curl -sf "http://127.0.0.1:$port/readyz" | grep -q '"migrations":"at_head"' || { echo "/readyz not ready" >&2; exit 1; }
curl -sf "http://127.0.0.1:$port/docs" | grep -q "swagger-ui" || { echo "/docs missing" >&2; exit 1; }
grep -q '"event": "request"\|"event":"request"' "$work/server.log" || true
echo "the runtime layout migrates and serves on TURNABOUT_PORT=$port"
