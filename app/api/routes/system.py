"""Operational endpoints: liveness, readiness, metrics, and the development issuer's keys."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from pydantic import BaseModel
from sqlalchemy import text

from app.adapters.persistence.jobs import job_figures
from app.adapters.persistence.migrations import current_revisions, head_revisions
from app.api.deps import ContainerDep, authenticate, check_scope
from app.api.problems import problem_responses
from app.domain.actors import ActorKind, Scope
from app.domain.errors import forbidden, not_found

router = APIRouter(tags=["operations"])
log = structlog.get_logger("turnabout.http")
JOBS = Gauge("turnabout_jobs", "Jobs by kind and state (queued, retrying, running, dead).", ["kind", "state"])
JOBS_DUE = Gauge("turnabout_jobs_queue_depth", "Jobs due now and waiting for a worker, by kind.", ["kind"])
JOBS_OLDEST = Gauge(
    "turnabout_jobs_oldest_due_seconds", "How long the oldest job due and waiting has been due, by kind.", ["kind"]
)


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: str
    migrations: str


@router.get("/healthz", response_model=Health, summary="Liveness", description="200 while the process serves requests.")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness",
    description="200 when the database answers and its schema is at the latest migration; 503 otherwise.",
    responses={503: {"model": Readiness, "description": "Not ready"}},
)
async def readyz(container: ContainerDep) -> JSONResponse:
    database = "ok"
    try:
        async with container.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        database = "unreachable"
    migrations = "unknown"
    if database == "ok":
        current = await current_revisions(container.engine)
        migrations = "at_head" if current == head_revisions(container.settings.database_url) else "behind"
    ready = database == "ok" and migrations == "at_head"
    body = Readiness(status="ready" if ready else "not_ready", database=database, migrations=migrations)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    description="Request counts and latencies per route template, and jobs (by kind and state, how many are "
    "due, how long the oldest due has waited, failed attempts), in the Prometheus text format. Public in "
    "development; in production (or with `TURNABOUT_METRICS_PUBLIC=false`) it needs an admin's token or an API "
    "key with `metrics:read`.",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Prometheus text format"},
        **problem_responses(401, 403, 429, 503),
    },
)
async def metrics(request: Request, container: ContainerDep) -> Response:
    settings = getattr(request.app.state, "settings", container.settings)
    if settings.metrics_protected:
        actor = await authenticate(request, container)
        check_scope(actor, Scope.METRICS_READ.value)
        if actor.kind is ActorKind.PERSON and not actor.is_admin:
            raise forbidden("metrics_protected", "/metrics needs an admin or the `metrics:read` scope here.")
    await _job_gauges(container)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


async def _job_gauges(container: ContainerDep) -> None:
    """The jobs' gauges, read from the database at each scrape (every worker's jobs, not only this
    process's); left as they were when the database does not answer."""
    now = container.clock.now()
    try:
        figures = await job_figures(container.read_session_factory, now=now)
    except Exception:
        log.warning("metrics_jobs_unavailable", exc_info=True)
        return
    for gauge in (JOBS, JOBS_DUE, JOBS_OLDEST):
        gauge.clear()
    for kind in figures:
        for state, count in kind.by_state.items():
            JOBS.labels(kind=kind.kind, state=state).set(count)
        JOBS_DUE.labels(kind=kind.kind).set(kind.due)
        waited = (now - kind.oldest_due).total_seconds() if kind.oldest_due is not None else 0.0
        JOBS_OLDEST.labels(kind=kind.kind).set(max(waited, 0.0))


@router.get(
    "/.well-known/jwks.json",
    summary="The development issuer's public keys",
    description="Served only in development, where Turnabout issues its own tokens.",
    responses={
        200: {"content": {"application/json": {"schema": {"type": "object"}}}, "description": "JWKS"},
        404: {"description": "Not in development"},
    },
)
async def jwks(container: ContainerDep) -> dict[str, Any]:
    if container.dev_key is None:
        raise not_found("jwks", "here: tokens come from the organisation's identity provider")
    return container.dev_key.public_jwks()


@router.get(
    "/.well-known/openid-configuration",
    summary="The development issuer's discovery document",
    description="Served only in development, where Turnabout is a small OpenID provider of its own: authorization "
    'code with PKCE (S256) at `/oauth/authorize` and `/oauth/token` — what /docs\' "Authorize" uses — or '
    "`turnabout dev-token`.",
    responses={
        200: {"content": {"application/json": {"schema": {"type": "object"}}}, "description": "OpenID discovery"},
        404: {"description": "Not in development"},
    },
)
async def openid_configuration(container: ContainerDep) -> dict[str, Any]:
    if container.dev_key is None:
        raise not_found("openid_configuration", "here: use the organisation's identity provider")
    base = container.settings.public_url.rstrip("/")
    return {
        "issuer": container.settings.effective_issuer,
        "authorization_endpoint": f"{base}/oauth/authorize",
        "token_endpoint": f"{base}/oauth/token",
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": ["openid", "email", "profile"],
        "claims_supported": ["sub", "email", "email_verified", "roles"],
    }
