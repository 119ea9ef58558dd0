#!/usr/bin/env bash
# Generate both clients from openapi/openapi.json and type-check a short program using each:
#   Python: openapi-python-client, then mypy --strict on scripts/clients/python_example.py
#   TypeScript: openapi-typescript (+ openapi-fetch), then tsc --strict on scripts/clients/typescript/example.ts
# Needs uv (UV=...), node and npm. Everything is generated under a scratch folder.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
PY_GENERATOR=${PY_GENERATOR:-openapi-python-client==0.29.1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- Python client ($PY_GENERATOR)"
$UV tool run --from "$PY_GENERATOR" openapi-python-client generate \
  --path openapi/openapi.json --output-path "$work/python/turnabout_client" --meta none >"$work/python.log" 2>&1 \
  || { cat "$work/python.log"; exit 1; }
if grep -qi "warning" "$work/python.log"; then cat "$work/python.log"; echo "generator warnings" >&2; exit 1; fi
cp scripts/clients/python_example.py "$work/python/"
# The generator's fixed client.py template forwards `*args: object` to httpx's __exit__, which mypy
# --strict refuses; that file does not depend on our document, so only that one check is relaxed there.
cat >"$work/python/mypy.ini" <<'INI'
[mypy]
strict = True
[mypy-turnabout_client.client]
disable_error_code = arg-type
INI
(cd "$work/python" && MYPYPATH=. "$OLDPWD/.venv/bin/mypy" --config-file mypy.ini --no-incremental python_example.py)

echo "-- TypeScript types (openapi-typescript) + tsc --strict"
cp -r scripts/clients/typescript "$work/ts"
(cd "$work/ts" && npm ci --no-audit --no-fund --loglevel=error >/dev/null \
  && npx --no-install openapi-typescript "$OLDPWD/openapi/openapi.json" -o generated/api.ts >/dev/null \
  && npx --no-install tsc -p tsconfig.json)
# Nullable fields must read `T | null`, never `T | (T | null)`.
if grep -nE '([A-Za-z_"\]\[]+) \| \(\1 \| null\)' "$work/ts/generated/api.ts"; then
  echo "doubly nullable types in the generated TypeScript" >&2; exit 1
fi
echo "clients generated and type-checked"
