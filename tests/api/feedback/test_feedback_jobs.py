"""Feedback over time, run by the job runner at the test's time: check-ins fall due after the third
meeting and then every 60 days, missed ones put the pair at risk; a survey opens and closes on time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.services.checkins import CHECKIN_SWEEP_JOB
from app.services.surveys import SCHEDULE_JOB
from tests.api.feedback.conftest import participants
from tests.api.feedback.test_survey_anonymity import QUESTIONS
from tests.api.mentoring.conftest import World


@pytest.fixture(autouse=True)
def _outbox_kept(container: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests span months and count events in the outbox: the hourly housekeeping would trim the
    rows the webhook fan-out has dispatched once they are 30 days old (TURNABOUT_OUTBOX_RETENTION_DAYS)."""
    monkeypatch.setattr(container.settings, "outbox_retention_days", 3650)


def checkin_events(outbox: list[tuple[str, dict]], kind: str) -> list[str]:
    return [payload["person_id"] for event, payload in outbox if event == kind]


async def test_check_ins_fall_due_after_meeting_three_then_every_sixty_days(world: World, clock, run_jobs) -> None:
    await world.setup(cadence_days=14)
    pair = await world.pair()
    start = clock.now()
    for day in (1, 8, 15):
        clock.set(start + timedelta(days=day))
        meeting = await world.meeting(pair.id, clock.now() - timedelta(hours=1), pair.junior)
        assert (
            await world.client.post(f"/api/v1/meetings/{meeting['id']}/held", headers=pair.junior.headers)
        ).status_code == 200
        if day == 8:
            swept = await run_jobs(at=clock.now() + timedelta(hours=1))
            assert CHECKIN_SWEEP_JOB in {s.kind for s in swept}
            assert checkin_events(await world.outbox(), "checkin.due") == []  # two meetings: not yet
    await run_jobs(at=start + timedelta(days=15, hours=2))
    assert sorted(checkin_events(await world.outbox(), "checkin.due")) == sorted([pair.junior.id, pair.senior.id])
    due = world.ok(await world.client.get(f"/api/v1/check-ins?relationship_id={pair.id}", headers=pair.junior.headers))
    assert [(c["status"], c["person_id"]) for c in due["items"]] == [("due", pair.junior.id)]

    # the junior answers; the senior lets theirs lapse: missed after 14 days
    clock.set(start + timedelta(days=16))
    answered = world.ok(
        await world.client.post(
            f"/api/v1/relationships/{pair.id}/check-ins", headers=pair.junior.headers, json={"rating": 5}
        ),
        201,
    )
    assert answered["id"] == due["items"][0]["id"] and answered["due_at"] is not None
    await run_jobs(at=start + timedelta(days=30, hours=3))
    assert checkin_events(await world.outbox(), "checkin.missed") == [pair.senior.id]

    # 60 days after the first: due again for both; the senior misses a second time → at risk
    for day in (22, 29, 36, 43, 50, 57, 64, 71):  # the pair keeps meeting on cadence
        clock.set(start + timedelta(days=day))
        meeting = await world.meeting(pair.id, clock.now() - timedelta(hours=1), pair.junior)
        await world.client.post(f"/api/v1/meetings/{meeting['id']}/held", headers=pair.junior.headers)
    await run_jobs(at=start + timedelta(days=75, hours=4))
    assert len(checkin_events(await world.outbox(), "checkin.due")) == 4
    await run_jobs(at=start + timedelta(days=76, hours=5))
    read = world.ok(await world.client.get(f"/api/v1/relationships/{pair.id}", headers=pair.junior.headers))
    assert read["health"]["status"] == "on_track"  # the senior missed once: not yet
    clock.set(start + timedelta(days=78))
    meeting = await world.meeting(pair.id, clock.now() - timedelta(hours=1), pair.junior)
    await world.client.post(f"/api/v1/meetings/{meeting['id']}/held", headers=pair.junior.headers)
    await run_jobs(at=start + timedelta(days=90, hours=6))
    read = world.ok(await world.client.get(f"/api/v1/relationships/{pair.id}", headers=world.coordinator.headers))
    assert (read["health"]["status"], read["health"]["reason"]) == ("at_risk", "missed_checkins")
    assert "relationship.at_risk" in [event for event, _ in await world.outbox()]


async def test_a_survey_opens_and_closes_on_schedule(world: World, clock, run_jobs) -> None:
    await world.setup()
    people = await participants(world, ["Sales"] * 6)
    now = clock.now()
    body = {
        "title": "End of cycle",
        "questions": QUESTIONS,
        "opens_at": (now + timedelta(days=2)).isoformat(),
        "closes_at": (now + timedelta(days=16)).isoformat(),
    }
    survey = world.ok(
        await world.client.post(
            f"/api/v1/programs/{world.program['id']}/surveys", headers=world.coordinator.headers, json=body
        ),
        201,
    )
    run_jobs.periodic = False
    assert await run_jobs(at=now + timedelta(days=1)) == []
    moved = await run_jobs(at=now + timedelta(days=2, minutes=1))
    assert [s.kind for s in moved] == [SCHEDULE_JOB]
    one = f"/api/v1/surveys/{survey['id']}"
    assert world.ok(await world.client.get(one, headers=world.coordinator.headers))["status"] == "open"
    clock.set(now + timedelta(days=3))
    for person in people[:6]:
        answered = await world.client.post(one + "/responses", headers=person.headers, json={"answers": {"growth": 4}})
        assert answered.status_code == 202
    await run_jobs(at=now + timedelta(days=16, minutes=1))
    assert world.ok(await world.client.get(one, headers=world.coordinator.headers))["status"] == "closed"
    results = world.ok(await world.client.get(one + "/results", headers=world.coordinator.headers))
    assert results["respondents"] == 6


async def test_each_program_sets_when_its_pairs_check_in(world: World, clock, run_jobs) -> None:
    await world.setup(cadence_days=14, checkin_after_meeting=1, checkin_every_days=30)
    assert (world.program["checkin_after_meeting"], world.program["checkin_every_days"]) == (1, 30)
    refused = await world.client.patch(
        f"/api/v1/programs/{world.program['id']}", headers=world.coordinator.headers, json={"checkin_every_days": 3}
    )
    assert refused.status_code == 422 and refused.json()["code"] == "checkin_every_days_out_of_range"
    pair = await world.pair()
    start = clock.now()
    clock.set(start + timedelta(days=1))
    meeting = await world.meeting(pair.id, clock.now() - timedelta(hours=1), pair.junior)
    await world.client.post(f"/api/v1/meetings/{meeting['id']}/held", headers=pair.junior.headers)
    await run_jobs(at=start + timedelta(days=1, hours=2))
    assert len(checkin_events(await world.outbox(), "checkin.due")) == 2  # after the first meeting
    await run_jobs(at=start + timedelta(days=31, hours=3))
    assert len(checkin_events(await world.outbox(), "checkin.due")) == 4  # 30 days later
