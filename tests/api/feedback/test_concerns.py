"""Confidential concerns: the raiser and the program's coordinators only; the rematch flow."""

from __future__ import annotations

from tests.api.mentoring.conftest import World


async def test_a_concern_is_read_by_the_raiser_and_the_programs_coordinators_only(world: World) -> None:
    await world.setup()
    pair = await world.pair()
    body = {"program_id": pair.program_id, "relationship_id": pair.id, "kind": "conduct", "text": "Sharp remarks."}
    concern = world.ok(await world.client.post("/api/v1/concerns", headers=pair.junior.headers, json=body), 201)
    assert (concern["status"], concern["raised_by"], concern["rematch_requested"]) == ("open", pair.junior.id, False)
    one = f"/api/v1/concerns/{concern['id']}"
    for reader in (pair.junior, world.coordinator):
        assert world.ok(await world.client.get(one, headers=reader.headers))["text"] == "Sharp remarks."
    for outsider in (pair.senior, world.other_coordinator, world.admin):
        refused = await world.client.get(one, headers=outsider.headers)
        assert refused.status_code == 404 and refused.json()["code"] == "concern_not_found"
        listed = world.ok(await world.client.get("/api/v1/concerns", headers=outsider.headers))
        assert listed["items"] == []
    events = [(e, p) for e, p in await world.outbox() if e.startswith("concern.")]
    assert events == [("concern.raised", {"program_id": pair.program_id, "concern_id": concern["id"]})]


async def test_a_rematch_request_approved_ends_the_pair_and_returns_both_to_the_pool(world: World) -> None:
    await world.setup()
    pair = await world.pair()
    body = {
        "program_id": pair.program_id,
        "relationship_id": pair.id,
        "kind": "mismatch",
        "text": "We have nothing to teach each other.",
        "rematch": True,
    }
    concern = world.ok(await world.client.post("/api/v1/concerns", headers=pair.senior.headers, json=body), 201)
    close = f"/api/v1/concerns/{concern['id']}/close"
    refused = await world.client.post(close, headers=pair.senior.headers, json={"outcome": "rematch_approved"})
    assert refused.status_code == 403 and refused.json()["code"] == "concern_handle_forbidden"
    wrong = await world.client.post(close, headers=world.coordinator.headers, json={"outcome": "resolved"})
    assert wrong.status_code == 422 and wrong.json()["code"] == "concern_outcome_invalid"
    closed = world.ok(
        await world.client.post(
            close, headers=world.coordinator.headers, json={"outcome": "rematch_approved", "note": "Agreed."}
        )
    )
    assert (closed["status"], closed["outcome"], closed["resolved_by"]) == (
        "closed",
        "rematch_approved",
        world.coordinator.id,
    )
    relationship = world.ok(
        await world.client.get(f"/api/v1/relationships/{pair.id}", headers=world.coordinator.headers)
    )
    assert (relationship["status"], relationship["end_reason"]) == ("ended", "rematch")
    for member in (pair.junior, pair.senior):
        enrollment = world.ok(
            await world.client.get(
                f"/api/v1/programs/{pair.program_id}/enrollments/{member.enrollment_id}", headers=member.headers
            )
        )
        assert enrollment["status"] == "ready"
    # the former partners are never proposed again
    again = await world.propose(pair.junior, pair.senior)
    assert again.status_code == 409, again.text
    twice = await world.client.post(close, headers=world.coordinator.headers, json={"outcome": "rematch_declined"})
    assert twice.status_code == 409 and twice.json()["code"] == "concern_closed"
    events = [(e, p) for e, p in await world.outbox() if e.startswith("concern.")]
    assert events[-1] == (
        "concern.resolved",
        {"program_id": pair.program_id, "concern_id": concern["id"], "outcome": "rematch_approved"},
    )


async def test_a_rematch_request_needs_the_relationship_and_a_member(world: World) -> None:
    await world.setup()
    pair, other = await world.pairs(2)
    body = {"program_id": pair.program_id, "kind": "mismatch", "text": "Please.", "rematch": True}
    refused = await world.client.post("/api/v1/concerns", headers=pair.junior.headers, json=body)
    assert refused.status_code == 422 and refused.json()["code"] == "rematch_needs_relationship"
    refused = await world.client.post(
        "/api/v1/concerns", headers=pair.junior.headers, json={**body, "relationship_id": other.id}
    )
    assert refused.status_code == 404
    stranger = await world.person("Stan Ger")
    refused = await world.client.post("/api/v1/concerns", headers=stranger.headers, json={**body, "rematch": False})
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_participant"
