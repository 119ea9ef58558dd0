"""``turnabout worker`` processes on PostgreSQL (three of them, real processes): every job runs exactly
once, a periodic kind fires once per period, and the job of a worker killed with ``kill -9`` is
finished by another once its lease expires. ``bench/jobs.py`` runs the same fleet with 10,000 jobs."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from app.adapters.persistence.migrations import upgrade
from bench.jobs import NOOP, SLEEP, Fleet, enqueue, exactly_once, periodic_once, wait_for

pytestmark = pytest.mark.fleet
JOBS = 2000


@pytest.fixture
async def fleet_url(backend: str, empty_database: Any) -> str:
    if backend != "postgresql":
        pytest.skip("worker fleets run on PostgreSQL (SQLite has the server's one embedded runner)")
    url: str = await empty_database("fleet")
    await asyncio.to_thread(upgrade, url)
    return url


async def test_three_workers_run_each_job_once_and_finish_a_killed_workers_job(fleet_url: str, tmp_path: Path) -> None:
    fleet = Fleet(fleet_url, tmp_path, workers=3, concurrency=8, lease_seconds=2)
    await asyncio.to_thread(fleet.start)
    try:
        await enqueue(fleet_url, NOOP, [{"n": n} for n in range(JOBS)])
        await asyncio.to_thread(wait_for, fleet_url, NOOP, JOBS, timeout=240)
        lines = fleet.lines()
        assert exactly_once(lines, NOOP, JOBS), "a job ran twice, or not at all"
        ran_by = {
            p.pid: sum(line.startswith(f"done {NOOP}") for line in fleet.lines_of(p.pid)) for p in fleet.processes
        }
        assert sum(ran_by.values()) == JOBS
        once, periods = periodic_once(lines)
        assert once and periods >= 1, "the periodic kind fired twice in a period (or never)"

        # A worker dies with a job in hand (kill -9: no release, no more heartbeats).
        await enqueue(fleet_url, SLEEP, [{"seconds": 3}])
        holder = await asyncio.to_thread(_started_by, fleet, timeout=60)
        os.kill(holder, signal.SIGKILL)
        await asyncio.to_thread(wait_for, fleet_url, SLEEP, 1, timeout=90)
        done = [line for line in fleet.lines() if line.startswith(f"done {SLEEP}")]
        assert len(done) == 1 and done[0].endswith(" 2"), done  # the second attempt, by another worker
        assert not any(line.startswith(f"done {SLEEP}") for line in fleet.lines_of(holder))
    finally:
        codes = await asyncio.to_thread(fleet.stop)
    assert sorted(codes) == [-signal.SIGKILL, 0, 0]  # the others stopped cleanly on SIGTERM


def _started_by(fleet: Fleet, *, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in fleet.processes:
            if any(line.startswith(f"start {SLEEP}") for line in fleet.lines_of(process.pid)):
                return process.pid
        time.sleep(0.05)
    raise TimeoutError("no worker started the job")
