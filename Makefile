# Turnabout — the two commands: `make run` and `make test`. Everything else is optional.
# Needs Python 3.11 and make. uv comes from the PATH, or is bootstrapped into .tools/uv (a private
# virtual environment: nothing is installed into the system Python, which PEP 668 forbids).
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -q -n auto
UV_ON_PATH := $(shell command -v uv 2>/dev/null)
UV := $(if $(UV_ON_PATH),$(UV_ON_PATH),$(CURDIR)/.tools/uv/bin/uv)
# uv uses this interpreter for .venv and never downloads one of its own.
export UV_PYTHON ?= $(shell command -v $(PYTHON))
export UV_PYTHON_DOWNLOADS ?= never
export TURNABOUT_HOST ?= $(HOST)
export TURNABOUT_PORT ?= $(PORT)
export TURNABOUT_PUBLIC_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install install-runtime lint format openapi test-pg schemathesis clients docs-offline container-layout ci clean

$(CURDIR)/.tools/uv/bin/uv:
	sh scripts/bootstrap-uv.sh "$(PYTHON)" .tools/uv

# What the server needs, nothing more (no test or lint tools); kept when the dev tools are there.
install-runtime: .venv/.runtime
.venv/.runtime: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --inexact
	@touch $@

# Everything: the server plus tests, linters and type checkers.
install: .venv/.dev
.venv/.dev: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@ .venv/.runtime

## Migrate ./var/turnabout.db, seed the demo organisation when empty, serve on HOST:PORT — one process.
run: install-runtime
	@echo ""
	@echo "  Turnabout on http://$(HOST):$(PORT)   docs: http://$(HOST):$(PORT)/docs"
	@echo "  A token (in this folder):  TOKEN=\$$(.venv/bin/turnabout dev-token --email hana.hr@example.com --role coordinator)"
	@echo "  The tour (from anywhere):  $(CURDIR)/scripts/tour.sh"
	@echo ""
	.venv/bin/turnabout serve --demo-if-empty --host $(HOST) --port $(PORT)

## The whole suite: SQLite always; PostgreSQL too when TURNABOUT_TEST_DATABASE_URL is set. One process
## per CPU (pytest-xdist); PYTEST_ARGS="-q tests/unit" runs a part in one process.
test: install
	.venv/bin/python -m pytest $(PYTEST_ARGS)

## The suite against the local PostgreSQL as well (what CI runs).
test-pg: install
	TURNABOUT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/turnabout_test .venv/bin/python -m pytest $(PYTEST_ARGS)

lint: install
	.venv/bin/ruff check app tests bench migrations/env.py
	.venv/bin/ruff format --check app tests bench migrations/env.py
	.venv/bin/mypy app bench
	.venv/bin/lint-imports
	.venv/bin/turnabout export-openapi --check
	@! git grep -nE '^(<{7}|>{7})( |$$)' -- . ':!uv.lock' || { echo 'merge conflict markers left in the tree'; exit 1; }

format: install
	.venv/bin/ruff format app tests bench migrations/env.py
	.venv/bin/ruff check --fix app tests bench migrations/env.py

## Re-export openapi/openapi.json, openapi/events.json and docs/problems.md.
openapi: install
	.venv/bin/turnabout export-openapi

## Fuzz every operation as an admin and as an employee (stateful phase included).
schemathesis: install
	UV="$(UV)" bash scripts/schemathesis.sh

## Generate the Python and TypeScript REST clients and the typed GraphQL operations, and type-check
## programs using each (needs node and npm).
clients: install
	UV="$(UV)" bash scripts/check-clients.sh
	UV="$(UV)" bash scripts/check-graphql-client.sh

## /docs and /redoc in headless Chromium with every other host unreachable.
docs-offline: install
	bash scripts/check-docs-offline.sh

## The image's two stages reproduced in plain folders, then migrate and serve from the runtime layout.
container-layout: install
	UV="$(UV)" bash scripts/check-container-layout.sh

ci:
	bash .ci/run

clean:
	rm -rf .venv .tools var .pytest_cache .mypy_cache .ruff_cache .hypothesis
