"""Program metrics checked against hand-computed values on a seeded program; the statements they
cost do not grow with the program; small groups are withheld."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from app.domain.actors import Role
from app.services import enrollments, pairing, people, relationships
from tests.api.feedback.conftest import participants
from tests.api.mentoring.conftest import Pair, World
from tests.conftest import ADMIN


async def seed(world: World, clock: Any) -> dict[str, Any]:
    """20 participants (10 pairs, the first 5 trained), 6 comparable colleagues (2 of whom leave,
    with one participant, after the cycle started on 2027-01-11)."""
    await world.setup()
    program_id = UUID(world.program["id"])
    people_ = [await world.person("Pat Participant", seniority=2 + 5 * (i % 2), department="Sales") for i in range(20)]
    await world.enrol_all(people_)
    for member in people_[:10]:
        await enrollments.record_training(
            world.container.uow(),
            world.coordinator.actor,
            program_id=program_id,
            enrollment_id=UUID(member.enrollment_id),
            expected_version=None,
        )
    pairs = []
    for junior, senior in zip(people_[::2], people_[1::2], strict=True):
        made = await pairing.create_relationship(
            world.container.uow(),
            world.coordinator.actor,
            program_id=program_id,
            enrollment_ids=(UUID(junior.enrollment_id), UUID(senior.enrollment_id)),
        )
        pair = Pair(str(made.relationship.id), str(program_id), junior, senior)
        await world.accept(pair)
        pairs.append(pair)
    for pair, rating in zip(pairs[:4], (4, 5, 3, 1), strict=True):
        world.ok(
            await world.client.post(
                f"/api/v1/relationships/{pair.id}/check-ins", headers=pair.junior.headers, json={"rating": rating}
            ),
            201,
        )
    world.ok(
        await world.client.post(
            f"/api/v1/relationships/{pairs[0].id}/check-ins", headers=pairs[0].senior.headers, json={"rating": 2}
        ),
        201,
    )
    for pair, verb in zip(pairs[:3], ("achieve", "drop", None), strict=True):
        goal = world.ok(
            await world.client.post(
                f"/api/v1/relationships/{pair.id}/goals", headers=pair.junior.headers, json={"title": "Learn"}
            ),
            201,
        )
        if verb:
            world.ok(await world.client.post(f"/api/v1/goals/{goal['id']}/{verb}", headers=pair.junior.headers))
    for index, pair in enumerate(pairs):
        if index in (0, 1, 2, 3, 5, 6):
            world.ok(await world.client.post(f"/api/v1/relationships/{pair.id}/complete", headers=pair.junior.headers))
        else:
            reason = "mismatch" if index == 4 else "other"
            await relationships.end(
                world.container.uow(),
                world.coordinator.actor,
                relationship_id=UUID(pair.id),
                reason=reason,
                expected_version=None,
            )
    colleagues = [await world.person("Col League", department="Sales") for _ in range(6)]
    clock.current = datetime(2027, 3, 1, tzinfo=UTC)
    for leaver in (colleagues[0], colleagues[1], pairs[0].junior):
        await people.deactivate_person(world.container.uow(), ADMIN, person_id=UUID(leaver.id), expected_version=None)
    return {"pairs": pairs}


async def test_metrics_match_hand_computed_values(world: World, clock: Any) -> None:
    await seed(world, clock)
    url = f"/api/v1/programs/{world.program['id']}/metrics"
    found = world.ok(await world.client.get(url, headers=world.coordinator.headers))
    assert found["funnel"] == {
        "enrolled": 20, "approved": 20, "trained": 10, "matched": 20, "completed": 12, "withdrawn": 0,
    }  # fmt: skip
    assert found["match_rate"] == {"size": 20, "value": 1.0}
    assert found["acceptance_rate"] == {"size": 10, "value": 1.0}
    assert found["outcomes"] == {"completed": 6, "ended_mismatch": 1, "ended_other": 3}
    assert found["completion_rate"] == {"size": 10, "value": 0.6}
    assert found["trained_success"] == {"size": 5, "value": 0.8}
    assert found["untrained_success"] == {"size": 5, "value": 0.4}
    assert (found["checkins_submitted"], found["checkins_missed"], found["checkin_average"]) == (5, 0, 3.0)
    assert found["goals"] == {"achieved": 1, "dropped": 1, "open": 1}
    assert found["goal_achievement"] == {"size": 2, "value": None}  # 2 goals that count: below k
    # 20 participants, 1 left; 6 comparable colleagues of their department, 2 left
    assert found["participant_retention"] == {"size": 20, "value": 0.95}
    assert found["non_participant_retention"] == {"size": 6, "value": 0.667}
    assert [c["count"] for c in found["monthly"]["enrolments"]] == [20]

    exported = await world.client.get(url.replace("/metrics", "/metrics.csv"), headers=world.coordinator.headers)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert ["rates", "trained_success.value", "0.8"] in rows and ["rates", "goal_achievement.value", ""] in rows


async def test_only_staff_committee_and_integrations_read_metrics(world: World, auth: Any) -> None:
    await world.setup()
    url = f"/api/v1/programs/{world.program['id']}/metrics"
    member = (await participants(world, ["Sales", "Sales"]))[0]
    for outsider in (member, world.other_coordinator):
        refused = await world.client.get(url, headers=outsider.headers)
        assert refused.status_code == 403 and refused.json()["code"] == "metrics_forbidden"
    hris = auth("hris@example.com", Role.INTEGRATION, scopes=("reports:read",))
    assert (await world.client.get(url, headers=hris)).status_code == 200
    unscoped = await world.client.get(url, headers=auth("hris@example.com", Role.INTEGRATION))
    assert unscoped.status_code == 403 and unscoped.json()["code"] == "insufficient_scope"
    small = world.ok(await world.client.get(url, headers=world.admin.headers))
    assert small["match_rate"] == {"size": 2, "value": None}  # fewer than k: withheld


async def test_metrics_cost_the_same_statements_for_a_small_and_a_large_program(world: World, sql: Any) -> None:
    await world.setup()
    url = f"/api/v1/programs/{world.program['id']}/metrics"
    await participants(world, ["Sales"] * 2)
    with sql() as small:
        world.ok(await world.client.get(url, headers=world.coordinator.headers))
    await participants(world, ["Sales", "Design"] * 6)
    with sql() as large:
        world.ok(await world.client.get(url, headers=world.coordinator.headers))
    assert len(large.statements) == len(small.statements) <= 16, large.statements


async def test_the_organisation_view_adds_up_every_program_for_admins(world: World, clock: Any, auth: Any) -> None:
    await seed(world, clock)
    newcomers = [await world.person("New Comer", department="Design") for _ in range(4)]
    await world.enrol_all(newcomers, world.other_program)  # the other program: enrolled, not paired
    found = world.ok(await world.client.get("/api/v1/organisation/metrics", headers=world.admin.headers))
    assert found["program_id"] == "organisation"
    assert found["funnel"]["enrolled"] == 24 and found["funnel"]["matched"] == 20
    assert found["trained_success"] == {"size": 5, "value": 0.8}
    assert (
        await world.client.get(
            "/api/v1/organisation/metrics", headers=auth("hris@example.com", Role.INTEGRATION, scopes=("reports:read",))
        )
    ).status_code == 200
    refused = await world.client.get("/api/v1/organisation/metrics", headers=world.coordinator.headers)
    assert refused.status_code == 403 and refused.json()["code"] == "organisation_metrics_forbidden"
