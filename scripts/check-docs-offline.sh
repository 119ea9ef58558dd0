#!/usr/bin/env bash
# /docs and /redoc render in headless Chromium with no network beyond the service: every host but
# 127.0.0.1 is unresolvable, so a page that needed a CDN would stay blank. The rendered DOM must show
# the operations, and the service's request log the assets it served. Installs Debian's chromium
# when it is missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/wait-until-up.sh
source scripts/wait-until-up.sh
port=${DOCS_CHECK_PORT:-8182}
work=$(mktemp -d)
server=""
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
if ! command -v chromium >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
export TURNABOUT_DATABASE_URL="sqlite+aiosqlite:///$work/docs.db" TURNABOUT_DEV_SIGNING_KEY_PATH="$work/key.json"
export TURNABOUT_LOG_LEVEL=info TURNABOUT_LOG_FORMAT=json TURNABOUT_PUBLIC_URL="http://127.0.0.1:$port"
.venv/bin/turnabout serve --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
wait_until_up "http://127.0.0.1:$port/healthz" "$work/server.log"

render() {  # render PAGE NAME -> $work/NAME.html (a second try when a loaded machine stalls the first)
  local attempt
  for attempt in 1 2; do
    rm -rf "$work/profile-$2"
    timeout 240 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
      --user-data-dir="$work/profile-$2" --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
      --virtual-time-budget=20000 --run-all-compositor-stages-before-draw \
      --dump-dom "http://127.0.0.1:$port$1" >"$work/$2.html" 2>"$work/$2.chromium.log" && [[ -s $work/$2.html ]] && return 0
    echo "chromium attempt $attempt on $1 gave no page; $(tail -n 2 "$work/$2.chromium.log")" >&2
  done
}
render /docs swagger
render /redoc redoc
python3 - "$work" "$port" <<'PY'
import json, sys
work, port = sys.argv[1], sys.argv[2]
failures = []
checks = {
    "swagger": ["opblock-summary", "Propose a program", "Schedule a meeting"],
    "redoc": ["Propose a program", "Schedule a meeting", "api-content"],
}
for name, needles in checks.items():
    dom = open(f"{work}/{name}.html", encoding="utf-8", errors="replace").read()
    for needle in needles:
        if needle not in dom:
            failures.append(f"{name}: the rendered page lacks {needle!r} ({len(dom)} bytes of DOM)")
served: list[str] = []
for line in open(f"{work}/server.log", encoding="utf-8", errors="replace"):
    if line.startswith("{") and '"request"' in line:
        entry = json.loads(line)
        if entry.get("event") == "request" and entry.get("status") == 200:
            served.append(entry.get("route") or entry.get("path") or "")  # the route template is logged
pages = {"/docs", "/redoc", "/docs/swagger-init.js", "/docs/redoc-init.js"}
if pages - set(served):
    failures.append(f"not served by the service: {sorted(pages - set(served))}")
# the pages, their init scripts, the document twice, the stylesheet, both bundles and the favicon
if len(served) < 10:
    failures.append(f"too few answers from the service to have rendered both UIs: {served}")
print(f"rendered with every other host unreachable; the service answered {len(served)} requests")
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
PY
