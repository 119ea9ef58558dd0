# Turnabout — the two commands: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
# uv from the PATH, or installed through pip on first use.
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
export TURNABOUT_HOST ?= $(HOST)
export TURNABOUT_PORT ?= $(PORT)
export TURNABOUT_PUBLIC_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install lint format openapi test-pg schemathesis bench clean

install: .venv/.turnabout-installed

.venv/.turnabout-installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

## Migrate ./var/turnabout.db, seed the demo organisation on first run, serve on HOST:PORT.
run: install
	$(UV) run turnabout migrate
	$(UV) run turnabout seed-demo --if-empty
	@echo ""
	@echo "  Turnabout on http://$(HOST):$(PORT)   docs: http://$(HOST):$(PORT)/docs"
	@echo "  A token:  TOKEN=\$$($(UV) run turnabout dev-token --email hana.hr@example.com --role coordinator)"
	@echo "            curl -H \"Authorization: Bearer \$$TOKEN\" http://$(HOST):$(PORT)/api/v1/programs"
	@echo ""
	$(UV) run turnabout serve --no-migrate --host $(HOST) --port $(PORT)

## The whole suite: SQLite always; PostgreSQL too when TURNABOUT_TEST_DATABASE_URL is set.
test: install
	$(UV) run pytest -q

## The suite against the local PostgreSQL as well (what CI runs).
test-pg: install
	TURNABOUT_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/turnabout_test $(UV) run pytest -q

lint: install
	$(UV) run ruff check app tests bench migrations/env.py
	$(UV) run ruff format --check app tests bench migrations/env.py
	$(UV) run mypy app bench
	$(UV) run lint-imports
	$(UV) run turnabout export-openapi --check

format: install
	$(UV) run ruff format app tests bench migrations/env.py
	$(UV) run ruff check --fix app tests bench migrations/env.py

openapi: install
	$(UV) run turnabout export-openapi

schemathesis: install
	UV="$(UV)" bash scripts/schemathesis.sh

clean:
	rm -rf .venv var .pytest_cache .mypy_cache .ruff_cache .hypothesis
