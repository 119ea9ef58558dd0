"""Benchmark of the write side: what publishing a matching run and an HRIS sync cost in SQL
statements and time, for growing batches, on a freshly migrated database.

    uv run python -m bench.writes                                   # SQLite in a temporary folder
    uv run python -m bench.writes --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres

With PostgreSQL, the database ``turnabout_bench_writes`` is (re)created on that server; nothing else
is touched. The use cases run through the services exactly as a request would (no HTTP). Prints one
line per case, then as its last line one JSON object ``{"backend", "cases": [{"case", "size",
"statements", "seconds"}]}``; ``seconds`` is the median of ``--rounds`` runs (each on fresh rows).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.persistence.migrations import upgrade
from app.bootstrap import Container, build_container
from app.domain.actors import Actor, Role
from app.domain.directory import PersonRecord
from app.domain.enrollments import Enrollment, Profile, RolePreference
from app.domain.matching import solve
from app.domain.matching_runs import MatchingRun
from app.domain.pairing import candidate
from app.domain.people import Person, PersonDetails
from app.domain.programs import ProgramDraft, ProgramKind, ProgramStatus
from app.services import matching_runs, people, programs
from app.settings import Settings

ADMIN = Actor(subject="bench", issuer="bench", roles=frozenset({Role.ADMIN}))
DEPARTMENTS = ("Sales", "Finance", "Legal", "Operations", "Marketing", "Engineering")


@contextmanager
def counting(container: Container) -> Iterator[list[int]]:
    seen = [0]

    def count(*_: Any) -> None:
        seen[0] += 1

    event.listen(container.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(container.engine.sync_engine, "before_cursor_execute", count)


async def measured(container: Container, action: Callable[[], Awaitable[object]]) -> tuple[int, float]:
    with counting(container) as seen:
        started = time.perf_counter()
        await action()
        return seen[0], time.perf_counter() - started


async def published_run(container: Container, pairs: int, tag: str) -> tuple[UUID, UUID]:
    """A reciprocal program in matching with ``2 * pairs`` ready enrollments and a completed run that
    pairs all of them; returns (run id, program id)."""
    coordinator = await people.create_person(
        container.uow(),
        ADMIN,
        details=PersonDetails(email=f"coordinator.{tag}@bench.test", given_name="Cora", family_name=tag),
    )
    draft = ProgramDraft(
        name=f"Bench {tag}",
        cycle_start=date(2027, 1, 11),
        cycle_end=date(2027, 6, 30),
        coordinator_ids=[coordinator.id],
    )
    program = await programs.create_program(container.uow(), ADMIN, kind=ProgramKind.RECIPROCAL, draft=draft)
    await programs.transition_program(
        container.uow(), ADMIN, program_id=program.id, to=ProgramStatus.ENROLLING, expected_version=None
    )
    async with container.uow() as uow:
        now = uow.clock.now()
        cast = []
        for n in range(2 * pairs):
            person = Person.create(
                id=uow.ids.new_id(),
                details=PersonDetails(
                    email=f"p{n}.{tag}@bench.test", given_name="P", family_name=str(n),
                    department=DEPARTMENTS[n % len(DEPARTMENTS)], seniority=1 + n % 9,
                ),
                now=now,
            )  # fmt: skip
            enrollment = Enrollment.apply(
                enrollment_id=uow.ids.new_id(), program_id=program.id, kind=ProgramKind.RECIPROCAL,
                person_id=person.id, profile=Profile(role_preference=RolePreference.BOTH), now=now,
            )  # fmt: skip
            enrollment.approve(training_required=False, admitted_count=n, pilot_capacity=None, now=now)
            uow.people.add(person)
            uow.enrollments.add(enrollment)
            cast.append(candidate(enrollment, person, {}, 2))
        await uow.commit()
    await programs.transition_program(
        container.uow(), ADMIN, program_id=program.id, to=ProgramStatus.MATCHING, expected_version=None
    )
    result = solve(cast, program.matching_settings())
    async with container.uow() as uow:
        run = MatchingRun(id=uow.ids.new_id(), program_id=program.id, started_by=None, created_at=uow.clock.now())
        run.start(pool_size=len(cast), now=uow.clock.now())
        uow.matching_runs.add(run)
        await uow.commit()
    async with container.uow() as uow:
        await uow.matching_runs.save_result(run.id, result.pairs, result.unmatched, uow.ids.new_id)
        stored = await uow.matching_runs.get(run.id)
        assert stored is not None
        stored.complete(result, now=uow.clock.now())
        await uow.commit()
    return run.id, program.id


def records(count: int, tag: str, *, moved: int = 0) -> list[PersonRecord]:
    """An HRIS batch: a tree of ``count`` people (ten reports a manager); the first ``moved`` change
    department."""
    return [
        PersonRecord(
            external_id=f"{tag}-{n}", email=f"e{n}.{tag}@bench.test", given_name="E", family_name=str(n),
            department="Moved" if n < moved else DEPARTMENTS[n % len(DEPARTMENTS)], seniority=1 + n % 9,
            manager_external_id=None if n == 0 else f"{tag}-{(n - 1) // 10}",
        )
        for n in range(count)
    ]  # fmt: skip


async def run_cases(container: Container, sizes: list[int], sync_sizes: list[int], rounds: int) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for pairs in sizes:
        counts, times = [], []
        for round_ in range(rounds):
            run_id, _ = await published_run(container, pairs, f"r{pairs}x{round_}")
            publish = partial(matching_runs.publish_run, container.uow(), ADMIN, run_id=run_id, expected_version=None)
            statements, seconds = await measured(container, publish)
            counts.append(statements)
            times.append(seconds)
        cases.append({"case": "publish_run", "size": pairs, "statements": max(counts),
                      "seconds": round(statistics.median(times), 4)})  # fmt: skip
    for size in sync_sizes:
        for case, moved in (("hris_sync_create", None), ("hris_sync_10pct_changed", size // 10)):
            counts, times = [], []
            for round_ in range(rounds):
                tag = f"s{size}x{round_}"
                if moved is not None:
                    await people.upsert_people(container.uow(), ADMIN, records=records(size, tag))
                batch = records(size, tag, moved=moved or 0)
                sync = partial(people.upsert_people, container.uow(), ADMIN, records=batch)
                statements, seconds = await measured(container, sync)
                counts.append(statements)
                times.append(seconds)
            cases.append({"case": case, "size": size, "statements": max(counts),
                          "seconds": round(statistics.median(times), 4)})  # fmt: skip
    return cases


async def fresh_postgres(url: str) -> str:
    server = make_url(url)
    target = server.set(database="turnabout_bench_writes")
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text('DROP DATABASE IF EXISTS "turnabout_bench_writes"'))
            await connection.execute(text('CREATE DATABASE "turnabout_bench_writes"'))
    finally:
        await admin.dispose()
    return target.render_as_string(hide_password=False)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        if args.database_url:
            url = await fresh_postgres(args.database_url)
        else:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = Settings(
            database_url=url, dev_signing_key_path=Path(folder) / "key.json", environment="development",
            log_level="warning",
        )  # fmt: skip
        container = build_container(settings)
        try:
            cases = await run_cases(container, args.pairs, args.sync, args.rounds)
        finally:
            await container.aclose()
    for case in cases:
        print(f"{case['case']:<26} {case['size']:>6}  {case['statements']:>5} statements  {case['seconds']:.3f} s")
    return {"backend": make_url(url).get_backend_name(), "cases": cases}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite in a temporary folder)")
    parser.add_argument("--pairs", type=int, nargs="+", default=[3, 30, 300, 1000])
    parser.add_argument("--sync", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--rounds", type=int, default=3)
    report = asyncio.run(main_async(parser.parse_args(argv)))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
