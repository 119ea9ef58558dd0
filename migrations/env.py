"""Alembic environment: async engine, Turnabout's settings, the tables' metadata."""

from __future__ import annotations

import asyncio
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import event
from sqlalchemy.engine import Connection

from app.adapters.persistence.db import make_engine
from app.adapters.persistence.tables import metadata
from app.settings import get_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = metadata


def _database_url() -> str:
    return str(config.attributes.get("database_url") or get_settings().database_url)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            _check_foreign_keys(connection)


def _check_foreign_keys(connection: Connection) -> None:
    """Enforcement is off while SQLite migrates (below); verify every reference before committing."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left rows pointing at nothing (table, rowid, parent, fk): {broken[:10]}")


async def _run_async() -> None:
    engine = make_engine(_database_url())
    if engine.dialect.name == "sqlite":
        # SQLite adds or drops a constraint by rebuilding the table; with foreign keys enforced,
        # dropping the old copy would cascade to the rows referencing it (a goal's progress
        # updates, say). SQLite's own procedure for altering tables: enforcement off while the
        # schema changes, PRAGMA foreign_key_check before commit. The pragma cannot change inside
        # a transaction, so it is set as each connection opens.
        @event.listens_for(engine.sync_engine, "connect")
        def _foreign_keys_off(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.close()

    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure)
            await connection.commit()
    finally:
        await engine.dispose()


def run_offline() -> None:
    context.configure(url=_database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
    else:
        asyncio.run(_run_async())
