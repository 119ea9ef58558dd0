"""create_app(): the FastAPI application with its lifespan, routers and error handlers."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI
from fastapi.routing import APIRoute

from app.api import access, cors, docs, problems, text_guard
from app.api.deps import authenticate
from app.api.headers import SecurityHeaders
from app.api.middleware import RequestContext
from app.api.routes import (
    api_keys,
    calendar,
    dev_issuer,
    enrollments,
    feedback,
    goals,
    jobs,
    matching,
    meetings,
    metrics,
    people,
    programs,
    relationships,
    skills,
    stories,
    system,
    turns,
    webhooks,
)
from app.bootstrap import Container, build_container
from app.graphql.router import graphql_router
from app.logging import configure_logging
from app.settings import Settings, get_settings

DESCRIPTION = """
Turnabout runs **reverse and reciprocal mentoring programs**: programs, voluntary enrolment,
constraint-aware matching, relationships in which two colleagues *take turns* as mentor and mentee,
meetings, goals and program metrics.

* Authenticate with a bearer JWT from your identity provider. In development the service issues
  its own: `turnabout dev-token --email hana.hr@example.com --role coordinator` is the demo
  organisation's HR coordinator (a token's e-mail must belong to someone in the directory).
* Errors are `application/problem+json` with a stable `code`.
* Lists are cursor-paginated: pass `next_cursor` back as `cursor`.
* Single resources carry an `ETag`; send it back as `If-Match` to avoid lost updates (412 if stale).
* Creates accept an `Idempotency-Key`.
"""


def _operation_id(route: APIRoute) -> str:
    """Stable operation ids for client generators: the handler's name in camelCase."""
    return access.operation_id(route.name)


def settle_heap() -> None:
    """Garbage-collector settings for a serving process, applied once start-up is done.

    Everything imported and built so far (modules, routes, schemas, the OpenAPI document) lives as
    long as the process: ``gc.freeze()`` moves it out of the collector's sight, so that a full
    collection walks only what requests allocate. A request allocates thousands of short-lived
    containers (rows, dicts, Pydantic models), which at the default threshold of 700 start a young
    collection several times per request; 10,000 lets most requests finish between two.
    """
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(10_000, older, oldest)


def create_app(settings: Settings | None = None, *, container: Container | None = None) -> FastAPI:
    settings = settings or (container.settings if container else get_settings())
    configure_logging(settings)
    log = structlog.get_logger("turnabout.http")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = container is None
        app.state.container = container or build_container(settings)
        try:
            # Fetch the IdP's discovery document and keys once at start (an IdP that is down then
            # is retried with back-off by the first requests; the server starts anyway).
            try:
                await app.state.container.validator.keys.key_set()
            except Exception as error:  # the IdP's outage must not stop the service from starting
                log.warning("identity_provider_not_reached_at_start", error=type(error).__name__)
            app.openapi()  # built now, so that it is frozen with the rest below
            settle_heap()
            async with _embedded_runner(app.state.container):
                yield
        finally:
            if owned:
                await app.state.container.aclose()

    app = FastAPI(
        title="Turnabout",
        version="0.1.0",
        summary="Reverse and reciprocal mentoring programs, as an API.",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc are served by app.api.docs, without CDNs
        openapi_url="/openapi.json" if settings.docs_served else None,
        redoc_url=None,
        generate_unique_id_function=_operation_id,
        openapi_tags=[
            {"name": "people", "description": "The employee directory, kept in sync with the HRIS."},
            {"name": "skills", "description": "The catalogue of skills people offer and want."},
            {"name": "programs", "description": "Programs, their lifecycle and the draft-proposal discussion."},
            {"name": "enrollments", "description": "Voluntary enrolment, approval, training, withdrawal."},
            {
                "name": "matching",
                "description": "Matching runs: certified near-optimal pairs under hard constraints, explained.",
            },
            {
                "name": "relationships",
                "description": "Pairs of colleagues: proposal, acceptance, agreement, pause, completion, health.",
            },
            {
                "name": "role-turns",
                "description": "Who leads the next meeting and why; the ledger and balance of turns; policy "
                "overrides, the junior's ready declaration and swaps.",
            },
            {
                "name": "meetings",
                "description": "Meetings with their turn leader, agenda, shared notes, resources and each "
                "member's private reflection (readable by its author only).",
            },
            {"name": "goals", "description": "Learning goals inside a relationship, and their progress."},
            {"name": "calendar", "description": "A personal iCalendar feed of your meetings at a secret URL."},
            {"name": "jobs", "description": "Work that runs over time (solves, sweeps, deliveries): state and retry."},
            {
                "name": "access",
                "description": "API keys of integrations and people's sign-in identities (admins).",
            },
            {"name": "operations", "description": "Health, readiness, metrics and development keys."},
        ],
    )
    app.state.settings = settings
    if container is not None:
        app.state.container = container
    problems.install(app)
    text_guard.install(app)  # inside request_context: its 422 carries the request id

    app.add_middleware(RequestContext, max_body_bytes=settings.max_body_bytes, new_id=lambda: container_ids(app))

    app.add_middleware(SecurityHeaders, hsts_seconds=settings.hsts_seconds if settings.is_production else None)
    if settings.docs_served:
        docs.install(app, settings)
    app.include_router(system.router)
    app.include_router(dev_issuer.router)  # answers 404 unless the development issuer is on
    for router in (
        people.router,
        api_keys.router,
        skills.router,
        programs.router,
        enrollments.router,
        matching.router,
        relationships.router,
        turns.router,
        meetings.router,
        goals.router,
        feedback.router,
        stories.router,
        metrics.router,
        calendar.router,
        jobs.router,
        webhooks.router,
    ):
        app.include_router(router, prefix="/api/v1")
    app.include_router(calendar.feed_router)  # the secret URL itself: no /api/v1, no bearer token
    app.include_router(graphql_router(settings, authenticate=authenticate))  # the same use cases, as GraphQL

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = access.document_access(problems.document_problems(FastAPI.openapi(app)))
            keys = getattr(getattr(app.state, "container", None), "validator", None)
            discovery = getattr(getattr(keys, "keys", None), "discovery", None)
            app.openapi_schema = docs.document_security(schema, settings, discovery)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    cors.install(app, settings)  # the last middleware added: the outermost layer
    return app


@asynccontextmanager
async def _embedded_runner(container: Container) -> AsyncIterator[None]:
    """The job runner inside the server process when ``TURNABOUT_JOBS_EMBEDDED`` says so (by default on
    SQLite): started with the app, stopped with it — jobs in flight finish or are released."""
    if not container.settings.jobs_run_embedded:
        yield
        return
    from app.workers.process import build_runner
    from app.workers.runner import running

    async with running(build_runner(container)):
        yield


def container_ids(app: FastAPI) -> str:
    container: Container | None = getattr(app.state, "container", None)
    return str(container.ids.new_id()) if container else "-"
