"""Learning goals: owned by the learner, kept by the partner, linked to the program's objectives."""

from __future__ import annotations

from datetime import date, timedelta


async def test_a_goal_links_only_to_its_own_programs_objectives(client, world) -> None:
    await world.setup(
        objectives=[{"metric": "seniors reporting better social-media skills", "target": 70, "unit": "%"}]
    )
    objective_id = world.program["objectives"][0]["id"]
    pair = await world.pair()
    base = f"/api/v1/relationships/{pair.id}/goals"

    linked = await client.post(base, headers=pair.senior.headers, json={"title": "Reels", "objective_id": objective_id})
    assert linked.status_code == 201, linked.text
    assert linked.json()["objective_id"] == objective_id
    foreign = await client.post(
        base, headers=pair.senior.headers, json={"title": "Reels", "objective_id": world.other_program["id"]}
    )
    assert (foreign.status_code, foreign.json()["code"]) == (422, "objective_unknown")


async def test_the_owner_is_the_learner_and_the_partner_keeps_them_accountable(client, world, clock) -> None:
    await world.setup()
    pair = await world.pair()
    base = f"/api/v1/relationships/{pair.id}/goals"
    for_partner = await client.post(
        base,
        headers=pair.junior.headers,
        json={"title": "Lead a strategy review", "owner_id": pair.senior.id, "target_date": "2099-01-31"},
    )
    assert (for_partner.json()["owner_id"], for_partner.json()["partner_id"]) == (pair.senior.id, pair.junior.id)
    past = await client.post(
        base,
        headers=pair.junior.headers,
        json={"title": "Too late", "target_date": str(date.today() - timedelta(days=2))},
    )
    assert (past.status_code, past.json()["code"]) == (422, "target_date_in_past")

    goal = f"/api/v1/goals/{for_partner.json()['id']}"
    revised = await client.patch(
        goal, headers={**pair.senior.headers, "If-Match": for_partner.headers["ETag"]}, json={"title": "Lead two"}
    )
    assert (revised.status_code, revised.json()["title"]) == (200, "Lead two")
    stale = await client.post(goal + "/drop", headers={**pair.senior.headers, "If-Match": for_partner.headers["ETag"]})
    assert stale.status_code == 412
    dropped = await client.post(goal + "/drop", headers=pair.senior.headers)
    assert dropped.json()["status"] == "dropped"
    final = await client.post(goal + "/achieve", headers=pair.senior.headers)
    assert (final.status_code, final.json()["code"]) == (409, "illegal_goal_transition")
    listed = (await client.get(base, headers=world.coordinator.headers)).json()
    assert [g["status"] for g in listed["items"]] == ["dropped"]
    statuses = [p for e, p in await world.outbox() if e == "goal.status_changed"]
    assert [(s["from_status"], s["to_status"]) for s in statuses] == [("open", "dropped")]
    assert all("title" not in p for e, p in await world.outbox() if e.startswith("goal."))


async def test_goals_are_set_in_a_live_relationship(client, world) -> None:
    await world.setup()
    pair = await world.pair(accept=False)
    early = await client.post(
        f"/api/v1/relationships/{pair.id}/goals", headers=pair.junior.headers, json={"title": "X"}
    )
    assert (early.status_code, early.json()["code"]) == (409, "relationship_not_active")


async def test_a_goal_keeps_its_objective_while_the_program_is_edited_and_loses_it_when_removed(client, world) -> None:
    skills = {"metric": "seniors reporting better social-media skills", "target": 70, "unit": "%"}
    retention = {"metric": "participants still here after a year", "target": 90, "unit": "%"}
    await world.setup(objectives=[skills, retention])
    kept, removed = (o["id"] for o in world.program["objectives"])
    pair = await world.pair()
    base = f"/api/v1/relationships/{pair.id}/goals"
    goals = [
        (await client.post(base, headers=pair.senior.headers, json={"title": t, "objective_id": o})).json()["id"]
        for t, o in (("Reels", kept), ("Stay", removed))
    ]
    program = f"/api/v1/programs/{world.program['id']}"
    staff = world.coordinator.headers

    edited = await client.patch(
        program,
        headers=staff,
        json={"name": "Renamed", "objectives": [{**skills, "id": kept, "target": 75}, {**retention, "id": removed}]},
    )
    assert edited.status_code == 200, edited.text
    linked = [(await client.get(f"/api/v1/goals/{g}", headers=staff)).json()["objective_id"] for g in goals]
    assert linked == [kept, removed]

    trimmed = await client.patch(program, headers=staff, json={"objectives": [{**skills, "id": kept, "target": 75}]})
    assert [o["id"] for o in trimmed.json()["objectives"]] == [kept]
    linked = [(await client.get(f"/api/v1/goals/{g}", headers=staff)).json()["objective_id"] for g in goals]
    assert linked == [kept, None]
