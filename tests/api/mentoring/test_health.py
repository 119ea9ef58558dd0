"""Relationship health from meetings held against the cadence: shown on reads, filterable so
coordinators see who needs help, and announced once when a pair slides into trouble."""

from __future__ import annotations

from datetime import timedelta


async def hold(client, world, pair, when) -> None:
    meeting = await world.meeting(pair.id, when, pair.junior)
    held = await client.post(f"/api/v1/meetings/{meeting['id']}/held", headers=pair.junior.headers)
    assert held.status_code == 200, held.text


async def test_coordinators_filter_the_pairs_that_need_help(client, world, clock) -> None:
    await world.setup(cadence_days=14)
    quiet = await world.pair()
    busy = await world.pair()
    also_quiet = await world.pair()
    fresh = (await client.get(f"/api/v1/relationships/{quiet.id}", headers=quiet.junior.headers)).json()
    assert (fresh["health"]["status"], fresh["agreement"]["cadence_days"]) == ("on_track", 14)

    clock.advance(days=10)
    await hold(client, world, busy, clock.now() - timedelta(hours=1))
    clock.advance(days=12)  # 22 days in: more than 1.5 cadences without a meeting

    coordinator = world.coordinator.headers
    at_risk = (await client.get("/api/v1/relationships?health=at_risk", headers=coordinator)).json()
    assert {r["id"] for r in at_risk["items"]} == {quiet.id, also_quiet.id}
    assert {r["health"]["reason"] for r in at_risk["items"]} == {"meeting_overdue"}
    on_track = (await client.get("/api/v1/relationships?health=on_track", headers=coordinator)).json()
    assert [r["id"] for r in on_track["items"]] == [busy.id]
    assert on_track["items"][0]["health"]["held_meetings"] == 1

    first = (await client.get("/api/v1/relationships?health=at_risk&limit=1", headers=coordinator)).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = (
        await client.get(
            f"/api/v1/relationships?health=at_risk&limit=1&cursor={first['next_cursor']}", headers=coordinator
        )
    ).json()
    assert [r["id"] for r in first["items"] + second["items"]] == sorted([quiet.id, also_quiet.id])
    assert second["next_cursor"] is None

    # a participant filtering sees only their own
    mine = (await client.get("/api/v1/relationships?health=at_risk", headers=quiet.senior.headers)).json()
    assert [r["id"] for r in mine["items"]] == [quiet.id]


async def test_sliding_into_trouble_is_announced_once_per_change(client, world, clock) -> None:
    await world.setup(cadence_days=14)
    pair = await world.pair()
    clock.advance(days=22)
    missed = await world.meeting(pair.id, clock.now() - timedelta(hours=2), pair.junior)
    await client.post(f"/api/v1/meetings/{missed['id']}/missed", headers=pair.junior.headers)
    again = await world.meeting(pair.id, clock.now() - timedelta(hours=1), pair.junior)
    await client.post(f"/api/v1/meetings/{again['id']}/missed", headers=pair.senior.headers)
    clock.advance(days=10)  # 32 days without a meeting: stalled
    later = await world.meeting(pair.id, clock.now() - timedelta(hours=1), pair.junior)
    await client.post(f"/api/v1/meetings/{later['id']}/missed", headers=pair.junior.headers)

    alarms = [
        (event, payload) for event, payload in await world.outbox() if event.startswith("relationship.at_risk")
    ] + [(event, payload) for event, payload in await world.outbox() if event == "relationship.stalled"]
    assert [(event, a["relationship_id"], a["health"]) for event, a in alarms] == [
        ("relationship.at_risk", pair.id, "at_risk"),
        ("relationship.stalled", pair.id, "stalled"),
    ]

    paused = await client.post(f"/api/v1/relationships/{pair.id}/pause", headers=pair.junior.headers)
    assert paused.json()["health"]["status"] == "not_judged"  # a paused pair is not judged
