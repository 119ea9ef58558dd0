"""The hourly health sweep: a pair that stops meeting is announced at risk, then stalled, once each,
though nobody writes; its health is kept; a sweep within the same hour does nothing more."""

from __future__ import annotations

from datetime import timedelta

from app.services.health_sweep import sweep_health


def alarms(outbox: list[tuple[str, dict]], relationship_id: str) -> list[str]:
    return [
        event
        for event, payload in outbox
        if event in {"relationship.at_risk", "relationship.stalled"} and payload["relationship_id"] == relationship_id
    ]


async def test_a_pair_that_stops_meeting_is_announced_by_the_sweep_once_per_change(
    client, world, clock, run_jobs
) -> None:
    await world.setup(cadence_days=14)
    quiet = await world.pair()
    busy = await world.pair()
    start = clock.now()

    swept = await run_jobs(at=start + timedelta(days=1))
    assert "relationships.health_sweep" in {s.kind for s in swept}
    assert alarms(await world.outbox(), quiet.id) == []

    # 25 days without a meeting (cadence 14): overdue. The busy pair met on day 20.
    clock.set(start + timedelta(days=20))
    meeting = await world.meeting(busy.id, clock.now() - timedelta(hours=1), busy.junior)
    assert (await client.post(f"/api/v1/meetings/{meeting['id']}/held", headers=busy.junior.headers)).status_code == 200
    await run_jobs(at=start + timedelta(days=25))
    assert alarms(await world.outbox(), quiet.id) == ["relationship.at_risk"]
    assert alarms(await world.outbox(), busy.id) == []
    read = (await client.get(f"/api/v1/relationships/{quiet.id}", headers=quiet.junior.headers)).json()
    assert read["health"]["status"] == "at_risk"

    # The next hours' sweeps: still at risk, not announced again.
    for hours in (1, 2, 30):
        await run_jobs(at=start + timedelta(days=25, hours=hours))
    assert alarms(await world.outbox(), quiet.id) == ["relationship.at_risk"]

    # 29 days without a meeting: stalled, once.
    await run_jobs(at=start + timedelta(days=29))
    await run_jobs(at=start + timedelta(days=29, hours=1))
    assert alarms(await world.outbox(), quiet.id) == ["relationship.at_risk", "relationship.stalled"]


async def test_the_sweep_fires_once_per_hour_and_walks_every_page(world, clock, run_jobs) -> None:
    await world.setup(cadence_days=7)
    pairs = await world.pairs(5)
    start = clock.now().replace(minute=0, second=0)
    first = await run_jobs(at=start + timedelta(minutes=5))
    again = await run_jobs(at=start + timedelta(minutes=55))
    sweeps = [s for s in again if s.kind == "relationships.health_sweep"]  # other features' beats may fire
    assert "relationships.health_sweep" in {s.kind for s in first} and sweeps == []
    run_jobs.clock.set(start + timedelta(days=12))
    result = await sweep_health(run_jobs.uow, page_size=2)  # three pages
    assert (result.judged, result.changed) == (5, 5)
    outbox = await world.outbox()
    assert all(alarms(outbox, pair.id) == ["relationship.at_risk"] for pair in pairs)
