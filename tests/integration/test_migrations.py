"""The migration stairway: every revision upgrades, downgrades and upgrades again on each database,
and the schema at head is exactly what the tables declare (no drift for autogenerate to find).

Walks whatever revisions exist, so it keeps guarding as revisions are added.
"""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import inspect

from app.adapters.persistence.db import make_engine
from app.adapters.persistence.migrations import alembic_config, current_revisions, downgrade, head_revisions, upgrade
from app.adapters.persistence.tables import metadata


def revisions_from_base(url: str) -> list[Script]:
    script = ScriptDirectory.from_config(alembic_config(url))
    return list(reversed(list(script.walk_revisions("base", "heads"))))


def one_step_down(revision: Script) -> str:
    if revision.down_revision is None:
        return "base"
    if isinstance(revision.down_revision, str):
        return revision.down_revision
    return f"{revision.revision}-1"  # a merge point: step back to both parents


async def state(url: str) -> tuple[set[str], set[str]]:
    """(revisions recorded, tables present)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        return await current_revisions(engine), tables - {"alembic_version"}
    finally:
        await engine.dispose()


async def schema_drift(url: str) -> list[Any]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:

            def compare(sync: Any) -> list[Any]:
                context = MigrationContext.configure(sync, opts={"compare_type": True})
                with warnings.catch_warnings():
                    # SQLite cannot reflect expression indexes (lower(name)); autogenerate skips them.
                    warnings.filterwarnings("ignore", message=".*expression-based index.*")
                    return list(compare_metadata(context, metadata))

            return await connection.run_sync(compare)
    finally:
        await engine.dispose()


async def test_every_revision_upgrades_downgrades_and_upgrades_again(empty_database) -> None:
    url = await empty_database("stairway")
    revisions = revisions_from_base(url)
    assert revisions, "no migrations found"
    assert revisions[0].down_revision is None

    for revision in revisions:
        await asyncio.to_thread(upgrade, url, revision.revision)
        assert revision.revision in (await state(url))[0]
        await asyncio.to_thread(downgrade, url, one_step_down(revision))
        await asyncio.to_thread(upgrade, url, revision.revision)
        assert revision.revision in (await state(url))[0], f"{revision.revision} did not come back up"

    assert (await state(url))[0] == head_revisions(url)
    await asyncio.to_thread(downgrade, url, "base")
    assert await state(url) == (set(), set()), "downgrading to base must leave no table behind"
    await asyncio.to_thread(upgrade, url, "heads")
    revisions_at_head, tables = await state(url)
    assert revisions_at_head == head_revisions(url)
    assert tables == set(metadata.tables)


async def test_the_migrated_schema_matches_the_declared_tables(empty_database) -> None:
    url = await empty_database("stairway")
    await asyncio.to_thread(upgrade, url, "heads")
    drift = await schema_drift(url)
    assert drift == [], f"the tables and the migrations disagree; add a revision:\n{drift}"


def test_revision_files_have_date_slug_names() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://"))
    for revision in script.walk_revisions("base", "heads"):
        name = Path(revision.path).stem
        assert name[:11].replace("_", "").isdigit() and name[4] == name[7] == name[10] == "_", name
