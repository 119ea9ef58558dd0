"""A bound is one domain rule with one code: the REST door answers a value out of range with the
rule's own code (the code GraphQL and the CLI get from the same domain check), and the OpenAPI
document states the very bound the domain enforces."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.domain.bounds import Bound
from app.domain.goals import PROGRESS_PERCENT
from app.domain.meetings import DURATION_MINUTES
from app.domain.people import SENIORITY
from app.domain.programs import CADENCE_DAYS, PILOT_CAPACITY, RELATIONSHIPS_PER_PERSON


def refused(response: Any, code: str, path: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert (body["code"], [e["path"] for e in body["errors"]]) == (code, [path])


async def test_out_of_range_numbers_get_the_domain_rule_s_code(client, world, clock) -> None:
    await world.setup()
    pair = await world.pair()
    meetings = f"/api/v1/relationships/{pair.id}/meetings"
    when = (clock.now() + timedelta(days=1)).isoformat()
    for minutes in (DURATION_MINUTES.minimum - 1, DURATION_MINUTES.maximum + 1):  # type: ignore[operator]
        body = {"starts_at": when, "duration_minutes": minutes}
        scheduled = await client.post(meetings, headers=pair.junior.headers, json=body)
        refused(scheduled, "duration_out_of_range", "duration_minutes")
    meeting = await world.meeting(pair.id, clock.now() + timedelta(days=1), pair.junior)
    moved = await client.patch(f"/api/v1/meetings/{meeting['id']}", headers=pair.junior.headers,
                               json={"duration_minutes": 481})  # fmt: skip
    refused(moved, "duration_out_of_range", "duration_minutes")

    agreement = await client.patch(
        f"/api/v1/relationships/{pair.id}/agreement", headers=pair.senior.headers, json={"cadence_days": 0}
    )
    refused(agreement, "cadence_out_of_range", "cadence_days")

    goal = world.ok(
        await client.post(f"/api/v1/relationships/{pair.id}/goals", headers=pair.senior.headers, json={"title": "X"}),
        201,
    )
    progress = await client.post(
        f"/api/v1/goals/{goal['id']}/progress", headers=pair.senior.headers, json={"percent": 101}
    )
    refused(progress, "progress_percent_out_of_range", "percent")

    program = f"/api/v1/programs/{world.program['id']}"
    staff = world.coordinator.headers
    refused(await client.patch(program, headers=staff, json={"pilot_capacity": 100_001}),
            "pilot_capacity_out_of_range", "pilot_capacity")  # fmt: skip
    refused(await client.patch(program, headers=staff, json={"max_relationships_per_person": 11}),
            "relationships_per_person_out_of_range", "max_relationships_per_person")  # fmt: skip

    admin = world.admin.headers
    person = await client.patch(f"/api/v1/people/{pair.junior.id}", headers=admin, json={"seniority": 101})
    refused(person, "seniority_out_of_range", "seniority")
    hris = await client.put("/api/v1/people", headers=admin, json={"people": [
        {"external_id": "E-1", "email": "e1@example.com", "given_name": "E", "family_name": "One", "seniority": -1},
    ]})  # fmt: skip
    refused(hris, "upsert_rejected", "people[0].seniority")


@pytest.mark.parametrize(
    "attributes",
    [
        {f"a{n}": "x" for n in range(21)},
        {"n" * 61: "x"},
        {"pronouns": "v" * 201},
    ],
)
async def test_self_identified_attributes_are_limited_by_one_rule(client, world, attributes) -> None:
    await world.setup()
    member = await world.person("Sam Junior")
    stated = await client.patch("/api/v1/me/consent", headers=member.headers, json={"attributes": attributes})
    refused(stated, "attributes_too_large", "attributes")


async def test_the_api_description_states_the_domain_s_bounds(client) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]

    def documented(schema: str, field: str) -> tuple[Any, Any]:
        prop = schemas[schema]["properties"][field]
        number = next((p for p in prop.get("anyOf", [prop]) if p.get("type") == "integer"), prop)
        return number.get("minimum"), number.get("maximum")

    def bounds(bound: Bound) -> tuple[Any, Any]:
        return bound.minimum, bound.maximum

    assert documented("MeetingCreate", "duration_minutes") == bounds(DURATION_MINUTES)
    assert documented("MeetingUpdate", "duration_minutes") == bounds(DURATION_MINUTES)
    assert documented("AgreementUpdate", "cadence_days") == bounds(CADENCE_DAYS)
    assert documented("ProgramCreate", "cadence_days") == bounds(CADENCE_DAYS)
    assert documented("ProgramUpdate", "pilot_capacity") == bounds(PILOT_CAPACITY)
    assert documented("ProgramCreate", "max_relationships_per_person") == bounds(RELATIONSHIPS_PER_PERSON)
    assert documented("ProgressIn", "percent") == bounds(PROGRESS_PERCENT)
    assert documented("PersonCreate", "seniority") == bounds(SENIORITY)
