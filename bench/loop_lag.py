"""The server's responsiveness while it solves a large matching run.

    uv run python -m bench.loop_lag [--participants 10000] [--port 8765] [--interval-ms 10]

A fresh SQLite database (the embedded default: the server runs its own jobs) gets the demo
organisation (``turnabout seed-demo``), ``--participants`` more people (the HRIS sync) and a reciprocal
program of the demo coordinator's where each of them is enrolled and ready. ``turnabout serve`` starts;
a thread pings ``/healthz`` every ``--interval-ms`` while the coordinator starts a matching run through
the API (``POST /programs/{id}/matching-runs``, answered ``queued``) and polls it until it is
completed. The lag of a ping is its round-trip time: the time the server's event loop took to get to
it. Prints figures, then as its last line one JSON object: ``participants, kind, backend, pings,
p50_ms, p99_ms, max_ms, baseline_p99_ms, solve_seconds, run_status, pairs``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import threading
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from bench.servers import Run, sqlite_database, temporary_folder

HR_EMAIL = "hana.hr@example.com"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Pinger(threading.Thread):
    """Pings on a fixed schedule from its own thread (the bench's main loop never delays it)."""

    def __init__(self, base_url: str, interval: float) -> None:
        super().__init__(daemon=True)
        self.base_url, self.interval = base_url, interval
        self.samples: list[tuple[float, float]] = []  # (when, seconds)
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=10) as client:
            next_at = time.perf_counter()
            while not self.stopping.is_set():
                started = time.perf_counter()
                with contextlib.suppress(httpx.TimeoutException):  # counted as the timeout; pinging goes on
                    client.get("/healthz")
                self.samples.append((started, time.perf_counter() - started))
                next_at += self.interval
                time.sleep(max(0.0, next_at - time.perf_counter()))

    def between(self, start: float, end: float) -> list[float]:
        return [seconds for at, seconds in self.samples if start <= at <= end]


