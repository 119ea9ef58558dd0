"""One transaction for a whole request (polar's ``postgres.py`` pattern: one place commits).

An HTTP request opens a :class:`RequestTransaction`; identity resolution, the idempotency record and
every use case of the request run on its one session. A use case's ``uow.commit()`` inside the
request writes its rows and events and *asks* for the commit; the transaction really commits once, at
the end of the request, after the response — and its idempotency record — are ready. So a create and
its idempotency record are one atomic write: a retry after any failure either replays the stored
response or runs the create for the first time, never twice.

Outside a request (the CLI, jobs, tests calling services) a unit of work owns its own session and
commits on ``commit()`` as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.domain.events import DomainEvent

log = structlog.get_logger("turnabout.transaction")
CommitListener = Callable[[list[DomainEvent]], Any]


class RequestTransaction:
    """The request's session (opened on first use) and whether a use case asked to commit."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        read_only: bool,
        listeners: tuple[CommitListener, ...] = (),
    ) -> None:
        self._factory = session_factory
        self.read_only = read_only
        self._session: AsyncSession | None = None
        self.used = False  # whether the request touched the database at all
        self._listeners = listeners
        self._commit_requested = False
        self._events: list[DomainEvent] = []
        self._after_commit: list[Callable[[], Any]] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self._factory()
            self.used = True
        return self._session

    def request_commit(self, events: list[DomainEvent]) -> None:
        """A use case finished its writes (rows and outbox are flushed): commit at the end."""
        if self.read_only:
            raise RuntimeError("a read-only request tried to commit a change")
        self._commit_requested = True
        self._events.extend(events)

    def after_commit(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once the transaction really committed (never after a rollback)."""
        self._after_commit.append(callback)

    async def complete(self) -> None:
        """Commit what use cases asked to commit, else roll back; then notify listeners."""
        if self._session is None:
            return
        if not self._commit_requested:
            await self._session.rollback()
            return
        await self._session.commit()
        self._commit_requested = False
        events, self._events = self._events, []
        callbacks, self._after_commit = self._after_commit, []
        notify_committed(self._listeners, events, callbacks)

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            try:
                await session.rollback()  # a no-op after commit
            finally:
                await session.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def notify_committed(
    listeners: tuple[CommitListener, ...], events: list[DomainEvent], callbacks: list[Callable[[], Any]]
) -> None:
    """After a real COMMIT: caches drop what the events made stale, workers wake up. A failing
    listener is logged, never raised: the change is committed and the caller must hear so."""
    for listener in listeners:
        try:
            listener(events)
        except Exception:
            log.exception("commit_listener_failed")
    for callback in callbacks:
        try:
            callback()
        except Exception:
            log.exception("after_commit_callback_failed")
