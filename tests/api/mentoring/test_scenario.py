"""The issue's acceptance scenario, end to end through the API: a reciprocal program, two
enrollments, a coordinator's pair, both accept, six meetings under ``alternate(1)``, goals, done."""

from __future__ import annotations

from datetime import timedelta


async def test_a_reciprocal_pair_takes_turns_sets_goals_and_completes(client, world, clock) -> None:
    await world.setup(policy="alternate(1)")
    outbox_before = len(await world.outbox())
    junior = await world.enrol(await world.person("Sam Junior", seniority=2))
    senior = await world.enrol(await world.person("Vera Senior", seniority=7))

    created = await world.propose(junior, senior)
    assert created.status_code == 201, created.text
    relationship = created.json()
    assert relationship["status"] == "proposed"
    assert relationship["designated_mentor_id"] == senior.id  # reciprocal: the senior role-models first
    assert relationship["effective_policy"] == "alternate(1)"
    base = f"/api/v1/relationships/{relationship['id']}"

    for member in (junior, senior):
        accepted = await client.post(base + "/accept", headers=member.headers)
        assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "active"

    # six meetings, scheduled a week apart in the recent past, then held in order
    start = clock.now() - timedelta(days=43)
    meetings = [await world.meeting(relationship["id"], start + timedelta(days=7 * i), junior) for i in range(6)]
    planned = [m["planned_leader_id"] for m in meetings]
    assert planned == [senior.id, junior.id] * 3
    turns = (await client.get(base + "/turns", headers=senior.headers)).json()
    assert [p["leader_id"] for p in turns["planned"]] == planned
    assert turns["next"]["leader_id"] == senior.id
    assert turns["next"]["reason_code"] == "alternate_every_n"

    for index, meeting in enumerate(meetings):
        by = senior if index % 2 else junior
        held = await client.post(f"/api/v1/meetings/{meeting['id']}/held", headers=by.headers)
        assert held.status_code == 200, held.text
        assert held.json()["led_by"] == planned[index]

    turns = (await client.get(base + "/turns", headers=junior.headers)).json()
    assert turns["held_turns"] == 6
    assert {m["person_id"]: m["led"] for m in turns["balance"]["members"]} == {junior.id: 3, senior.id: 3}
    assert turns["balance"]["drift_count"] == 0
    assert [line["actual_leader_id"] for line in turns["ledger"]] == planned

    # goals, set together: one each way
    goal = world.ok(
        await client.post(
            base + "/goals",
            headers=senior.headers,
            json={"title": "Post weekly on the company network", "success_criteria": "Four posts with replies"},
        ),
        201,
    )
    assert (goal["owner_id"], goal["partner_id"], goal["status"]) == (senior.id, junior.id, "open")
    progressed = world.ok(
        await client.post(
            f"/api/v1/goals/{goal['id']}/progress", headers=junior.headers, json={"note": "Two posts", "percent": 50}
        )
    )
    assert (progressed["status"], progressed["latest_percent"]) == ("in_progress", 50)
    achieved = world.ok(await client.post(f"/api/v1/goals/{goal['id']}/achieve", headers=senior.headers))
    assert achieved["status"] == "achieved"

    completed = world.ok(await client.post(base + "/complete", headers=junior.headers))
    assert completed["status"] == "completed"
    enrollment = world.ok(
        await client.get(
            f"/api/v1/programs/{world.program['id']}/enrollments/{junior.enrollment_id}", headers=junior.headers
        )
    )
    assert enrollment["status"] == "completed"

    mentoring = [
        event
        for event, _ in (await world.outbox())[outbox_before:]
        if event.split(".")[0] in {"relationship", "turn", "meeting", "goal"}
    ]
    assert mentoring == [
        "relationship.proposed",
        "relationship.accepted",
        "relationship.accepted",
        "relationship.activated",
        *["meeting.scheduled"] * 6,
        *["meeting.held"] * 6,
        "goal.created",
        "goal.status_changed",
        "goal.achieved",
        "relationship.completed",
    ]