def prepare_pool(database_url: str, folder: Path, participants: int) -> str:
    """``participants`` more people (the HRIS sync, 5,000 a call) and a reciprocal program in
    ``matching`` where each of them is enrolled and ready; returns the program's id."""
    from app.bootstrap import build_container
    from app.domain.actors import Actor, Role
    from app.domain.directory import PersonRecord
    from app.domain.enrollments import Enrollment, MeetingMode, Profile, RolePreference
    from app.domain.ports import PageRequest, PeopleFilter
    from app.domain.programs import ProgramDraft, ProgramKind, ProgramStatus
    from app.services import people as directory
    from app.services import programs
    from app.settings import Settings

    async def build() -> str:
        container = build_container(
            Settings(database_url=database_url, dev_signing_key_path=folder / "dev-signing-key.json")
        )
        try:
            system = Actor(subject="bench", issuer="bench", roles=frozenset({Role.ADMIN}))
            departments = ["Engineering", "Sales", "Finance", "People", "Operations", "Legal", "Marketing"]
            records = [
                PersonRecord(
                    external_id=f"B-{n:06d}",
                    email=f"bench.person{n}@example.com",
                    given_name="Bench",
                    family_name=f"Person {n}",
                    department=departments[n % len(departments)],
                    location=["Leeds", "London", "Lisbon", "Lyon"][n % 4],
                    seniority=1 + (n * 7) % 9,
                    # a reporting tree: every tenth person manages the nine after them
                    manager_external_id=None if n % 10 == 0 else f"B-{n - n % 10:06d}",
                )
                for n in range(participants)
            ]
            for start in range(0, len(records), 5000):
                await directory.upsert_people(container.uow(), system, records=records[start : start + 5000])
            roster = []
            page = PageRequest(limit=500)
            while True:
                found = await directory.list_people(container.uow(), system, flt=PeopleFilter(active=True), page=page)
                roster.extend(found.items)
                if found.next_after is None:
                    break
                page = PageRequest(limit=500, after=found.next_after)
            hr = next(p for p in roster if p.email == HR_EMAIL)
            coordinator = Actor(
                subject=f"bench|{hr.id}", issuer="bench", email=hr.email, person_id=hr.id,
                roles=frozenset({Role.COORDINATOR}),
            )  # fmt: skip
            program = await programs.create_program(
                container.uow(),
                coordinator,
                kind=ProgramKind.RECIPROCAL,
                draft=ProgramDraft(
                    name="Everyone exchange", cycle_start=date(2027, 1, 11), cycle_end=date(2027, 6, 30)
                ),
            )
            await programs.transition_program(
                container.uow(), coordinator, program_id=program.id, to=ProgramStatus.ENROLLING, expected_version=None
            )
            # Enrolling 10,000 people one request each would measure the set-up, not the solve: the
            # enrollments are written in one unit of work, through the domain's own rules.
            async with container.uow() as uow:
                now = uow.clock.now()
                modes = list(MeetingMode)
                bench_people = [p for p in roster if p.email.startswith("bench.person")]
                for index, person in enumerate(bench_people):
                    enrollment = Enrollment.apply(
                        enrollment_id=uow.ids.new_id(),
                        program_id=program.id,
                        kind=ProgramKind.RECIPROCAL,
                        person_id=person.id,
                        profile=Profile(
                            role_preference=RolePreference.BOTH,
                            interests=[f"interest-{index % 40}", f"interest-{(index * 7) % 40}"],
                            meeting_modes=[modes[index % len(modes)]],
                        ),
                        now=now,
                    )
                    enrollment.approve(training_required=False, admitted_count=0, pilot_capacity=None, now=now)
                    uow.enrollments.add(enrollment)
                await uow.commit()
            await programs.transition_program(
                container.uow(), coordinator, program_id=program.id, to=ProgramStatus.MATCHING, expected_version=None
            )
            return str(program.id)
        finally:
            await container.aclose()

    return asyncio.run(build())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--interval-ms", type=float, default=10.0)
    args = parser.parse_args(argv)

    with ExitStack() as stack:
        folder = temporary_folder(stack, "loop-lag")
        database = sqlite_database(folder)
        run = stack.enter_context(Run(database.url, folder=folder))
        run.cli("migrate")
        started = time.perf_counter()
        run.cli("seed-demo")  # the demo organisation, for its coordinator
        program_id = prepare_pool(database.url, folder, args.participants)
        print(f"pool of {args.participants} ready in {time.perf_counter() - started:.0f} s")
        server = run.serve_turnabout(args.port)
        token = run.cli("dev-token", "--email", HR_EMAIL, "--role", "coordinator")
        headers = {"Authorization": f"Bearer {token}"}
        # One authenticated read first: the first request's one-off costs (loading the signing key,
        # linking the identity) are not the solve's.
        httpx.get(f"{server.base_url}/api/v1/programs/{program_id}", headers=headers, timeout=60).raise_for_status()
        pinger = Pinger(server.base_url, args.interval_ms / 1000)
        pinger.start()
        time.sleep(2.0)  # a baseline with nothing else running
        baseline_end = time.perf_counter()
        with httpx.Client(base_url=server.base_url, timeout=60) as client:
            started_run = time.perf_counter()
            response = client.post(f"/api/v1/programs/{program_id}/matching-runs", headers=headers, json={})
            response.raise_for_status()
            body: dict[str, Any] = response.json()
            location = f"/api/v1/matching-runs/{body['id']}"
            print(f"run {body['id']} answered {body['status']} in {time.perf_counter() - started_run:.2f} s")
            while body["status"] in ("queued", "running"):
                time.sleep(0.5)
                body = client.get(location, headers=headers).json()
            solve_seconds = time.perf_counter() - started_run
        ended = time.perf_counter()
        pinger.stopping.set()
        pinger.join()

    during = pinger.between(started_run, ended)
    baseline = pinger.between(0.0, baseline_end)
    result = {
        "participants": args.participants,
        "kind": "reciprocal",
        "backend": "sqlite",
        "pings": len(during),
        "p50_ms": round(statistics.median(during) * 1000, 1),
        "p99_ms": round(_percentile(during, 0.99) * 1000, 1),
        "max_ms": round(max(during) * 1000, 1),
        "baseline_p99_ms": round(_percentile(baseline, 0.99) * 1000, 1),
        "solve_seconds": round(solve_seconds, 1),
        "run_status": body["status"],
        "pairs": body.get("pairs"),
        "quality": body.get("quality"),
        "solver": body.get("solver"),
    }
    print(
        f"{result['pings']} pings during the solve: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
        f"max {result['max_ms']} ms (baseline p99 {result['baseline_p99_ms']} ms)"
    )
    print(f"run notes: {body.get('notes')}")
    print(json.dumps(result))
    return 0 if body["status"] == "completed" else 1


if __name__ == "__main__":
    raise SystemExit(main())
