"""Async engine and session factories for ``sqlite+aiosqlite`` and ``postgresql+asyncpg``.

Two session factories share one engine (one pool): writers, and readers. On SQLite a writer's
transaction takes the write lock at BEGIN (``BEGIN IMMEDIATE``) and a reader's does not (a plain
deferred ``BEGIN``), so that readers never queue behind writers. On PostgreSQL a writer runs one READ
COMMITTED transaction and a reader sends its statements without BEGIN/ROLLBACK around them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

READ_ONLY = "turnabout_read_only"  # an execution option: this connection's transactions only read


def make_engine(database_url: str, *, echo: bool = False, pool_size: int = 5, max_overflow: int = 0) -> AsyncEngine:
    """An engine; on PostgreSQL a pool of ``pool_size`` connections kept open, and up to
    ``max_overflow`` more opened for a burst and closed when returned (the serving process passes the
    ``database_pool_size`` and ``database_max_overflow`` settings; the CLI's short-lived engines keep
    the small default)."""
    url = make_url(database_url)
    kwargs: dict[str, Any] = {"echo": echo}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    else:
        # No pre-ping: on asyncpg it costs three round trips (BEGIN, a ping, ROLLBACK) on every checkout,
        # as much as the request's own work. A connection the server dropped fails its first statement
        # instead; SQLAlchemy then invalidates the whole pool, that one request answers 503
        # database_unavailable, and the next gets fresh connections (tests/integration/test_faults.py).
        # With a pool of 10 and an overflow of 10, 64 concurrent requests kept opening and closing 10
        # connections (an SSL negotiation and a PostgreSQL backend start each): 4 % of the worker's
        # time in connect and close. A full pool makes a request wait for a connection instead.
        kwargs.update(pool_size=pool_size, max_overflow=max_overflow, pool_recycle=1800)
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Foreign keys are off by default in SQLite; WAL lets readers run beside the writer.
        # pysqlite's own transaction handling is disabled so that BEGIN IMMEDIATE below is ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock at BEGIN: a read-then-write use case cannot then fail half-way
        # with "database is locked" (a deferred transaction that read first cannot upgrade once another
        # writer committed), and compare-and-set updates see a consistent row. A reader does not.
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: AsyncEngine, *, read_only: bool = False) -> async_sessionmaker[AsyncSession]:
    options: dict[str, Any] = {}
    if read_only:
        options[READ_ONLY] = True
        if engine.dialect.name == "postgresql":
            # A reader sends no BEGIN and no ROLLBACK: two round trips of three for a one-query read.
            # Under READ COMMITTED every statement takes its own snapshot inside a transaction too, so
            # what a read sees is the same; and a reader holds no locks to release.
            options["isolation_level"] = "AUTOCOMMIT"
    bind = engine.execution_options(**options) if options else engine
    return async_sessionmaker(bind, expire_on_commit=False, autoflush=False)


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means "the database cannot be reached or used right now" (a 503), as
    opposed to a bug or a rule (a 500 or a 4xx): connection refused or lost, the server shutting down
    or starting, the pool exhausted, SQLite's lock wait exhausted."""
    if isinstance(error, SATimeoutError):  # no connection free in the pool in time
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        original = error.orig
        name = type(original).__name__ if original is not None else ""
        if name in _UNAVAILABLE_DRIVER_ERRORS or isinstance(original, OSError | TimeoutError):
            return True
        message = str(original).lower() if original is not None else ""
        return any(sign in message for sign in _UNAVAILABLE_MESSAGES)
    return isinstance(error, OSError | TimeoutError) and not isinstance(error, FileNotFoundError | PermissionError)


_UNAVAILABLE_DRIVER_ERRORS = frozenset(
    {
        "CannotConnectNowError",
        "ConnectionDoesNotExistError",
        "ConnectionFailureError",
        "AdminShutdownError",
        "CrashShutdownError",
        "TooManyConnectionsError",
        "InterfaceError",
    }
)
_UNAVAILABLE_MESSAGES = ("database is locked", "connection is closed", "connection refused", "unable to open database")


class DatabaseStatus:
    """Remembers an outage so it is logged once when it starts and once when it ends, instead of a
    traceback per request."""

    def __init__(self) -> None:
        self.down_since: float | None = None

    def mark_down(self) -> bool:
        """True the first time (the caller logs the outage)."""
        if self.down_since is not None:
            return False
        self.down_since = time.monotonic()
        return True

    def mark_up(self) -> float | None:
        """The outage's length in seconds when one just ended, else None."""
        if self.down_since is None:
            return None
        lasted, self.down_since = time.monotonic() - self.down_since, None
        return lasted
