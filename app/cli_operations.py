"""Operator commands of ``turnabout``: the schema's migration state, a configuration check, a
matching run as coordinators see it, and the event outbox. Registered on the main command by
``app.cli``; each reads the same settings as the server (``TURNABOUT_*`` and ``.env``)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any
from urllib.parse import urlsplit
from uuid import UUID

import typer
from pydantic import ValidationError

from app.settings import Settings, get_settings

migrations = typer.Typer(help="The database schema: where it is, what is pending, stepping back.", no_args_is_help=True)
config = typer.Typer(help="The configuration the server would run with.", no_args_is_help=True)
matching_runs = typer.Typer(help="Matching runs, as their coordinators see them.", no_args_is_help=True)
outbox = typer.Typer(help="The transactional outbox of domain events (webhooks are fed from it).", no_args_is_help=True)
OPERATOR_SUBJECT = "turnabout-cli"


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        for problem in error.errors():
            typer.echo(f"configuration error: {problem['msg']}", err=True)
        raise typer.Exit(2) from error


def _print(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str, ensure_ascii=False))


# --- migrations -----------------------------------------------------------------------------------
@migrations.command("status")
def migrations_status() -> None:
    """The revision the database is at, the head of the code, and the revisions still to apply.

    Exit code 0 when at head, 1 when behind (usable as a deployment gate)."""
    from app.adapters.persistence.migrations import pending_revisions, revisions_at

    settings = _settings()
    current = asyncio.run(revisions_at(settings.database_url))
    pending = pending_revisions(settings.database_url, current)
    _print({"database": _redacted(settings.database_url), "current": sorted(current), "pending": pending})
    raise typer.Exit(0 if not pending else 1)


@migrations.command("downgrade")
def migrations_downgrade(
    revision: Annotated[str | None, typer.Argument(help="Target revision id (or `base`).")] = None,
    steps: Annotated[int | None, typer.Option(min=1, help="Step back this many revisions instead.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: a downgrade may drop columns and their data.")] = False,
) -> None:
    """Step the schema back to REVISION, or by --steps (then run the older release against it)."""
    from app.adapters.persistence.migrations import downgrade

    if (revision is None) == (steps is None):
        typer.echo("name a target revision or --steps N", err=True)
        raise typer.Exit(2)
    if not yes:
        typer.echo("a downgrade can drop data: repeat with --yes to go ahead", err=True)
        raise typer.Exit(2)
    target = revision or f"-{steps}"
    downgrade(_settings().database_url, target)
    typer.echo(f"database downgraded ({target})")


# --- configuration --------------------------------------------------------------------------------
def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def configuration_findings(settings: Settings) -> tuple[list[str], list[str]]:
    """(errors, warnings) about a configuration that validates but would run badly."""
    errors: list[str] = []
    warnings: list[str] = []
    if settings.is_production:
        if settings.database_url.startswith("sqlite"):
            warnings.append("production on SQLite: one process only; use PostgreSQL (TURNABOUT_DATABASE_URL)")
        if not settings.public_url.startswith("https://"):
            warnings.append("TURNABOUT_PUBLIC_URL is not https: feed and docs links will be sent in clear")
        if "*" in settings.cors_origins:
            warnings.append("TURNABOUT_CORS_ORIGINS allows every origin")
        if settings.log_format == "console":
            warnings.append("console logs in production: log collectors expect TURNABOUT_LOG_FORMAT=json")
    if settings.auth_issuer and not settings.auth_issuer.startswith("https://"):
        errors.append("TURNABOUT_AUTH_ISSUER must be an https URL")
    for origin in settings.cors_origins:
        if origin != "*" and not urlsplit(origin).netloc:
            errors.append(f"TURNABOUT_CORS_ORIGINS: {origin!r} is not an origin (scheme://host[:port])")
    return errors, warnings


@config.command("check")
def config_check(
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
) -> None:
    """Validate the settings (e.g. production without an issuer), show the effective configuration
    with secrets masked, and warn about choices that would run badly. Exit 0 fine, 1 problems, 2 invalid."""
    settings = _settings()
    errors, warnings = configuration_findings(settings)
    effective = settings.model_dump(mode="json")
    effective["database_url"] = _redacted(settings.database_url)
    _print({"settings": effective, "errors": errors, "warnings": warnings})
    for line in errors:
        typer.echo(f"error: {line}", err=True)
    for line in warnings:
        typer.echo(f"warning: {line}", err=True)
    raise typer.Exit(1 if errors or (strict and warnings) else 0)


# --- matching runs --------------------------------------------------------------------------------
@matching_runs.command("show")
def matching_run_show(
    run_id: Annotated[UUID, typer.Argument(help="The run's id.")],
    proposals: Annotated[bool, typer.Option(help="Include the proposed pairs and who stayed unmatched.")] = False,
) -> None:
    """A matching run as JSON: status, progress, pool, quality; with --proposals, its pairs and the
    unmatched with their reasons."""
    from app.api.schemas.matching import MatchingRunOut, ProposalOut, UnmatchedOut
    from app.bootstrap import build_container
    from app.domain.actors import Actor, Role
    from app.domain.errors import DomainError
    from app.domain.ports import PageRequest
    from app.services import matching_runs as service

    operator = Actor(subject=OPERATOR_SUBJECT, issuer="turnabout", roles=frozenset({Role.ADMIN}))

    async def show() -> dict[str, Any]:
        container = build_container(_settings())
        try:
            run = await service.get_run(container.uow(), operator, run_id=run_id)
            shown: dict[str, Any] = MatchingRunOut.of(run).model_dump(mode="json")
            if proposals:
                shown["proposals"], shown["unmatched"] = [], []
                for fetch, into, out in (
                    (service.run_proposals, shown["proposals"], ProposalOut),
                    (service.run_unmatched, shown["unmatched"], UnmatchedOut),
                ):
                    page = PageRequest(limit=500)
                    while True:
                        found = await fetch(container.uow(), operator, run_id=run_id, page=page)
                        into.extend(out.of(item).model_dump(mode="json") for item in found.items)  # type: ignore[arg-type]
                        if found.next_after is None:
                            break
                        page = PageRequest(limit=500, after=found.next_after)
            return shown
        finally:
            await container.aclose()

    try:
        _print(asyncio.run(show()))
    except DomainError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error


# --- outbox ---------------------------------------------------------------------------------------
@outbox.command("status")
def outbox_status() -> None:
    """How many events wait to be dispatched, since when, by type."""
    from app.adapters.persistence import outbox_reader

    async def read() -> outbox_reader.OutboxSummary:
        from app.adapters.persistence.db import make_engine

        engine = make_engine(_settings().database_url)
        try:
            return await outbox_reader.summary(engine)
        finally:
            await engine.dispose()

    found = asyncio.run(read())
    _print(
        {
            "events": found.total,
            "pending": found.pending,
            "oldest_pending_at": found.oldest_pending_at,
            "pending_by_type": found.pending_by_type,
        }
    )


@outbox.command("list")
def outbox_list(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first.")] = 20,
    event_type: Annotated[str | None, typer.Option("--type", help="Only this event type.")] = None,
    pending: Annotated[bool, typer.Option(help="Only events not dispatched yet.")] = False,
) -> None:
    """The latest events with their payloads (identifiers only: payloads carry no private text)."""
    from app.adapters.persistence import outbox_reader
    from app.adapters.persistence.db import make_engine

    async def read() -> list[outbox_reader.OutboxEvent]:
        engine = make_engine(_settings().database_url)
        try:
            return await outbox_reader.latest(engine, limit=limit, event_type=event_type, pending_only=pending)
        finally:
            await engine.dispose()

    _print([event.__dict__ for event in asyncio.run(read())])
