"""Job throughput on PostgreSQL: N no-op jobs run by W ``turnabout worker`` processes.

    uv run python -m bench.jobs --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/tb_bench_jobs \
        [--jobs 10000] [--workers 3] [--concurrency 8]

The database is emptied and migrated first (give it a database of its own). The workers start, then
every job is enqueued in one transaction; the clock runs from that commit until the last job is marked
done. Each worker logs every job it ran, so the run also checks that each job ran exactly once and
that a periodic kind (one-second period) fired once per period. Prints the figures, then as its last
line one JSON object: ``jobs, workers, concurrency, seconds, jobs_per_second, exactly_once,
periodic_once_per_period``.

``python -m bench.jobs worker --log-dir DIR`` is one such worker (the suite's fleet test uses it too):
``turnabout worker`` with three extra kinds — ``bench.noop``, ``bench.sleep`` (``{"seconds": s}``) and
``bench.tick`` (periodic, every second) — each writing a line per run to ``DIR/<pid>.log``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

NOOP, SLEEP, TICK = "bench.noop", "bench.sleep", "bench.tick"
_LOG: Path | None = None


def _write(line: str) -> None:
    assert _LOG is not None
    with (_LOG / f"{os.getpid()}.log").open("a") as log:
        log.write(line + "\n")


def _register_kinds() -> None:
    from app.workers.registry import JobContext, JobKind, register

    async def noop(ctx: JobContext, payload: dict[str, Any]) -> None:
        _write(f"done {NOOP} {ctx.job_id}")

    async def sleep(ctx: JobContext, payload: dict[str, Any]) -> None:
        _write(f"start {SLEEP} {ctx.job_id} {ctx.attempt}")
        await asyncio.sleep(float(payload["seconds"]))
        _write(f"done {SLEEP} {ctx.job_id} {ctx.attempt}")

    async def tick(ctx: JobContext, payload: dict[str, Any]) -> None:
        _write(f"done {TICK} {payload['period_start']}")

    register(JobKind(NOOP, noop))
    register(JobKind(SLEEP, sleep, timeout=timedelta(minutes=5)))
    register(JobKind(TICK, tick, periodic=timedelta(seconds=1)))


def worker(log_dir: Path, concurrency: int) -> None:
    """One worker process: the application's kinds plus the bench kinds."""
    global _LOG
    _LOG = log_dir
    _register_kinds()
    from app.settings import Settings
    from app.workers.process import serve_worker

    _write("ready")
    asyncio.run(serve_worker(Settings(), concurrency=concurrency, queues=None))


# --- the harness (also used by tests/integration/test_worker_fleet.py) ---------------------------


def fresh_database(url: str) -> None:
    """Empty and migrate the database ``url`` names (created if missing)."""
    from app.adapters.persistence.migrations import upgrade

    async def reset() -> None:
        parsed = make_url(url)
        admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                exists = await connection.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
                )
                if not exists:
                    await connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        finally:
            await admin.dispose()
        engine = create_async_engine(parsed)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("DROP SCHEMA public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        finally:
            await engine.dispose()

    asyncio.run(reset())
    upgrade(url)


class Fleet:
    """W worker processes on one database, each logging what it ran."""

    def __init__(self, url: str, log_dir: Path, *, workers: int, concurrency: int, lease_seconds: float = 30) -> None:
        self.url, self.log_dir, self.count, self.concurrency = url, log_dir, workers, concurrency
        self.env = {
            **os.environ,
            "TURNABOUT_DATABASE_URL": url,
            "TURNABOUT_JOBS_LEASE_SECONDS": str(lease_seconds),
            "TURNABOUT_JOBS_POLL_SECONDS": "0.5",
            "TURNABOUT_JOBS_SHUTDOWN_GRACE_SECONDS": "5",
            "TURNABOUT_LOG_LEVEL": "warning",
        }
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, timeout: float = 60) -> None:
        root = Path(__file__).resolve().parents[1]
        for _ in range(self.count):
            command = [sys.executable, "-m", "bench.jobs", "worker", "--log-dir", str(self.log_dir)]
            command += ["--concurrency", str(self.concurrency)]
            self.processes.append(subprocess.Popen(command, cwd=root, env=self.env))
        deadline = time.monotonic() + timeout
        while sum(line == "ready" for line in self.lines()) < self.count:
            if time.monotonic() > deadline:
                raise TimeoutError("the workers did not start")
            time.sleep(0.1)

    def lines(self) -> list[str]:
        found: list[str] = []
        for path in self.log_dir.glob("*.log"):
            found.extend(path.read_text().splitlines())
        return found

    def lines_of(self, pid: int) -> list[str]:
        path = self.log_dir / f"{pid}.log"
        return path.read_text().splitlines() if path.exists() else []

    def stop(self) -> list[int]:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        return [process.wait(timeout=60) for process in self.processes]


