"""The jobs' pure rules: back-off, jitter, what a failed attempt leads to, periods of periodic kinds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.jobs import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    JobRequest,
    JobState,
    after_failure,
    after_retry_later,
    backoff,
    next_period,
    period_start,
    summarise_error,
    with_jitter,
)

NOW = datetime(2027, 3, 1, 12, 30, tzinfo=UTC)
attempts = st.integers(min_value=1, max_value=200)
fractions = st.floats(min_value=0.0, max_value=1.0, exclude_max=True, allow_nan=False)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
periods = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=30))


def test_backoff_doubles_from_the_base() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4)] == [BACKOFF_BASE, 2 * BACKOFF_BASE, 4 * BACKOFF_BASE, 8 * BACKOFF_BASE]
    with pytest.raises(ValueError, match="from 1"):
        backoff(0)


@given(attempts)
def test_backoff_never_shrinks_and_never_passes_the_cap(attempt: int) -> None:
    assert BACKOFF_BASE <= backoff(attempt) <= backoff(attempt + 1) <= BACKOFF_CAP
    assert backoff(attempt + 60) == BACKOFF_CAP


@given(attempts, fractions)
def test_jitter_keeps_at_least_half_and_never_adds(attempt: int, fraction: float) -> None:
    delay = backoff(attempt)
    jittered = with_jitter(delay, fraction)
    assert delay / 2 <= jittered <= delay


def test_jitter_spreads_jobs_that_failed_together() -> None:
    delay = timedelta(minutes=8)
    assert with_jitter(delay, 0.0) == timedelta(minutes=4)
    assert with_jitter(delay, 0.5) == timedelta(minutes=6)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        with_jitter(delay, 1.0)


@given(st.integers(min_value=1, max_value=30), st.integers(min_value=1, max_value=30), fractions)
def test_a_failed_attempt_retries_until_the_last_then_dies(attempt: int, max_attempts: int, fraction: float) -> None:
    outcome = after_failure(attempt, max_attempts, now=NOW, fraction=fraction)
    if attempt >= max_attempts:
        assert outcome.state is JobState.DEAD and outcome.run_at is None
    else:
        assert outcome.state is JobState.RETRYING
        assert outcome.run_at is not None
        assert NOW + backoff(attempt) / 2 <= outcome.run_at <= NOW + backoff(attempt)


def test_retry_later_is_not_a_failure_but_counts_as_an_attempt() -> None:
    later = after_retry_later(1, 3, now=NOW, after=timedelta(minutes=2))
    assert (later.state, later.run_at) == (JobState.QUEUED, NOW + timedelta(minutes=2))
    assert after_retry_later(3, 3, now=NOW, after=timedelta(minutes=2)).state is JobState.DEAD
    assert after_retry_later(1, 3, now=NOW, after=timedelta(seconds=-5)).run_at == NOW


@given(moments, periods)
def test_a_moment_falls_in_exactly_one_period(moment: datetime, period: timedelta) -> None:
    start = period_start(moment, period)
    assert start <= moment < start + period
    assert next_period(moment, period) == start + period
    assert period_start(start, period) == start  # the start belongs to its own period
    assert period_start(start + period - timedelta(microseconds=1), period) == start


def test_days_start_at_midnight_utc_and_hours_on_the_hour() -> None:
    assert period_start(NOW, timedelta(days=1)) == datetime(2027, 3, 1, tzinfo=UTC)
    assert period_start(NOW, timedelta(hours=1)) == datetime(2027, 3, 1, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="positive"):
        period_start(NOW, timedelta(0))


def test_a_job_request_is_checked_when_made() -> None:
    assert JobRequest("webhooks.deliver", {"id": 1}).run_at is None
    with pytest.raises(ValueError, match="kind"):
        JobRequest("", {})
    with pytest.raises(ValueError, match="dedupe"):
        JobRequest("k", {}, dedupe_key="")
    with pytest.raises(ValueError, match="max_attempts"):
        JobRequest("k", {}, max_attempts=0)
    with pytest.raises(ValueError, match="timezone"):
        JobRequest("k", {}, run_at=datetime(2027, 1, 1))


def test_an_error_is_summarised_by_type_and_message_and_bounded() -> None:
    assert summarise_error(ValueError("bad input")) == "ValueError: bad input"
    assert summarise_error(TimeoutError()) == "TimeoutError"
    assert len(summarise_error(RuntimeError("x" * 5000))) == 2000
