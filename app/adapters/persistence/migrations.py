"""Run Alembic from code (CLI, tests, make run) and tell whether the schema is at head.

Alembic (and Mako under it, about 13 MB) is imported by the functions that use it, not by the
serving process at start-up; the heads a readiness probe compares with are read once per process.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

ROOT = Path(__file__).resolve().parents[3]
# An installed wheel (the container image) carries the revisions inside the package (see
# [tool.hatch.build.targets.wheel.force-include] in pyproject.toml); a checkout has them at its root.
PACKAGED = Path(__file__).resolve().parent / "alembic"


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

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
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(database_url), revision)


def head_revisions(database_url: str) -> set[str]:
    return set(_heads(database_url))


@functools.cache
def _heads(database_url: str) -> frozenset[str]:
    """The revision files do not change under a running process: read them once."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config(database_url)).get_heads())


def pending_revisions(database_url: str, current: set[str]) -> list[str]:
    """The revisions between ``current`` and head, oldest first (all of them for an empty database)."""
    from alembic.script import ScriptDirectory

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
