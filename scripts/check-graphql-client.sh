#!/usr/bin/env bash
# The GraphQL contract from a real client's side:
#   1. GraphQL Code Generator (client preset) generates typed TypeScript operations from
#      openapi/schema.graphql for the screens in scripts/clients/graphql-typescript/src/;
#   2. tsc --strict type-checks them (a field renamed or a union member dropped fails here);
#   3. the persisted-documents.json it writes loads as the service's query registry
#      (TURNABOUT_GRAPHQL_PERSISTED_QUERIES=registry).
# Needs node and npm (the lock file pins every package), and uv (UV=... to override).
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
project=scripts/clients/graphql-typescript

echo "-- GraphQL Code Generator + tsc --strict ($project)"
(
  cd "$project"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  rm -rf src/generated
  log=$(mktemp)
  npx --no-install graphql-codegen --config codegen.ts >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
  rm -f "$log"
  npx --no-install tsc -p tsconfig.json
)

echo "-- the generated persisted documents as the service's registry"
$UV run python - "$project/src/generated/persisted-documents.json" <<'PY'
import sys
from pathlib import Path

from app.graphql.persisted import PersistedQueryStore

store = PersistedQueryStore("registry", registry=Path(sys.argv[1]))
for digest, query in store._registry.items():
    assert store.resolve(None, {"persistedQuery": {"version": 1, "sha256Hash": digest}}) == query
print(f"{len(store._registry)} persisted documents accepted")
PY
echo "GraphQL TypeScript client generated and type-checked"
