"""Publishing a matching run costs a number of SQL statements that does not grow with its pairs:
the enrollments, people, reporting chains and live pairs are read once for the whole run, and the
relationships and enrollment changes are written in one statement per table."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx

from app.domain.enrollments import Enrollment, Profile, RolePreference
from app.domain.matching import solve
from app.domain.matching_runs import MatchingRun
from app.domain.pairing import candidate
from app.domain.people import Person
from app.domain.programs import ProgramKind

API = "/api/v1"


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def completed_run(client: httpx.AsyncClient, container: Any, staff: dict[str, str], people: int) -> str:
    """A reciprocal program in ``matching`` with ``people`` ready enrollments and a completed run
    pairing all of them (solved by the engine, as a run would)."""
    program = ok(
        await client.post(
            f"{API}/programs",
            headers=staff,
            json={"kind": "reciprocal", "name": "Exchange", "cycle_start": "2027-01-11", "cycle_end": "2027-06-30"},
        ),
        201,
    )
    program_id = UUID(program["id"])
    move = f"{API}/programs/{program_id}/transitions"
    ok(await client.post(move, headers=staff, json={"to": "enrolling"}))
    async with container.uow() as uow:
        now = uow.clock.now()
        cast = []
        for n in range(people):
            person = Person(
                id=uow.ids.new_id(),
                email=f"cost.{people}.{n}@example.com",
                given_name="Cost",
                family_name=str(n),
                department=("Sales", "Finance", "Legal")[n % 3],
                seniority=1 + n % 7,
                created_at=now,
                updated_at=now,
            )
            enrollment = Enrollment.apply(
                enrollment_id=uow.ids.new_id(),
                program_id=program_id,
                kind=ProgramKind.RECIPROCAL,
                person_id=person.id,
                profile=Profile(role_preference=RolePreference.BOTH, interests=["cycling"]),
                now=now,
            )
            enrollment.approve(training_required=False, admitted_count=n, pilot_capacity=None, now=now)
            uow.people.add(person)
            uow.enrollments.add(enrollment)
            cast.append(candidate(enrollment, person, {}, 2))
        await uow.commit()
    ok(await client.post(move, headers=staff, json={"to": "matching"}))
    async with container.uow() as uow:
        program_now = await uow.programs.get(program_id)
        assert program_now is not None
        now = uow.clock.now()
        run = MatchingRun(id=uow.ids.new_id(), program_id=program_id, started_by=None, created_at=now)
        run.start(pool_size=people, now=now)
        uow.matching_runs.add(run)
        settings = program_now.matching_settings()
        await uow.commit()
    result = solve(cast, settings)
    assert len(result.pairs) == people // 2
    async with container.uow() as uow:
        await uow.matching_runs.save_result(run.id, result.pairs, result.unmatched, uow.ids.new_id)
        running = await uow.matching_runs.get(run.id)
        assert running is not None
        running.complete(result, now=uow.clock.now())
        await uow.commit()
    return str(run.id)


async def publish_cost(client: httpx.AsyncClient, container: Any, sql: Any, staff: dict[str, str], pairs: int) -> int:
    run_id = await completed_run(client, container, staff, 2 * pairs)
    with sql() as log:
        published = ok(await client.post(f"{API}/matching-runs/{run_id}/publish", headers=staff))
    assert published["status"] == "published"
    assert log.rows_written("INSERT", "relationships") == pairs
    assert log.rows_written("UPDATE", "enrollments") == 2 * pairs
    return len(log.statements)


async def test_publishing_30_pairs_costs_as_many_statements_as_publishing_3(client, container, sql, org, auth) -> None:
    from app.domain.actors import Role

    await org.person("Hana Coordinator", department="People", seniority=7)
    staff = auth(org.email("Hana Coordinator"), Role.COORDINATOR)
    small = await publish_cost(client, container, sql, staff, 3)
    large = await publish_cost(client, container, sql, staff, 30)
    assert large == small
    assert small <= 20, f"{small} statements to publish a run"
