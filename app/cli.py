"""The ``turnabout`` command: serve, worker, migrate, export-openapi, dev-token, seed-demo."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer

from app import cli_operations as operations
from app.settings import Settings, get_settings

cli = typer.Typer(help="Turnabout: reverse and reciprocal mentoring programs, as an API.", no_args_is_help=True)
cli.add_typer(operations.migrations, name="migrations")
cli.add_typer(operations.config, name="config")
cli.add_typer(operations.matching_runs, name="matching-runs")
cli.add_typer(operations.outbox, name="outbox")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Defaults to TURNABOUT_HOST (127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Defaults to TURNABOUT_PORT (8000).")] = None,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate", help="Upgrade the schema first.")] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes. On PostgreSQL, about one per CPU core (each keeps its own connection "
            "pool); on SQLite keep 1 (one writer at a time).",
        ),
    ] = 1,
    demo_if_empty: Annotated[
        bool, typer.Option("--demo-if-empty", help="Seed the demo organisation when the directory is empty.")
    ] = False,
    reload: bool = False,
) -> None:
    """Serve the API with uvicorn (uvloop and httptools when installed): migrate, seed the demo if
    asked, then serve — all in this one process, so a restart pays one interpreter start-up."""
    import uvicorn

    settings = get_settings()
    if migrate_first:
        migrate()
    if demo_if_empty:
        typer.echo(_seed(people=240, seed=7, if_empty=True))
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        reload=reload,
        workers=None if reload else workers,
        proxy_headers=True,
        access_log=False,
        log_config=None,
    )


@cli.command()
def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, help="Jobs run at once by this process. Defaults to TURNABOUT_JOBS_CONCURRENCY (4)."),
    ] = None,
    queues: Annotated[
        str | None,
        typer.Option(help="Comma-separated queues whose kinds this worker runs (e.g. 'matching'); all by default."),
    ] = None,
) -> None:
    """Run jobs (PostgreSQL: as many of these processes as the load needs, on any machine). SIGTERM
    stops claiming, lets jobs in flight finish for TURNABOUT_JOBS_SHUTDOWN_GRACE_SECONDS, then
    releases the rest to other workers."""
    from app.workers.process import serve_worker

    chosen = frozenset(q.strip() for q in queues.split(",") if q.strip()) if queues else None
    asyncio.run(serve_worker(get_settings(), concurrency=concurrency, queues=chosen))


@cli.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Upgrade the database schema (creates the SQLite file under ./var if needed)."""
    from app.adapters.persistence.migrations import upgrade

    upgrade(get_settings().database_url, revision)
    typer.echo(f"database at {revision}")


@cli.command("export-openapi")
def export_openapi(
    output: Annotated[Path, typer.Option(help="Where to write the OpenAPI document.")] = Path("openapi/openapi.json"),
    check: Annotated[bool, typer.Option(help="Fail if a file differs instead of writing it.")] = False,
    events: Annotated[Path, typer.Option(help="Where to write the event catalogue (payload schemas).")] = Path(
        "openapi/events.json"
    ),
    problems: Annotated[Path, typer.Option(help="Where to write the catalogue of problem codes.")] = Path(
        "docs/problems.md"
    ),
    graphql: Annotated[Path, typer.Option(help="Where to write the GraphQL schema (SDL).")] = Path(
        "openapi/schema.graphql"
    ),
) -> None:
    """Write the OpenAPI document the app serves, the event catalogue, the problem-code catalogue and
    the GraphQL schema (CI runs this with --check)."""
    from app.api.event_catalogue import catalogue
    from app.api.problem_docs import catalogue_markdown
    from app.graphql.schema import schema_text
    from app.main import create_app

    document = create_app(Settings()).openapi()
    texts = {
        output: json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        events: json.dumps({"events": catalogue()}, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        problems: catalogue_markdown(document),
        graphql: schema_text(Settings()),
    }
    stale = False
    for path, text in texts.items():
        if check:
            if (path.read_text() if path.exists() else "") != text:
                typer.echo(f"{path} is out of date: run `turnabout export-openapi` (or `make openapi`)", err=True)
                stale = True
            else:
                typer.echo(f"{path} is up to date")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        typer.echo(f"wrote {path}")
    if stale:
        raise typer.Exit(1)


@cli.command("dev-token")
def dev_token(
    email: Annotated[str, typer.Option(help="Whose token: the person is found by this email.")],
    role: Annotated[list[str], typer.Option(help="employee | coordinator | admin | integration; repeatable.")] = [  # noqa: B006
        "employee"
    ],
    ttl: Annotated[int | None, typer.Option(help="Lifetime in seconds.")] = None,
) -> None:
    """Print a development bearer token (refused in production)."""
    from pydantic import ValidationError

    from app.adapters.auth.keys import DevSigningKey
    from app.adapters.auth.tokens import issue_dev_token
    from app.domain.actors import Role

    refusal = "dev tokens are refused: production, or an external issuer is configured"
    try:
        settings = get_settings()
    except ValidationError as error:  # e.g. production without an issuer: refuse, no traceback
        typer.echo(f"{refusal} ({error.errors()[0]['msg']})", err=True)
        raise typer.Exit(2) from error
    if not settings.dev_issuer_enabled:
        typer.echo(refusal, err=True)
        raise typer.Exit(2)
    try:
        roles = [Role(r) for r in role]
    except ValueError as error:
        typer.echo(f"unknown role: {error}", err=True)
        raise typer.Exit(2) from error
    token = issue_dev_token(
        DevSigningKey(settings.dev_signing_key_path),
        issuer=settings.effective_issuer,
        audience=settings.auth_audience,
        email=email,
        roles=roles,
        ttl_seconds=ttl or settings.dev_token_ttl_seconds,
    )
    typer.echo(token)


@cli.command("seed-demo")
def seed_demo(
    people: Annotated[int, typer.Option(help="How many people.")] = 240,
    seed: Annotated[int, typer.Option(help="Random seed, for a repeatable organisation.")] = 7,
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Do nothing when people exist already.")] = False,
) -> None:
    """Create a believable demo organisation: people, a reporting tree, skills, and three programs —
    one of them with a pool ready to be matched at once."""
    typer.echo(_seed(people=people, seed=seed, if_empty=if_empty))


def _seed(*, people: int, seed: int, if_empty: bool) -> str:
    from app.bootstrap import build_container
    from app.demo import seed_demo_organisation

    async def run() -> str:
        container = build_container(get_settings())
        try:
            return await seed_demo_organisation(container, people=people, seed=seed, if_empty=if_empty)
        finally:
            await container.aclose()

    return asyncio.run(run())


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
