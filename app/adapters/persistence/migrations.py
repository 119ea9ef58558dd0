"""Run Alembic from code (CLI, tests, make run) and tell whether the schema is at head."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

ROOT = Path(__file__).resolve().parents[3]
# An installed wheel (the container image) carries the revisions inside the package (see
# [tool.hatch.build.targets.wheel.force-include] in pyproject.toml); a checkout has them at its root.
PACKAGED = Path(__file__).resolve().parent / "alembic"


def alembic_config(database_url: str) -> Config:
    if (ROOT / "alembic.ini").exists():
        config = Config(str(ROOT / "alembic.ini"))
        config.set_main_option("script_location", str(ROOT / "migrations"))
    else:
        config = Config()
        config.set_main_option("script_location", str(PACKAGED))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def head_revisions(database_url: str) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(database_url)).get_heads())


def pending_revisions(database_url: str, current: set[str]) -> list[str]:
    """The revisions between ``current`` and head, oldest first (all of them for an empty database)."""
    script = ScriptDirectory.from_config(alembic_config(database_url))
    applied: set[str] = set()
    for revision in current:
        applied |= {r.revision for r in script.walk_revisions(base="base", head=revision)}
    return [r.revision for r in reversed(list(script.walk_revisions())) if r.revision not in applied]


async def revisions_at(database_url: str) -> set[str]:
    """The revisions a database is at, asked on a short-lived engine (for the CLI)."""
    from app.adapters.persistence.db import make_engine

    engine = make_engine(database_url)
    try:
        return await current_revisions(engine)
    finally:
        await engine.dispose()


async def current_revisions(engine: AsyncEngine) -> set[str]:
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return {row[0] for row in rows}
    except DBAPIError:
        return set()
