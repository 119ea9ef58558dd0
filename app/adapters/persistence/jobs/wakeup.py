"""``JobWakeup``: waking the runners, in this process and (PostgreSQL) through ``LISTEN/NOTIFY``."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters.persistence.jobs.shared import CHANNEL

log = structlog.get_logger("turnabout.jobs")


class JobWakeup:
    """Wakes the runners of this process; on PostgreSQL, also when another process enqueued."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Event] = set()

    def waiter(self) -> asyncio.Event:
        event = asyncio.Event()
        self._waiters.add(event)
        return event

    def forget(self, event: asyncio.Event) -> None:
        self._waiters.discard(event)

    def wake(self) -> None:
        for event in self._waiters:
            event.set()

    @contextlib.asynccontextmanager
    async def listening(self, engine: AsyncEngine) -> Any:
        """On PostgreSQL, LISTEN on a connection of its own while the block runs (a failure to listen
        is logged: polling still finds every job)."""
        if engine.dialect.name != "postgresql":
            yield
            return
        connection = None
        try:
            connection = await engine.connect()
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None

            def heard(*_: object) -> None:
                self.wake()

            await driver.add_listener(CHANNEL, heard)
        except Exception:
            log.warning("jobs_listen_failed", exc_info=True)
            if connection is not None:
                await connection.close()
                connection = None
        try:
            yield
        finally:
            if connection is not None:
                with contextlib.suppress(Exception):
                    await connection.invalidate()  # never back to the pool with a listener on it
                    await connection.close()
