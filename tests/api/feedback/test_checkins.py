"""Check-ins: a member's pulse, read by the coordinators and never by the partner; it feeds health."""

from __future__ import annotations

from typing import Any

from tests.api.mentoring.conftest import World


async def test_a_member_checks_in_and_only_the_coordinators_read_it(world: World) -> None:
    await world.setup()
    pair = await world.pair()
    body = {"rating": 4, "going_well": "We meet every fortnight.", "not_going_well": "Too little time."}
    response = await world.client.post(
        f"/api/v1/relationships/{pair.id}/check-ins", headers=pair.junior.headers, json=body
    )
    created = world.ok(response, 201)
    assert created["status"] == "submitted" and created["rating"] == 4 and created["person_id"] == pair.junior.id
    assert created["due_at"] is None  # unprompted

    one = f"/api/v1/check-ins/{created['id']}"
    assert world.ok(await world.client.get(one, headers=world.coordinator.headers))["going_well"] == body["going_well"]
    assert world.ok(await world.client.get(one, headers=world.admin.headers))["rating"] == 4
    assert world.ok(await world.client.get(one, headers=pair.junior.headers))["id"] == created["id"]
    for outsider in (pair.senior, world.other_coordinator):
        refused = await world.client.get(one, headers=outsider.headers)
        assert refused.status_code == 404 and refused.json()["code"] == "checkin_not_found"
    listed = world.ok(await world.client.get("/api/v1/check-ins", headers=pair.senior.headers))
    assert listed["items"] == []
    listed = world.ok(
        await world.client.get(f"/api/v1/check-ins?relationship_id={pair.id}", headers=world.coordinator.headers)
    )
    assert [c["id"] for c in listed["items"]] == [created["id"]]
    ids = {"relationship_id": pair.id, "program_id": pair.program_id}
    announced = {**ids, "checkin_id": created["id"], "person_id": pair.junior.id}
    assert ("checkin.submitted", announced) in await world.outbox()


async def test_only_members_check_in_with_a_rating_of_one_to_five(world: World) -> None:
    await world.setup()
    pair = await world.pair()
    url = f"/api/v1/relationships/{pair.id}/check-ins"
    refused = await world.client.post(url, headers=world.coordinator.headers, json={"rating": 3})
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_member"
    for rating in (0, 6):
        refused = await world.client.post(url, headers=pair.junior.headers, json={"rating": rating})
        assert refused.status_code == 422 and refused.json()["code"] == "checkin_rating_out_of_range"
    stranger = await world.person("Stan Ger")
    refused = await world.client.post(url, headers=stranger.headers, json={"rating": 3})
    assert refused.status_code == 404


async def test_low_ratings_put_the_pair_at_risk(world: World) -> None:
    await world.setup()
    pair = await world.pair()
    url = f"/api/v1/relationships/{pair.id}/check-ins"
    before: dict[str, Any] = world.ok(
        await world.client.get(f"/api/v1/relationships/{pair.id}", headers=pair.junior.headers)
    )
    assert before["health"]["status"] == "on_track"
    world.ok(await world.client.post(url, headers=pair.junior.headers, json={"rating": 1}), 201)
    world.ok(await world.client.post(url, headers=pair.senior.headers, json={"rating": 2}), 201)
    after = world.ok(await world.client.get(f"/api/v1/relationships/{pair.id}", headers=pair.junior.headers))
    assert (after["health"]["status"], after["health"]["reason"]) == ("at_risk", "low_checkins")
    assert (
        "relationship.at_risk",
        {"relationship_id": pair.id, "program_id": pair.program_id, "health": "at_risk"},
    ) in (await world.outbox())
