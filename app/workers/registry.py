"""Job kinds: what a job of each kind runs, how often it may try, how long an attempt may take.

A feature adds a module under ``app/workers/kinds/`` (listed in its ``__init__``) that calls
``register(JobKind(...))`` at import. A handler is ``async def handler(ctx, payload) -> None``; it opens
units of work with ``ctx.uow()`` (one per use case, each committing on its own) and takes the time from
``ctx.clock``. A handler may run more than once for one job (a worker that dies after the handler's
commit and before the job is marked done): make it idempotent, e.g. by checking state it wrote.

Raising :class:`RetryLater` reschedules the job without recording a failure (the attempt still counts);
any other exception is a failed attempt: retried after an exponential back-off with jitter, then
``dead`` after ``max_attempts``.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from app.domain.ports import Clock, UnitOfWork

if TYPE_CHECKING:
    from app.settings import Settings

Handler = Callable[["JobContext", dict[str, Any]], Awaitable[None]]
# Told when a job of the kind goes ``dead`` (its last attempt failed, or its worker died during it),
# with the last error: e.g. to mark what the job was doing as failed.
DeadHandler = Callable[["JobContext", dict[str, Any], str], Awaitable[None]]


class RetryLater(Exception):
    """Run this job again after ``after``; not a failure (e.g. a receiver answered 429 Retry-After)."""

    def __init__(self, after: timedelta, reason: str = "") -> None:
        super().__init__(reason or f"retry after {after}")
        self.after = after
        self.reason = reason


@dataclass(frozen=True)
class JobKind:
    """``periodic``: the kind also fires on its own once per period (aligned on the Unix epoch: a day
    at midnight UTC), however many workers run. ``queue``: workers started with ``--queues`` run only
    the kinds of those queues."""

    name: str
    handler: Handler
    max_attempts: int = 5
    timeout: timedelta = timedelta(minutes=5)
    periodic: timedelta | None = None
    queue: str = "default"
    on_dead: DeadHandler | None = None
    # Each attempt runs in a process of its own (app.workers.isolation): for jobs that would hold an
    # event loop for long (a large matching solve loads, scores and saves thousands of rows).
    isolated: bool = False

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts is at least 1")
        if self.timeout <= timedelta(0):
            raise ValueError("timeout is positive")
        if self.periodic is not None and self.periodic < timedelta(seconds=1):
            raise ValueError("a period is at least one second")


@dataclass(frozen=True)
class JobContext:
    """What a handler gets besides its payload."""

    uow: Callable[[], UnitOfWork]
    clock: Clock
    settings: Settings
    job_id: UUID
    attempt: int  # 1 for the first attempt


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Make a kind known to workers. Registering the same name twice is a mistake and refused."""
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"job kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, JobKind]:
    """Every registered kind, after importing the modules listed in ``app.workers.kinds``."""
    importlib.import_module("app.workers.kinds")
    return dict(_KINDS)


def for_queues(queues: frozenset[str] | None) -> dict[str, JobKind]:
    """The kinds of these queues (None: every kind)."""
    return {name: kind for name, kind in kinds().items() if queues is None or kind.queue in queues}


@contextmanager
def registered(*extra: JobKind) -> Iterator[None]:
    """Kinds registered only inside the block (tests and benchmarks)."""
    for kind in extra:
        register(kind)
    try:
        yield
    finally:
        for kind in extra:
            _KINDS.pop(kind.name, None)
