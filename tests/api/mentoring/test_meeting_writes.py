"""Scheduling a meeting writes the new meeting and only the scheduled meetings whose leader the new
one shifts — in one statement however many shift — and never touches their resources."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


async def schedule(world: Any, pair: Any, when: Any, sql: Any) -> Any:
    with sql() as log:
        await world.meeting(pair.id, when, pair.junior)
    return log


async def scheduled_leaders(world: Any, pair: Any) -> list[str]:
    listed = world.ok(await world.client.get(f"/api/v1/relationships/{pair.id}/meetings", headers=pair.junior.headers))
    return [m["planned_leader_id"] for m in sorted(listed["items"], key=lambda m: m["starts_at"])]


async def test_a_meeting_placed_after_the_others_writes_only_itself(client, world, clock, sql) -> None:
    await world.setup(policy="alternate(1)")
    pair = await world.pair()
    start = clock.now() + timedelta(days=1)
    for day in range(4):
        await world.meeting(pair.id, start + timedelta(days=day), pair.senior)
    resource = {"title": "Guide", "url": "https://example.com/guide", "kind": "material"}
    first = (await client.get(f"/api/v1/relationships/{pair.id}/meetings", headers=pair.junior.headers)).json()
    added = await client.post(f"/api/v1/meetings/{first['items'][0]['id']}/resources", headers=pair.senior.headers,
                              json=resource)  # fmt: skip
    assert added.status_code == 201, added.text
    before = await scheduled_leaders(world, pair)

    log = await schedule(world, pair, start + timedelta(days=10), sql)
    assert log.table_writes("meetings") == [("INSERT", 1)]
    assert log.table_writes("meeting_resources") == log.table_writes("relationships") == []
    assert (await scheduled_leaders(world, pair))[:4] == before


async def test_a_meeting_placed_first_rewrites_the_leaders_it_shifts_in_one_statement(
    client, world, clock, sql
) -> None:
    await world.setup(policy="alternate(1)")
    pair = await world.pair()
    start = clock.now() + timedelta(days=1)
    made = [await world.meeting(pair.id, start + timedelta(days=day), pair.senior) for day in range(5)]
    resource = {"title": "Guide", "url": "https://example.com/guide", "kind": "material"}
    added = await client.post(f"/api/v1/meetings/{made[2]['id']}/resources", headers=pair.senior.headers, json=resource)
    assert added.status_code == 201, added.text
    before = await scheduled_leaders(world, pair)

    log = await schedule(world, pair, start - timedelta(hours=12), sql)
    assert log.table_writes("meetings") == [("INSERT", 1), ("UPDATE", 5)]
    assert log.table_writes("meeting_resources") == [], "a shifted meeting keeps its resources untouched"
    after = await scheduled_leaders(world, pair)
    assert after[1:] == [before[1], before[0], before[1], before[0], before[1]]  # each shifted one turn


async def test_under_a_fixed_policy_an_earlier_meeting_shifts_nobody_and_writes_only_itself(world, clock, sql) -> None:
    await world.setup(policy="fixed")
    pair = await world.pair()
    start = clock.now() + timedelta(days=1)
    for day in range(3):
        await world.meeting(pair.id, start + timedelta(days=day), pair.senior)

    log = await schedule(world, pair, start - timedelta(hours=12), sql)
    assert log.table_writes("meetings") == [("INSERT", 1)]


async def test_the_cost_of_scheduling_does_not_grow_with_the_meetings_it_leaves_alone(world, clock, sql) -> None:
    await world.setup(policy="fixed")
    pair = await world.pair()
    start = clock.now() + timedelta(days=1)
    costs = []
    for day in range(12):
        log = await schedule(world, pair, start + timedelta(days=day), sql)
        costs.append(len(log.statements))
    assert len(set(costs[1:])) == 1, costs
