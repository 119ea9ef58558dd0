"""Role-turns through the API: projected leaders follow the policy and shift when an earlier
meeting is cancelled; overrides, ready declarations and swaps change who leads next; drift is
reported, never refused; a stale If-Match is refused."""

from __future__ import annotations

from datetime import timedelta


async def leaders(client, pair) -> list[str]:
    listed = await client.get(f"/api/v1/relationships/{pair.id}/meetings?status=scheduled", headers=pair.junior.headers)
    ordered = sorted(listed.json()["items"], key=lambda m: m["starts_at"])
    return [m["planned_leader_id"] for m in ordered]


async def test_cancelling_an_earlier_meeting_shifts_the_leaders_of_the_later_ones(client, world, clock) -> None:
    await world.setup(policy="alternate(1)")
    pair = await world.pair()
    junior, senior = pair.junior.id, pair.senior.id
    first_leader = (await client.get(f"/api/v1/relationships/{pair.id}", headers=pair.junior.headers)).json()[
        "designated_mentor_id"
    ]
    assert first_leader == senior
    week = [await world.meeting(pair.id, clock.now() + timedelta(days=7 * n), pair.junior) for n in (1, 2, 3)]
    assert await leaders(client, pair) == [senior, junior, senior]

    cancelled = await client.post(f"/api/v1/meetings/{week[0]['id']}/cancel", headers=pair.senior.headers)
    assert cancelled.status_code == 200, cancelled.text
    assert await leaders(client, pair) == [senior, junior]  # a cancelled meeting consumes no turn
    turns = (await client.get(f"/api/v1/relationships/{pair.id}/turns", headers=pair.junior.headers)).json()
    assert [(p["meeting_id"], p["leader_id"]) for p in turns["planned"]] == [
        (week[1]["id"], senior),
        (week[2]["id"], junior),
    ]
    assert turns["held_turns"] == 0

    # a meeting placed before the others takes the next turn and shifts them again
    await world.meeting(pair.id, clock.now() + timedelta(days=1), pair.senior)
    assert await leaders(client, pair) == [senior, junior, senior]


async def test_a_missed_meeting_keeps_the_turn_and_drift_is_reported(client, world, clock) -> None:
    await world.setup(policy="alternate(1)")
    pair = await world.pair()
    past = [await world.meeting(pair.id, clock.now() - timedelta(days=n), pair.junior) for n in (3, 2, 1)]
    missed = await client.post(f"/api/v1/meetings/{past[0]['id']}/missed", headers=pair.junior.headers)
    assert missed.json()["status"] == "missed"
    assert past[1]["planned_leader_id"] == pair.junior.id  # before the miss: the second turn
    replanned = await client.get(f"/api/v1/meetings/{past[1]['id']}", headers=pair.junior.headers)
    planned = replanned.json()["planned_leader_id"]
    held = await client.post(
        f"/api/v1/meetings/{past[1]['id']}/held", headers=pair.junior.headers, json={"led_by": pair.junior.id}
    )
    assert held.status_code == 200, held.text
    assert planned == pair.senior.id  # the missed meeting did not consume the senior's turn
    assert (held.json()["led_by"], held.json()["drifted"]) == (pair.junior.id, True)
    turns = (await client.get(f"/api/v1/relationships/{pair.id}/turns", headers=pair.senior.headers)).json()
    assert turns["balance"]["drift_count"] == 1
    assert turns["ledger"][0]["planned_leader_id"] == pair.senior.id
    assert turns["ledger"][0]["actual_leader_id"] == pair.junior.id
    assert turns["next"]["leader_id"] == pair.junior.id  # the plan goes by turn index, drift is not undone

    future = await client.post(f"/api/v1/meetings/{past[2]['id']}/held", headers=pair.junior.headers)
    assert future.status_code == 200
    early = await world.meeting(pair.id, clock.now() + timedelta(days=2), pair.junior)
    not_yet = await client.post(f"/api/v1/meetings/{early['id']}/held", headers=pair.junior.headers)
    assert (not_yet.status_code, not_yet.json()["code"]) == (409, "meeting_in_future")


async def test_a_policy_override_needs_both_members(client, world, clock) -> None:
    await world.setup(policy="fixed")
    pair = await world.pair()
    base = f"/api/v1/relationships/{pair.id}"
    swap = await client.post(base + "/swaps", headers=pair.junior.headers)
    assert (swap.status_code, swap.json()["code"]) == (409, "swap_not_allowed_under_fixed")

    proposed = await client.post(base + "/turn-policy", headers=pair.junior.headers, json={"policy": "alternate(1)"})
    assert proposed.status_code == 201, proposed.text
    assert proposed.json()["policy_proposal"]["policy"] == "alternate(1)"
    assert proposed.json()["effective_policy"] == "fixed"
    own = await client.post(base + "/turn-policy/accept", headers=pair.junior.headers)
    assert (own.status_code, own.json()["code"]) == (403, "own_proposal")
    accepted = await client.post(base + "/turn-policy/accept", headers=pair.senior.headers)
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["effective_policy"] == "alternate(1)"
    # no turn was held yet: the override starts at turn 0 and replaces the program's policy
    assert body["policy_history"] == [{"policy": "alternate(1)", "from_turn": 0}]
    events = [event for event, _ in await world.outbox() if event.startswith("turn.")]
    assert events == ["turn.policy_proposed", "turn.policy_changed"]


