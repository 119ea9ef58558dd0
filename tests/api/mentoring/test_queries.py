"""Lists and feeds cost a fixed number of SQL statements however many items they show: health,
swaps, resources and progress updates are read for a whole page at once, never item by item."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


async def cost(client: Any, sql: Any, url: str, headers: dict[str, str]) -> int:
    with sql() as seen:
        response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return len(seen.statements)


async def busy(client: Any, world: Any, pair: Any, clock: Any, *, swap: bool = True) -> None:
    """A meeting held with a resource, one scheduled, a goal with progress (and a swap asked for)."""
    held = await world.meeting(pair.id, clock.now() - timedelta(hours=1), pair.junior)
    assert (await client.post(f"/api/v1/meetings/{held['id']}/held", headers=pair.junior.headers)).status_code == 200
    resource = {"title": "Guide", "url": "https://example.com", "kind": "material"}
    added = await client.post(f"/api/v1/meetings/{held['id']}/resources", headers=pair.senior.headers, json=resource)
    assert added.status_code == 201, added.text
    await world.meeting(pair.id, clock.now() + timedelta(days=3), pair.senior)
    if swap:  # one swap request waits at a time
        asked = await client.post(f"/api/v1/relationships/{pair.id}/swaps", headers=pair.junior.headers)
        assert asked.status_code == 201, asked.text
    goal = world.ok(
        await client.post(f"/api/v1/relationships/{pair.id}/goals", headers=pair.senior.headers, json={"title": "X"}),
        201,
    )
    progress = {"note": "half", "percent": 50}
    logged = await client.post(f"/api/v1/goals/{goal['id']}/progress", headers=pair.junior.headers, json=progress)
    assert logged.status_code == 200, logged.text


async def test_lists_and_the_calendar_feed_do_not_grow_with_their_items(client, world, clock, sql) -> None:
    await world.setup()
    pair = await world.pair()
    await busy(client, world, pair, clock)
    feed = (await client.post("/api/v1/me/calendar-feed", headers=pair.junior.headers)).json()["token"]
    coordinator, member = world.coordinator.headers, pair.junior.headers
    reads = [
        ("/api/v1/relationships", coordinator),
        ("/api/v1/relationships?health=on_track", coordinator),
        (f"/api/v1/relationships/{pair.id}/meetings", member),
        (f"/api/v1/relationships/{pair.id}/goals", member),
        (f"/api/v1/relationships/{pair.id}/turns", member),
        (f"/calendar/{feed}.ics", {}),
    ]
    await client.get("/api/v1/relationships", headers=coordinator)  # first sight links the identity
    before = [await cost(client, sql, url, headers) for url, headers in reads]

    for other in await world.pairs(3):
        await busy(client, world, other, clock)
    for _ in range(3):
        await busy(client, world, pair, clock, swap=False)
    listed = (await client.get("/api/v1/relationships", headers=coordinator)).json()["items"]
    assert len(listed) == 4
    after = [await cost(client, sql, url, headers) for url, headers in reads]
    assert after == before, list(zip([url for url, _ in reads], before, after, strict=True))