@contextmanager
def fleet(url: str, log_dir: Path, **options: Any) -> Iterator[Fleet]:
    running = Fleet(url, log_dir, **options)
    try:
        running.start()
        yield running
    finally:
        running.stop()


async def enqueue(url: str, kind: str, payloads: list[dict[str, Any]]) -> None:
    from app.adapters.persistence.db import make_engine, make_session_factory
    from app.adapters.persistence.jobs import JobStore
    from app.adapters.system import SystemClock, UUID7Generator
    from app.domain.jobs import JobRequest

    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        store = JobStore(factory, make_session_factory(engine, read_only=True), ids=UUID7Generator())
        await store.enqueue([JobRequest(kind, payload) for payload in payloads], now=SystemClock().now())
    finally:
        await engine.dispose()


async def _wait(url: str, kind: str, total: int, limit: float) -> float:
    from app.adapters.persistence.jobs import jobs

    started = time.perf_counter()
    engine = create_async_engine(url)
    count = select(func.count()).where(jobs.c.kind == kind, jobs.c.state == "succeeded")
    try:
        async with engine.connect() as connection:
            while True:
                done = int(await connection.scalar(count) or 0)
                await connection.rollback()  # a fresh snapshot for the next look
                if done >= total:
                    return time.perf_counter() - started
                if time.perf_counter() - started > limit:
                    raise TimeoutError(f"{done} of {total} {kind} jobs done after {limit} s")
                await asyncio.sleep(0.05)
    finally:
        await engine.dispose()


def wait_for(url: str, kind: str, total: int, *, timeout: float) -> float:
    """Seconds until ``total`` jobs of ``kind`` succeeded."""
    return asyncio.run(_wait(url, kind, total, timeout))


def exactly_once(lines: list[str], kind: str, total: int) -> bool:
    runs = Counter(line.split()[2] for line in lines if line.startswith(f"done {kind} "))
    return len(runs) == total and set(runs.values()) == {1}


def periodic_once(lines: list[str]) -> tuple[bool, int]:
    """(each period fired at most once, how many periods fired)."""
    fired = Counter(line.split()[2] for line in lines if line.startswith(f"done {TICK} "))
    return (bool(fired) and set(fired.values()) == {1}), len(fired)


def run(url: str, *, jobs: int, workers: int, concurrency: int, log_dir: Path) -> dict[str, Any]:
    import app.adapters.persistence.jobs  # noqa: F401 - imported before the clock starts

    fresh_database(url)
    with fleet(url, log_dir, workers=workers, concurrency=concurrency):
        started = time.perf_counter()
        asyncio.run(enqueue(url, NOOP, [{"n": n} for n in range(jobs)]))
        enqueued = time.perf_counter() - started
        seconds = wait_for(url, NOOP, jobs, timeout=600) + enqueued
    lines = [line for path in log_dir.glob("*.log") for line in path.read_text().splitlines()]
    once, periods = periodic_once(lines)
    return {
        "jobs": jobs,
        "workers": workers,
        "concurrency": concurrency,
        "seconds": round(seconds, 2),
        "enqueue_seconds": round(enqueued, 2),
        "jobs_per_second": round(jobs / seconds, 1),
        "exactly_once": exactly_once(lines, NOOP, jobs),
        "periodic_once_per_period": once,
        "periods_fired": periods,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    one = sub.add_parser("worker")
    one.add_argument("--log-dir", type=Path, required=True)
    one.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default=os.environ.get("TURNABOUT_BENCH_DATABASE_URL", ""))
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    if args.command == "worker":
        worker(args.log_dir, args.concurrency)
        return 0
    if not args.database_url.startswith("postgresql"):
        parser.error("--database-url must name a PostgreSQL database of its own (it is emptied)")
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        result = run(
            args.database_url,
            jobs=args.jobs,
            workers=args.workers,
            concurrency=args.concurrency,
            log_dir=Path(directory),
        )
    print(f"{result['jobs']} jobs, {result['workers']} workers × {result['concurrency']}: {result['seconds']} s")
    print(json.dumps(result))
    return 0 if result["exactly_once"] and result["periodic_once_per_period"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
