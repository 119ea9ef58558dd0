"""A relationship's rhythm through the API: pause, resume, complete, end; retries of creates; and
the contract every mentoring operation keeps in the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta


async def test_completing_cancels_what_was_still_scheduled(client, world, clock) -> None:
    await world.setup()
    pair = await world.pair()
    base = f"/api/v1/relationships/{pair.id}"
    upcoming = await world.meeting(pair.id, clock.now() + timedelta(days=5), pair.junior)
    paused = await client.post(base + "/pause", headers=world.coordinator.headers)
    assert paused.json()["status"] == "paused"
    blocked = await client.post(
        f"{base}/meetings", headers=pair.junior.headers, json={"starts_at": "2031-01-01T10:00Z"}
    )
    assert (blocked.status_code, blocked.json()["code"]) == (409, "relationship_not_active")
    assert (await client.post(base + "/resume", headers=pair.senior.headers)).json()["status"] == "active"
    done = await client.post(base + "/complete", headers=pair.senior.headers)
    assert (done.json()["status"], done.json()["health"]["status"]) == ("completed", "not_judged")
    meeting = (await client.get(f"/api/v1/meetings/{upcoming['id']}", headers=pair.junior.headers)).json()
    assert meeting["status"] == "cancelled"
    again = await client.post(base + "/pause", headers=pair.senior.headers)
    assert (again.status_code, again.json()["code"]) == (409, "illegal_relationship_transition")
    events = [e for e, _ in await world.outbox() if e.startswith(("relationship.", "meeting."))]
    assert events[-5:] == [
        "meeting.scheduled",
        "relationship.paused",
        "relationship.resumed",
        "relationship.completed",
        "meeting.cancelled",
    ]


async def test_an_early_end_needs_a_reason_members_may_not_give(client, world, clock) -> None:
    await world.setup()
    pair = await world.pair()
    upcoming = await world.meeting(pair.id, clock.now() + timedelta(days=5), pair.junior)
    url = f"/api/v1/relationships/{pair.id}/end"
    declined = await client.post(url, headers=world.coordinator.headers, json={"reason": "declined"})
    assert declined.status_code == 422
    member = await client.post(url, headers=pair.junior.headers, json={"reason": "mismatch"})
    assert (member.status_code, member.json()["code"]) == (403, "relationship_end_forbidden")
    ended = await client.post(url, headers=world.admin.headers, json={"reason": "other"})
    assert (ended.json()["status"], ended.json()["end_reason"]) == ("ended", "other")
    meeting = (await client.get(f"/api/v1/meetings/{upcoming['id']}", headers=pair.junior.headers)).json()
    assert meeting["status"] == "cancelled"


async def test_a_member_with_another_live_pair_stays_matched_when_one_completes(client, world) -> None:
    await world.setup(max_relationships_per_person=2)
    hub = await world.enrol(await world.person("Hal Hub", seniority=8))
    partners = [await world.enrol(await world.person(f"Pat {n}", seniority=2)) for n in range(2)]
    pairs = [world.ok(await world.propose(partner, hub), 201)["id"] for partner in partners]
    for pair, partner in zip(pairs, partners, strict=True):
        for member in (partner, hub):
            world.ok(await client.post(f"/api/v1/relationships/{pair}/accept", headers=member.headers))

    async def enrollment(member) -> str:
        url = f"/api/v1/programs/{world.program['id']}/enrollments/{member.enrollment_id}"
        return str((await client.get(url, headers=member.headers)).json()["status"])

    done = await client.post(f"/api/v1/relationships/{pairs[0]}/complete", headers=hub.headers)
    assert done.status_code == 200, done.text
    assert (await enrollment(partners[0]), await enrollment(hub)) == ("completed", "matched")
    await client.post(f"/api/v1/relationships/{pairs[1]}/complete", headers=hub.headers)
    assert (await enrollment(partners[1]), await enrollment(hub)) == ("completed", "completed")


async def test_a_retried_pairing_creates_one_relationship(client, world) -> None:
    await world.setup()
    junior = await world.enrol(await world.person("Sam Junior", seniority=2))
    senior = await world.enrol(await world.person("Vera Senior", seniority=7))
    body = {"program_id": world.program["id"], "enrollment_ids": [junior.enrollment_id, senior.enrollment_id]}
    headers = {**world.coordinator.headers, "Idempotency-Key": "pair-sam-vera"}
    first = await client.post("/api/v1/relationships", headers=headers, json=body)
    replay = await client.post("/api/v1/relationships", headers=headers, json=body)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json()["id"] == first.json()["id"]
    assert replay.headers.get("Idempotent-Replayed") == "true"
    listed = await client.get(f"/api/v1/relationships?program_id={world.program['id']}", headers=headers)
    assert len(listed.json()["items"]) == 1


async def test_every_mentoring_operation_documents_its_contract(client) -> None:
    schema = (await client.get("/openapi.json")).json()
    prefixes = ("/api/v1/relationships", "/api/v1/meetings", "/api/v1/goals", "/api/v1/me/calendar-feed", "/calendar")
    operations = [
        (path, method, op)
        for path, item in schema["paths"].items()
        if path.startswith(prefixes)
        for method, op in item.items()
    ]
    assert len(operations) >= 40
    for path, method, op in operations:
        where = f"{method.upper()} {path}"
        assert op.get("summary") and op.get("description"), where
        assert op.get("tags"), where
        assert op.get("operationId"), where
        if not path.startswith("/calendar/"):
            assert "401" in op["responses"], where
        if method in {"patch", "put"} or (method == "post" and "If-Match" in str(op.get("parameters", []))):
            assert "412" in op["responses"], where
        if method == "get" and "{" in path.rsplit("/", 1)[-1] and not path.startswith("/calendar/"):
            assert "ETag" in str(op["responses"]["200"]), where


async def test_relationships_are_listed_by_member_status_and_program(client, world) -> None:
    await world.setup()
    active, proposed = await world.pair(), await world.pair(accept=False)

    async def listed(query: str) -> list[str]:
        found = await client.get(f"/api/v1/relationships?{query}", headers=world.coordinator.headers)
        assert found.status_code == 200, found.text
        return [r["id"] for r in found.json()["items"]]

    assert await listed(f"person_id={active.senior.id}") == [active.id]
    assert await listed("status=proposed") == [proposed.id]
    assert await listed("status=proposed&status=active") == [active.id, proposed.id]
    assert await listed(f"program_id={world.program['id']}&status=completed") == []
    assert await listed(f"program_id={world.other_program['id']}") == []


async def test_the_members_rewrite_their_agreement_field_by_field(client, world) -> None:
    await world.setup()
    pair = await world.pair()
    url = f"/api/v1/relationships/{pair.id}/agreement"
    terms = {"shared_goals": ["AI tools"], "boundaries": "Never on Fridays", "channels": ["video"]}
    first = await client.patch(url, headers=pair.junior.headers, json=terms)
    assert first.status_code == 200, first.text
    second = await client.patch(url, headers=pair.senior.headers, json={"cadence_days": 7})
    assert second.json()["agreement"] == {**terms, "cadence_days": 7}  # fields left out keep their value
    updates = [payload for event, payload in await world.outbox() if event == "relationship.agreement_updated"]
    assert [(u["person_id"], u["cadence_days"]) for u in updates] == [(pair.junior.id, 14), (pair.senior.id, 7)]
    assert "Fridays" not in str(updates)
