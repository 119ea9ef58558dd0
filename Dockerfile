# syntax=docker/dockerfile:1
# Build: docker build -t turnabout .      Run: see compose.yaml
FROM python:3.11-slim AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install --no-cache-dir uv
WORKDIR /src
# Dependencies first (cached while only the code changes).
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app ./app
COPY migrations ./migrations
COPY alembic.ini ./
RUN uv sync --frozen --no-dev

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    TURNABOUT_ENVIRONMENT=production \
    TURNABOUT_HOST=0.0.0.0 \
    TURNABOUT_PORT=8000 \
    TURNABOUT_LOG_FORMAT=json
RUN groupadd --system turnabout && useradd --system --gid turnabout --home /srv turnabout
WORKDIR /srv
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src /srv
RUN mkdir -p /srv/var && chown turnabout:turnabout /srv/var
USER turnabout
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
# uvicorn[standard] brings uvloop and httptools; they are selected explicitly.
CMD ["uvicorn", "app.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000", \
     "--loop", "uvloop", "--http", "httptools", "--proxy-headers", "--no-access-log"]
