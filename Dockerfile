# syntax=docker/dockerfile:1
# Build: docker build -t turnabout .      Run: see compose.yaml
# Two stages: `build` installs the locked dependencies and the project (not editable: the runtime
# stage has no source tree) into /opt/venv; `runtime` copies only that environment.
# scripts/check-container-layout.sh reproduces both stages in plain folders (CI has no container engine).
FROM python:3.11-slim AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
# Dependencies first (cached while only the code changes).
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app ./app
COPY migrations ./migrations
# --no-editable: the package (with its migrations, see pyproject.toml) is copied into /opt/venv.
RUN uv sync --frozen --no-dev --no-editable

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    TURNABOUT_ENVIRONMENT=production \
    TURNABOUT_HOST=0.0.0.0 \
    TURNABOUT_PORT=8000 \
    TURNABOUT_LOG_FORMAT=json \
    TURNABOUT_DATABASE_URL=sqlite+aiosqlite:////srv/var/turnabout.db \
    TURNABOUT_DEV_SIGNING_KEY_PATH=/srv/var/dev-signing-key.json
RUN groupadd --system turnabout && useradd --system --gid turnabout --home /srv turnabout
WORKDIR /srv
COPY --from=build /opt/venv /opt/venv
RUN mkdir -p /srv/var && chown turnabout:turnabout /srv/var
USER turnabout
EXPOSE 8000
# The port is TURNABOUT_PORT's, whatever it is set to at run time.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('TURNABOUT_PORT', '8000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=2).status == 200 else 1)"]
# One process: migrate, then serve on TURNABOUT_HOST:TURNABOUT_PORT (uvicorn with uvloop and httptools).
CMD ["turnabout", "serve"]
