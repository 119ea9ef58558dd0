"""No N+1: a nested query costs the same number of SQL statements however many items it shows.
Nested fields read through per-request DataLoaders over the read side's batch reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

PROGRAM_SCREEN = """
{ programs(first: 2) { nodes { id name
    relationships(first: 60) { nodes { id status health { status daysSinceLast }
      members { displayName department } partner { displayName }
      turns { next { leaderId reason } balance { imbalance } }
      meetings(last: 3) { id startsAt status leader { displayName } resources { title } }
      goals { id title latestPercent owner { displayName } }
      program { name cadenceDays } } pageInfo { hasNextPage } } } } }
"""

MY_RELATIONSHIP = """
query($id: UUID!) { relationship(id: $id) { id status version
  partner { displayName jobTitle }
  turns { next { leaderId reason } planned { leaderId startsAt } }
  meetings(last: 5) { id startsAt status agenda leader { displayName } }
  goals { id title status latestPercent owner { displayName } }
  health { status } } }
"""


async def furnish(client: Any, world: Any, pair: Any, clock: Any) -> None:
    """A held meeting with a resource, a scheduled one, and a goal with progress."""
    held = await world.meeting(pair.id, clock.now() - timedelta(hours=1), pair.junior)
    world.ok(await client.post(f"/api/v1/meetings/{held['id']}/held", headers=pair.junior.headers))
    resource = {"title": "Guide", "url": "https://example.com", "kind": "material"}
    world.ok(
        await client.post(f"/api/v1/meetings/{held['id']}/resources", headers=pair.senior.headers, json=resource), 201
    )
    await world.meeting(pair.id, clock.now() + timedelta(days=2), pair.senior)
    goal = world.ok(
        await client.post(f"/api/v1/relationships/{pair.id}/goals", headers=pair.senior.headers, json={"title": "X"}),
        201,
    )
    world.ok(
        await client.post(f"/api/v1/goals/{goal['id']}/progress", headers=pair.junior.headers, json={"percent": 10})
    )


async def statements(gql: Any, sql: Any, query: str, headers: dict[str, str], **variables: Any) -> tuple[int, Any]:
    await gql(query, headers, **variables)  # warm: identity links and caches of the first sight
    with sql() as seen:
        data = await gql(query, headers, **variables)
    return len(seen.statements), data


async def test_programs_relationships_meetings_and_goals_cost_the_same_for_5_and_50_pairs(
    client, world, clock, gql, sql
) -> None:
    await world.setup()
    for pair in await world.pairs(5):
        await furnish(client, world, pair, clock)
    few, data = await statements(gql, sql, PROGRAM_SCREEN, world.coordinator.headers)
    shown = next(p for p in data["programs"]["nodes"] if p["id"] == world.program["id"])
    assert len(shown["relationships"]["nodes"]) == 5

    for pair in await world.pairs(45):
        await furnish(client, world, pair, clock)
    many, data = await statements(gql, sql, PROGRAM_SCREEN, world.coordinator.headers)
    shown = next(p for p in data["programs"]["nodes"] if p["id"] == world.program["id"])
    assert len(shown["relationships"]["nodes"]) == 50
    assert all(len(r["meetings"]) == 2 and len(r["goals"]) == 1 for r in shown["relationships"]["nodes"])
    assert many == few, (few, many)


async def test_the_my_relationship_screen_costs_the_same_with_more_meetings(client, world, clock, gql, sql) -> None:
    await world.setup()
    pair = await world.pair()
    await furnish(client, world, pair, clock)
    few, _ = await statements(gql, sql, MY_RELATIONSHIP, pair.junior.headers, id=pair.id)
    for _ in range(4):
        await furnish(client, world, pair, clock)
    many, data = await statements(gql, sql, MY_RELATIONSHIP, pair.junior.headers, id=pair.id)
    assert len(data["relationship"]["goals"]) == 5
    assert many == few, (few, many)


async def test_a_query_takes_no_write_lock_and_one_transaction(client, world, gql, sql) -> None:
    await world.setup()
    pair = await world.pair()
    await gql(MY_RELATIONSHIP, pair.junior.headers, id=pair.id)
    with sql() as seen:
        await gql(MY_RELATIONSHIP, pair.junior.headers, id=pair.id)
    assert seen.transactions == 1
    assert not [s for s in seen.statements if "IMMEDIATE" in s.upper()]
    assert seen.writes == []
