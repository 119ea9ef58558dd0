"""Matching runs through the API: start, review, pin/forbid and re-solve, publish, rematch."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy import select

from app.adapters.persistence.repositories.matching_runs import SqlMatchingRunRepository
from app.adapters.persistence.tables import JobRow, OutboxRow
from app.domain.actors import Role


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


class Cohort:
    """A reverse program in ``matching`` with juniors offering and seniors wanting skills."""

    def __init__(self, client: httpx.AsyncClient, auth: Any, org: Any) -> None:
        self.client, self.auth, self.org = client, auth, org
        self.enrollments: dict[str, str] = {}
        self.people: dict[str, str] = {}

    async def build(self, *, juniors: int = 3, seniors: int = 3, extra_rules: dict[str, Any] | None = None) -> None:
        await self.org.person("Hana Coordinator", department="People", seniority=7)
        self.staff = self.auth(self.org.email("Hana Coordinator"), Role.COORDINATOR)
        skill = ok(
            await self.client.post(
                "/api/v1/skills", headers=self.staff, json={"name": "TikTok", "category": "social_media"}
            ),
            201,
        )
        self.skill = skill["id"]
        program = ok(
            await self.client.post(
                "/api/v1/programs",
                headers=self.staff,
                json={
                    "kind": "reverse",
                    "name": "Digital fluency",
                    "cycle_start": "2027-01-11",
                    "cycle_end": "2027-06-30",
                    "matching_rules": {"min_seniority_gap": 2, **(extra_rules or {})},
                },
            ),
            201,
        )
        self.program = program["id"]
        await self.move("enrolling")
        departments = ["Sales", "Finance", "Legal", "Operations"]
        for i in range(seniors):
            await self.enrol(f"Senior{i} Lead", seniority=7, role="mentee", department=departments[i % 4])
        for i in range(juniors):
            await self.enrol(f"Junior{i} Grad", seniority=1, role="mentor", department=departments[(i + 1) % 4])
        await self.move("matching")

    async def move(self, to: str) -> None:
        ok(await self.client.post(f"/api/v1/programs/{self.program}/transitions", headers=self.staff, json={"to": to}))

    async def enrol(self, name: str, *, seniority: int, role: str, department: str, **fields: Any) -> str:
        person = await self.org.person(name, seniority=seniority, department=department, **fields)
        self.people[name] = str(person)
        headers = self.auth(self.org.email(name))
        body = {
            "role_preference": role,
            "skills_offered": [self.skill] if role == "mentor" else [],
            "skills_wanted": [self.skill] if role == "mentee" else [],
            "interests": ["cycling"],
            "meeting_modes": ["video"],
            "availability": ["tue-pm"],
        }
        enrollment = ok(
            await self.client.post(f"/api/v1/programs/{self.program}/enrollments", headers=headers, json=body), 201
        )
        ok(
            await self.client.post(
                f"/api/v1/programs/{self.program}/enrollments/{enrollment['id']}/approve", headers=self.staff
            )
        )
        self.enrollments[name] = enrollment["id"]
        return str(enrollment["id"])

    async def run(self, **body: Any) -> dict[str, Any]:
        result: dict[str, Any] = ok(
            await self.client.post(f"/api/v1/programs/{self.program}/matching-runs", headers=self.staff, json=body), 201
        )
        return result

    async def proposals(self, run_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = ok(
            await self.client.get(f"/api/v1/matching-runs/{run_id}/proposals", headers=self.staff)
        )["items"]
        return items

    def pair_names(self, proposals: list[dict[str, Any]]) -> set[frozenset[str]]:
        by_id = {v: k for k, v in self.enrollments.items()}
        return {frozenset(by_id[e] for e in p["enrollment_ids"]) for p in proposals}


@pytest.fixture
async def cohort(client: httpx.AsyncClient, auth: Any, org: Any) -> Cohort:
    built = Cohort(client, auth, org)
    await built.build()
    return built


async def test_a_run_pairs_everyone_with_explanations_and_a_certified_quality(cohort: Cohort) -> None:
    run = await cohort.run()
    assert run["status"] == "completed"
    assert run["pool_size"] == 6
    assert run["pairs"] == 3
    assert run["unmatched"] == 0
    assert run["quality"] == pytest.approx(1.0, abs=1e-6)
    assert run["total_score"] <= run["upper_bound"] + 1e-9
    proposals = await cohort.proposals(run["id"])
    assert len(proposals) == 3
    for proposal in proposals:
        names = [n for n, e in cohort.enrollments.items() if e in proposal["enrollment_ids"]]
        assert sorted(n.startswith("Junior") for n in names) == [False, True], "one mentor, one mentee"
        mentor = next(n for n in names if n.startswith("Junior"))
        assert proposal["mentor_enrollment_id"] == cohort.enrollments[mentor]
        factor_names = {f["name"] for f in proposal["factors"]}
        assert "skills" in factor_names
        assert all(f["contribution"] > 0 for f in proposal["factors"])
        assert proposal["score"] == pytest.approx(sum(f["contribution"] for f in proposal["factors"]))
        assert proposal["summary"]


async def test_reporting_lines_are_never_paired_and_the_unmatched_say_why(
    client: httpx.AsyncClient, auth: Any, org: Any
) -> None:
    cohort = Cohort(client, auth, org)
    await cohort.build(juniors=0, seniors=1)
    await cohort.move("enrolling")
    boss = cohort.people["Senior0 Lead"]
    await cohort.enrol("Direct Report", seniority=1, role="mentor", department="Sales", manager_id=UUID(boss))
    await cohort.move("matching")
    run = await cohort.run()
    assert run["pairs"] == 0
    unmatched = ok(await client.get(f"/api/v1/matching-runs/{run['id']}/unmatched", headers=cohort.staff))["items"]
    assert {u["reason"] for u in unmatched} == {"no_allowed_partner"}
    assert all("reporting" in u["detail"].lower() for u in unmatched)


async def test_forbid_and_pin_then_re_solve_keeps_the_adjustments(cohort: Cohort) -> None:
    first = await cohort.run()
    chosen = (await cohort.proposals(first["id"]))[0]["enrollment_ids"]
    senior = next(n for n, e in cohort.enrollments.items() if e in chosen and n.startswith("Senior"))
    other_junior = next(e for n, e in cohort.enrollments.items() if n.startswith("Junior") and e not in chosen)
    forbid = await cohort.run(based_on=first["id"], forbids=[chosen])
    assert frozenset(chosen) not in {frozenset(p["enrollment_ids"]) for p in await cohort.proposals(forbid["id"])}
    pin = [cohort.enrollments[senior], other_junior]
    second = await cohort.run(based_on=forbid["id"], pins=[pin])
    assert second["forbids"] == [chosen]
    proposals = await cohort.proposals(second["id"])
    assert frozenset(pin) in {frozenset(p["enrollment_ids"]) for p in proposals}
    assert next(p for p in proposals if frozenset(p["enrollment_ids"]) == frozenset(pin))["pinned"] is True


async def test_a_pin_that_breaks_a_hard_constraint_fails_the_run_visibly(cohort: Cohort) -> None:
    seniors = [e for n, e in cohort.enrollments.items() if n.startswith("Senior")]
    run = await cohort.run(pins=[seniors[:2]])  # two mentees: role mismatch
    assert run["status"] == "failed"
    assert run["error"].startswith("pin_breaks_constraint")


async def test_bad_adjustments_are_refused_and_change_nothing(cohort: Cohort) -> None:
    e = list(cohort.enrollments.values())
    response = await cohort.client.post(
        f"/api/v1/programs/{cohort.program}/matching-runs",
        headers=cohort.staff,
        json={"pins": [[e[0], e[3]]], "forbids": [[e[3], e[0]]]},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "pair_pinned_and_forbidden"
    listed = ok(await cohort.client.get(f"/api/v1/programs/{cohort.program}/matching-runs", headers=cohort.staff))
    assert listed["items"] == []


async def test_publishing_creates_proposed_relationships_once(cohort: Cohort, container: Any) -> None:
    run = await cohort.run()
    published = ok(
        await cohort.client.post(
            f"/api/v1/matching-runs/{run['id']}/publish", headers={**cohort.staff, "If-Match": f'"v{run["version"]}"'}
        )
    )
    assert published["status"] == "published"
    relationships = ok(
        await cohort.client.get(f"/api/v1/relationships?program_id={cohort.program}", headers=cohort.staff)
    )["items"]
    assert len(relationships) == 3
    assert {r["status"] for r in relationships} == {"proposed"}
    assert {r["source"] for r in relationships} == {"matching"}
    again = await cohort.client.post(f"/api/v1/matching-runs/{run['id']}/publish", headers=cohort.staff)
    assert again.status_code == 409
    assert again.json()["code"] == "run_not_publishable"
    async with container.engine.connect() as connection:
        types = (await connection.execute(select(OutboxRow.event_type).order_by(OutboxRow.id))).scalars().all()
    assert types.count("matching_run.finished") == 1
    assert types.count("relationship.proposed") == 3
    assert types[-1] == "matching_run.published"


async def test_publishing_a_stale_run_changes_nothing(cohort: Cohort) -> None:
    run = await cohort.run()
    # Someone in the last proposal withdraws after the run: the pairs before it are not made either.
    last = (await cohort.proposals(run["id"]))[-1]["enrollment_ids"]
    name = next(n for n, e in cohort.enrollments.items() if e == last[0])
    me = cohort.auth(cohort.org.email(name))
    ok(
        await cohort.client.post(
            f"/api/v1/programs/{cohort.program}/enrollments/{last[0]}/withdraw", headers=me, json={}
        )
    )
    refused = await cohort.client.post(f"/api/v1/matching-runs/{run['id']}/publish", headers=cohort.staff)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "enrollment_not_ready"
    relationships = ok(
        await cohort.client.get(f"/api/v1/relationships?program_id={cohort.program}", headers=cohort.staff)
    )
    assert relationships["items"] == []
    assert (
        ok(await cohort.client.get(f"/api/v1/matching-runs/{run['id']}", headers=cohort.staff))["status"] == "completed"
    )


async def test_a_second_run_cannot_pair_people_the_first_one_paired(cohort: Cohort) -> None:
    first, second = await cohort.run(), await cohort.run()
    ok(await cohort.client.post(f"/api/v1/matching-runs/{first['id']}/publish", headers=cohort.staff))
    refused = await cohort.client.post(f"/api/v1/matching-runs/{second['id']}/publish", headers=cohort.staff)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "pair_breaks_constraint"
    relationships = ok(
        await cohort.client.get(f"/api/v1/relationships?program_id={cohort.program}", headers=cohort.staff)
    )["items"]
    assert len(relationships) == 3
    second = ok(await cohort.client.get(f"/api/v1/matching-runs/{second['id']}", headers=cohort.staff))
    assert second["status"] == "completed"


async def test_pins_and_forbids_must_name_enrollments_of_the_program(cohort: Cohort) -> None:
    mine = next(iter(cohort.enrollments.values()))
    response = await cohort.client.post(
        f"/api/v1/programs/{cohort.program}/matching-runs",
        headers=cohort.staff,
        json={"forbids": [[mine, str(uuid4())]]},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "enrollment_unknown"


async def test_a_solver_crash_fails_the_run_with_a_reason(cohort: Cohort, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services import matching_runs

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(matching_runs, "solve", crash)
    run = await cohort.run()
    assert run["status"] == "failed"
    assert run["error"] == "internal_error: RuntimeError"


async def test_a_database_failure_while_recording_the_result_still_fails_the_run(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("database went away")

    monkeypatch.setattr(SqlMatchingRunRepository, "save_result", broken)
    run = await cohort.run()
    assert run["status"] == "failed"
    assert run["error"] == "internal_error: ConnectionError"


async def test_a_failed_progress_write_does_not_cost_the_run_its_result(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import matching_runs

    real_solve = matching_runs.solve

    def slow_solve(*args: Any, progress: Any, **kwargs: Any) -> Any:
        progress(0.5)
        time.sleep(0.2)  # long enough for the progress writer to try
        return real_solve(*args, progress=progress, **kwargs)

    attempts: list[float] = []

    async def broken(self: Any, run_id: UUID, fraction: float) -> None:
        attempts.append(fraction)
        raise ConnectionError("database went away")

    monkeypatch.setattr(matching_runs, "_PROGRESS_EVERY", 0.01)
    monkeypatch.setattr(matching_runs, "solve", slow_solve)
    monkeypatch.setattr(SqlMatchingRunRepository, "set_progress", broken)
    run = await cohort.run()
    assert attempts, "the progress writer never tried"
    assert run["status"] == "completed"
    assert run["pairs"] == 3


async def test_a_rematch_returns_both_to_the_pool_and_never_proposes_them_again(
    client: httpx.AsyncClient, auth: Any, org: Any
) -> None:
    cohort = Cohort(client, auth, org)
    await cohort.build(juniors=1, seniors=1)
    run = await cohort.run()
    ok(await client.post(f"/api/v1/matching-runs/{run['id']}/publish", headers=cohort.staff))
    relationship = ok(await client.get(f"/api/v1/relationships?program_id={cohort.program}", headers=cohort.staff))[
        "items"
    ][0]
    ended = ok(
        await client.post(
            f"/api/v1/relationships/{relationship['id']}/end", headers=cohort.staff, json={"reason": "rematch"}
        )
    )
    assert ended["status"] == "ended"
    statuses = {
        e["status"]
        for e in ok(await client.get(f"/api/v1/programs/{cohort.program}/enrollments", headers=cohort.staff))["items"]
    }
    assert statuses == {"ready"}
    again = await cohort.run()
    assert again["pool_size"] == 2
    assert again["pairs"] == 0
    unmatched = ok(await client.get(f"/api/v1/matching-runs/{again['id']}/unmatched", headers=cohort.staff))["items"]
    assert {u["reason"] for u in unmatched} == {"no_allowed_partner"}


async def test_only_the_programs_coordinators_run_matching(cohort: Cohort, org: Any) -> None:
    await org.person("Other Employee")
    outsider = cohort.auth(org.email("Other Employee"))
    started = await cohort.client.post(f"/api/v1/programs/{cohort.program}/matching-runs", headers=outsider, json={})
    assert started.status_code == 403
    run = await cohort.run()
    for path in ("", "/proposals", "/unmatched"):
        response = await cohort.client.get(f"/api/v1/matching-runs/{run['id']}{path}", headers=outsider)
        assert response.status_code == 404, path
    published = await cohort.client.post(f"/api/v1/matching-runs/{run['id']}/publish", headers=outsider)
    assert published.status_code == 404


async def test_a_run_needs_the_program_in_matching(client: httpx.AsyncClient, auth: Any, org: Any) -> None:
    cohort = Cohort(client, auth, org)
    await cohort.build()
    await cohort.move("enrolling")
    response = await client.post(f"/api/v1/programs/{cohort.program}/matching-runs", headers=cohort.staff, json={})
    assert response.status_code == 409
    assert response.json()["code"] == "program_not_matching"


async def test_large_pools_are_solved_by_a_job_in_a_process_of_their_own(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch, run_jobs: Any, container: Any
) -> None:
    from app.services import matching_runs

    run_jobs.periodic = False

    def not_here(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a large pool was solved in the server's own process")

    monkeypatch.setattr(matching_runs, "INLINE_POOL_LIMIT", 0)
    monkeypatch.setattr(matching_runs, "solve", not_here)
    run = await cohort.run()
    assert run["status"] == "queued"
    assert run["progress"] == 0.0
    async with container.engine.connect() as connection:
        [job] = (await connection.execute(select(JobRow.__table__))).all()  # type: ignore[attr-defined]
    assert (job.kind, job.payload, job.dedupe_key) == ("matching.solve", {"run_id": run["id"]}, run["id"])
    [settled] = await run_jobs()
    assert (settled.kind, settled.state) == ("matching.solve", "succeeded")
    polled = ok(await cohort.client.get(f"/api/v1/matching-runs/{run['id']}", headers=cohort.staff))
    assert polled["status"] == "completed"
    assert polled["progress"] == 1.0
    assert polled["pairs"] == 3


async def test_a_run_whose_worker_died_mid_solve_is_solved_again_by_another(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch, run_jobs: Any, container: Any
) -> None:
    from app.services import matching_runs

    run_jobs.periodic = False

    monkeypatch.setattr(matching_runs, "INLINE_POOL_LIMIT", 0)
    run = await cohort.run()
    store = container.job_store()
    now = run_jobs.clock.now()
    # A worker claims the job and starts the solve, then dies (no settle, no more heartbeats).
    assert await store.claim(["matching.solve"], worker="died", now=now, lease=timedelta(seconds=30), limit=1)
    async with container.uow() as uow:
        stored = await uow.matching_runs.get(UUID(run["id"]))
        stored.start(pool_size=6, now=now)
        stored.progress = 0.4
        await uow.commit()
    assert await run_jobs() == []  # the lease still holds
    [settled] = await run_jobs(at=now + timedelta(seconds=31))
    assert (settled.state, settled.attempt) == ("succeeded", 2)
    polled = ok(await cohort.client.get(f"/api/v1/matching-runs/{run['id']}", headers=cohort.staff))
    assert (polled["status"], polled["pairs"]) == ("completed", 3)


async def test_a_run_whose_job_gives_up_is_failed_with_the_reason(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch, run_jobs: Any, container: Any
) -> None:
    from app.services import matching_runs

    run_jobs.periodic = False
    from app.workers.kinds import matching as matching_kind

    async def crashing(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the matching process ended unexpectedly (exit code -9)")

    monkeypatch.setattr(matching_runs, "INLINE_POOL_LIMIT", 0)
    monkeypatch.setattr(matching_kind, "in_process", crashing)
    run = await cohort.run()
    [first] = await run_jobs()
    assert first.state == "retrying"
    polled = ok(await cohort.client.get(f"/api/v1/matching-runs/{run['id']}", headers=cohort.staff))
    assert polled["status"] == "running"  # not failed: the job tries again
    await run_jobs(at=run_jobs.clock.now() + timedelta(hours=1))
    [last] = await run_jobs(at=run_jobs.clock.now() + timedelta(hours=1))
    assert (last.state, last.attempt) == ("succeeded", 3)  # its last attempt recorded the failure on the run
    polled = ok(await cohort.client.get(f"/api/v1/matching-runs/{run['id']}", headers=cohort.staff))
    assert polled["status"] == "failed"
    assert polled["error"] == "internal_error: RuntimeError"


async def test_a_run_whose_worker_died_on_the_last_attempt_is_failed(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch, run_jobs: Any, container: Any
) -> None:
    from app.services import matching_runs

    run_jobs.periodic = False

    monkeypatch.setattr(matching_runs, "INLINE_POOL_LIMIT", 0)
    run = await cohort.run()
    store = container.job_store()
    now = run_jobs.clock.now()
    for attempt in range(3):  # three workers die in turn with it
        moment = now + timedelta(minutes=attempt)
        assert await store.claim(
            ["matching.solve"], worker=f"w{attempt}", now=moment, lease=timedelta(seconds=30), limit=1
        )
    [settled] = await run_jobs(at=now + timedelta(minutes=5))
    assert settled.state == "dead"
    polled = ok(await cohort.client.get(f"/api/v1/matching-runs/{run['id']}", headers=cohort.staff))
    assert polled["status"] == "failed"
    assert polled["error"].startswith("interrupted: lease expired")


async def test_a_run_explains_its_pool_with_the_enrollments_by_state(cohort: Cohort) -> None:
    await cohort.move("enrolling")
    waiting = await cohort.org.person("Wanda Waiting", seniority=7, department="Sales")
    body = {"role_preference": "mentee", "meeting_modes": ["video"]}
    ok(
        await cohort.client.post(
            f"/api/v1/programs/{cohort.program}/enrollments",
            headers=cohort.auth(cohort.org.email("Wanda Waiting")),
            json=body,
        ),
        201,
    )
    leaving = cohort.enrollments["Junior2 Grad"]
    ok(
        await cohort.client.post(
            f"/api/v1/programs/{cohort.program}/enrollments/{leaving}/withdraw",
            headers=cohort.auth(cohort.org.email("Junior2 Grad")),
            json={},
        )
    )
    await cohort.move("matching")
    run = await cohort.run()
    assert waiting
    assert run["pool_size"] == 5
    assert run["pool_census"] == {"applied": 1, "ready": 5, "withdrawn": 1}
    assert run["notes"][0] == (
        "pool: 5 of the program's 7 enrollments (5 ready); not in the pool: 1 applied, awaiting approval, 1 withdrawn"
    )
    fairness = run["fairness"]
    assert sum(fairness["score_bands"]) == run["pairs"] == 2
    departments = fairness["unmatched_by"]["department"]
    assert sum(g["pool"] for g in departments.values()) == 5
    assert sum(g["unmatched"] for g in departments.values()) == run["unmatched"] == 1
    assert fairness["unmatched_by"]["role"] == {
        "mentee": {"pool": 3, "unmatched": 1},
        "mentor": {"pool": 2, "unmatched": 0},
    }
    assert run["proven_optimal"] is True


async def test_a_dry_run_compares_other_settings_with_the_current_run_and_is_never_published(cohort: Cohort) -> None:
    current = await cohort.run()
    dry = await cohort.run(dry_run={"weights": {"department": 5.0}, "department_preference": "same"})
    assert dry["dry_run"] is True
    assert dry["settings_overrides"] == {"weights": {"department": 5.0}, "department_preference": "same"}
    assert dry["status"] == "completed"
    comparison = ok(await cohort.client.get(f"/api/v1/matching-runs/{dry['id']}/comparison", headers=cohort.staff))
    assert comparison["current"]["run_id"] == current["id"]
    assert comparison["run"]["run_id"] == dry["id"]
    for side, run in (("current", current), ("run", dry)):
        assert comparison[side]["total_score"] == pytest.approx(run["total_score"])
        assert comparison[side]["coverage"] == 1.0
    # The cohort's juniors and seniors are all in different departments: the current run (cross
    # preference) crosses departments; a "same department" preference cannot change that here.
    assert comparison["current"]["cross_department_share"] == 1.0
    refused = await cohort.client.post(
        f"/api/v1/matching-runs/{dry['id']}/publish", headers={**cohort.staff, "If-Match": f'"v{dry["version"]}"'}
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "dry_run_not_publishable"


async def test_a_dry_run_with_impossible_settings_is_refused_before_it_starts(cohort: Cohort) -> None:
    response = await cohort.client.post(
        f"/api/v1/programs/{cohort.program}/matching-runs",
        headers=cohort.staff,
        json={"dry_run": {"weights": {"skills": -1.0}}},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_matching_weight"
    listed = ok(await cohort.client.get(f"/api/v1/programs/{cohort.program}/matching-runs", headers=cohort.staff))
    assert listed["items"] == []


async def test_a_server_restarted_in_the_middle_of_a_solve_completes_the_run_afterwards(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch, container: Any
) -> None:
    import asyncio

    from app.main import create_app
    from app.services import matching_runs
    from app.workers import process
    from app.workers.kinds import matching as matching_kind

    real = matching_kind.in_process
    real_runner = process.build_runner

    def in_this_process(*args: Any, **kwargs: Any) -> Any:
        runner = real_runner(*args, **kwargs)
        runner.isolate = False  # the solve's stall below is this process's
        return runner

    monkeypatch.setattr(process, "build_runner", in_this_process)
    started = asyncio.Event()
    stalling = True

    async def solve(*args: Any, **kwargs: Any) -> Any:
        if stalling:  # the first server stops in the middle of this solve
            started.set()
            await asyncio.sleep(3600)
        return await real(*args, **kwargs)

    monkeypatch.setattr(matching_runs, "INLINE_POOL_LIMIT", 0)
    monkeypatch.setattr(matching_kind, "in_process", solve)
    run = await cohort.run()
    settings = container.settings.model_copy(
        update={"jobs_embedded": True, "jobs_poll_seconds": 0.05, "jobs_shutdown_grace_seconds": 0.1}
    )

    first = create_app(settings)
    async with first.router.lifespan_context(first):
        await asyncio.wait_for(started.wait(), timeout=30)
        mid = ok(await cohort.client.get(f"/api/v1/matching-runs/{run['id']}", headers=cohort.staff))
        assert mid["status"] == "running"
    # stopped: the job was put back, the run is still running (not failed)
    stopped = ok(await cohort.client.get(f"/api/v1/matching-runs/{run['id']}", headers=cohort.staff))
    assert stopped["status"] == "running"

    stalling = False
    second = create_app(settings)
    async with second.router.lifespan_context(second):
        for _ in range(600):
            polled = ok(await cohort.client.get(f"/api/v1/matching-runs/{run['id']}", headers=cohort.staff))
            if polled["status"] != "running":
                break
            await asyncio.sleep(0.05)
    assert (polled["status"], polled["pairs"], polled["progress"]) == ("completed", 3, 1.0)


async def test_the_embedded_server_solves_a_large_pool_in_a_process_of_its_own(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch, container: Any
) -> None:
    import asyncio

    from app.main import create_app
    from app.services import matching_runs

    def not_here(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the solve ran in the server's process")

    monkeypatch.setattr(matching_runs, "INLINE_POOL_LIMIT", 0)
    monkeypatch.setattr(matching_runs, "solve", not_here)
    monkeypatch.setattr(matching_runs, "build_pool", not_here)  # the pool is loaded by the job's process
    run = await cohort.run()
    settings = container.settings.model_copy(update={"jobs_embedded": True, "jobs_poll_seconds": 0.05})
    server = create_app(settings)
    async with server.router.lifespan_context(server):
        for _ in range(1200):
            polled = ok(await cohort.client.get(f"/api/v1/matching-runs/{run['id']}", headers=cohort.staff))
            if polled["status"] not in ("queued", "running"):
                break
            await asyncio.sleep(0.05)
    assert (polled["status"], polled["pairs"], polled["progress"]) == ("completed", 3, 1.0)
