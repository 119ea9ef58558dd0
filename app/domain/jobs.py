"""Jobs: work that happens over time, outside the request that caused it.

A use case asks for a job with a :class:`JobRequest` through ``uow.jobs.enqueue``; the unit of work
writes it in the same transaction as the change (a rolled-back change never has a job, a committed one
never loses it). Workers claim due jobs, run their kind's handler and record the outcome here:

- ``queued``    waiting for its ``run_at``;
- ``running``   claimed by a worker, under a lease the worker renews while the handler runs (a worker
  that dies stops renewing; once the lease expires another worker claims the job again);
- ``succeeded`` the handler returned;
- ``retrying``  an attempt failed and another is scheduled (exponential back-off with jitter);
- ``dead``      the last attempt failed: kept, visible to admins, who may retry it.

The back-off and the periods of periodic kinds are pure functions, so that they are tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(hours=6)


@dataclass(frozen=True)
class JobRequest:
    """A job to run. ``run_at`` None means now. An unfinished job (queued, running or retrying) of the
    same ``kind`` and ``dedupe_key`` makes this request a no-op. ``max_attempts`` None means the kind's
    default."""

    kind: str
    payload: dict[str, Any]
    run_at: datetime | None = None
    dedupe_key: str | None = None
    max_attempts: int | None = None

    def __post_init__(self) -> None:
        if not self.kind or len(self.kind) > 100:
            raise ValueError("a job kind is 1 to 100 characters")
        if self.dedupe_key is not None and not 0 < len(self.dedupe_key) <= 200:
            raise ValueError("a dedupe key is 1 to 200 characters")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError("max_attempts is at least 1")
        if self.run_at is not None and self.run_at.tzinfo is None:
            raise ValueError("run_at must be timezone-aware")


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    RETRYING = "retrying"  # an attempt failed; the next one is scheduled
    DEAD = "dead"


# Waiting to be claimed (once due).
WAITING = frozenset({JobState.QUEUED, JobState.RETRYING})
# Not finished: an enqueue with the same kind and dedupe key is a no-op while one of these exists.
UNFINISHED = frozenset({JobState.QUEUED, JobState.RUNNING, JobState.RETRYING})
FINISHED = frozenset({JobState.SUCCEEDED, JobState.DEAD})


@dataclass(frozen=True)
class Job:
    """A stored job, as workers and admins see it."""

    id: UUID
    kind: str
    payload: dict[str, Any]
    state: JobState
    run_at: datetime
    attempts: int
    max_attempts: int | None
    dedupe_key: str | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    locked_by: str | None = None
    lease_expires_at: datetime | None = None


def backoff(attempt: int, *, base: timedelta = BACKOFF_BASE, cap: timedelta = BACKOFF_CAP) -> timedelta:
    """The delay before the attempt after failed attempt number ``attempt`` (1-based), before jitter:
    base, 2·base, 4·base... never above ``cap``."""
    if attempt < 1:
        raise ValueError("attempts are numbered from 1")
    exponent = min(attempt - 1, 30)  # 2**30 · base is far above any sensible cap, and far from overflow
    delay: timedelta = base * (2**exponent)
    return min(delay, cap)


def with_jitter(delay: timedelta, fraction: float) -> timedelta:
    """ "Equal jitter": half the delay is kept, the other half scaled by ``fraction`` in [0, 1), so that
    jobs that failed together do not all come back together, and no retry comes sooner than half its
    back-off."""
    if not 0.0 <= fraction < 1.0:
        raise ValueError("fraction is in [0, 1)")
    half = delay / 2
    return half + half * fraction


@dataclass(frozen=True)
class Outcome:
    """What a failed attempt leads to: the state, when the next attempt is due (retrying only)."""

    state: JobState
    run_at: datetime | None


def after_failure(
    attempt: int,
    max_attempts: int,
    *,
    now: datetime,
    fraction: float,
    base: timedelta = BACKOFF_BASE,
    cap: timedelta = BACKOFF_CAP,
) -> Outcome:
    """Attempt ``attempt`` of ``max_attempts`` failed: retry after the jittered back-off, or ``dead``
    after the last one."""
    if attempt >= max_attempts:
        return Outcome(JobState.DEAD, None)
    return Outcome(JobState.RETRYING, now + with_jitter(backoff(attempt, base=base, cap=cap), fraction))


def after_retry_later(attempt: int, max_attempts: int, *, now: datetime, after: timedelta) -> Outcome:
    """The handler asked to be run again after ``after`` (e.g. a receiver answered 429 with
    Retry-After): no failure is recorded, but the attempt counts, so a job cannot postpone forever."""
    if attempt >= max_attempts:
        return Outcome(JobState.DEAD, None)
    return Outcome(JobState.QUEUED, now + max(after, timedelta(0)))


def period_start(now: datetime, period: timedelta) -> datetime:
    """The start of the period ``now`` falls in; periods are aligned on the Unix epoch (a day starts
    at midnight UTC, an hour on the hour)."""
    if period <= timedelta(0):
        raise ValueError("a period is positive")
    return EPOCH + period * ((now - EPOCH) // period)


def next_period(now: datetime, period: timedelta) -> datetime:
    """The start of the period after the one ``now`` falls in."""
    return period_start(now, period) + period


def summarise_error(error: BaseException, limit: int = 2000) -> str:
    """What a job records of a failed attempt: the error's type and message, bounded."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