async def test_under_senior_first_the_junior_may_step_in_early(client, world, clock) -> None:
    await world.setup(policy="senior_first(3)")
    pair = await world.pair()
    base = f"/api/v1/relationships/{pair.id}"
    meetings = [await world.meeting(pair.id, clock.now() + timedelta(days=7 * n), pair.junior) for n in (1, 2, 3)]
    assert [m["planned_leader_id"] for m in meetings] == [pair.senior.id] * 3
    senior_says = await client.post(base + "/ready", headers=pair.senior.headers)
    assert (senior_says.status_code, senior_says.json()["code"]) == (403, "only_junior_declares_ready")
    ready = await client.post(base + "/ready", headers=pair.junior.headers)
    assert ready.status_code == 200, ready.text
    assert (ready.json()["next"]["leader_id"], ready.json()["next"]["reason_code"]) == (
        pair.junior.id,
        "junior_declared_ready",
    )
    assert await leaders(client, pair) == [pair.junior.id, pair.senior.id, pair.junior.id]


async def test_a_swap_flips_the_next_turn_once_the_partner_accepts(client, world, clock) -> None:
    await world.setup(policy="primary_with_exchange")
    pair = await world.pair()
    base = f"/api/v1/relationships/{pair.id}"
    meetings = [await world.meeting(pair.id, clock.now() + timedelta(days=7 * n), pair.junior) for n in (1, 2)]
    primary = meetings[0]["planned_leader_id"]
    requested = await client.post(base + "/swaps", headers=pair.junior.headers)
    assert requested.status_code == 201, requested.text
    swap_id = requested.json()["swaps"][0]["id"]
    again = await client.post(base + "/swaps", headers=pair.senior.headers)
    assert (again.status_code, again.json()["code"]) == (409, "swap_pending")
    accepted = await client.post(f"{base}/swaps/{swap_id}/accept", headers=pair.senior.headers)
    assert accepted.status_code == 200, accepted.text
    swapped = accepted.json()
    assert swapped["next"]["reason_code"] == "swap_accepted"
    assert swapped["next"]["leader_id"] != primary
    assert await leaders(client, pair) == [swapped["next"]["leader_id"], primary]
    events = [(event, payload) for event, payload in await world.outbox() if event.startswith("turn.")]
    assert [event for event, _ in events] == ["turn.swap_requested", "turn.swapped"]
    assert events[1][1]["new_leader_id"] == swapped["next"]["leader_id"]


async def test_a_stale_if_match_is_refused_and_changes_nothing(client, world) -> None:
    await world.setup()
    pair = await world.pair()
    base = f"/api/v1/relationships/{pair.id}"
    fresh = await client.get(base, headers=pair.junior.headers)
    etag = fresh.headers["ETag"]
    paused = await client.post(base + "/pause", headers={**pair.junior.headers, "If-Match": etag})
    assert paused.status_code == 200, paused.text
    assert paused.headers["ETag"] != etag
    stale = await client.post(base + "/resume", headers={**pair.senior.headers, "If-Match": etag})
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    agreement = await client.patch(
        base + "/agreement", headers={**pair.senior.headers, "If-Match": etag}, json={"cadence_days": 7}
    )
    assert agreement.status_code == 412
    still = (await client.get(base, headers=pair.junior.headers)).json()
    assert (still["status"], still["agreement"]["cadence_days"]) == ("paused", 14)
    resumed = await client.post(base + "/resume", headers={**pair.senior.headers, "If-Match": paused.headers["ETag"]})
    assert resumed.status_code == 200


async def test_moving_a_meeting_takes_its_turn_along(client, world, clock) -> None:
    await world.setup(policy="alternate(1)")
    pair = await world.pair()
    junior, senior = pair.junior.id, pair.senior.id
    first, second = [await world.meeting(pair.id, clock.now() + timedelta(days=7 * n), pair.junior) for n in (1, 2)]
    assert (first["planned_leader_id"], second["planned_leader_id"]) == (senior, junior)

    later = (clock.now() + timedelta(days=21)).isoformat()
    moved = await client.patch(
        f"/api/v1/meetings/{first['id']}", headers=pair.senior.headers, json={"starts_at": later}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["planned_leader_id"] == junior  # now the second turn
    turns = (await client.get(f"/api/v1/relationships/{pair.id}/turns", headers=pair.junior.headers)).json()
    assert [(p["meeting_id"], p["leader_id"]) for p in turns["planned"]] == [
        (second["id"], senior),
        (first["id"], junior),
    ]
