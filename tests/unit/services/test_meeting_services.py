"""Meetings, learning goals and calendar feeds, through the in-memory unit of work."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.errors import DomainError
from app.services import calendar, goals, meetings


async def test_a_meeting_is_scheduled_with_the_policy_s_leader_and_shifts_later_ones(uow, store, cast) -> None:
    pair, junior, senior, coordinator = await cast.pair()
    later = await meetings.schedule(
        uow(), junior, relationship_id=pair.id, starts_at=cast.clock.now() + timedelta(days=2)
    )
    first_leader = store.meetings[later.id].planned_leader_id
    cast.announced()
    earlier = await meetings.schedule(
        uow(), senior, relationship_id=pair.id, starts_at=cast.clock.now() - timedelta(days=1), duration_minutes=30
    )
    assert store.meetings[earlier.id].planned_leader_id == first_leader  # it takes the first turn ...
    assert store.meetings[later.id].planned_leader_id != first_leader  # ... and the later one shifts
    assert cast.announced() == ["meeting.scheduled"]
    for who, minutes, code in [(coordinator, 60, "not_a_member"), (junior, 481, "duration_out_of_range")]:
        with pytest.raises(DomainError) as refused:
            await meetings.schedule(
                uow(), who, relationship_id=pair.id, starts_at=cast.clock.now(), duration_minutes=minutes
            )
        assert refused.value.code == code
    assert len(store.meetings) == 2


async def test_only_an_active_pair_schedules_meetings(uow, store, cast) -> None:
    pair, junior, _, _ = await cast.pair(accept=False)
    with pytest.raises(DomainError) as refused:
        await meetings.schedule(uow(), junior, relationship_id=pair.id, starts_at=cast.clock.now())
    assert refused.value.code == "relationship_not_active"
    assert store.meetings == {}


async def test_moving_holding_missing_and_cancelling_re_plan_the_turns(uow, store, cast) -> None:
    pair, junior, senior, _ = await cast.pair()
    now = cast.clock.now()
    first, second, third = [
        await meetings.schedule(uow(), junior, relationship_id=pair.id, starts_at=now + timedelta(hours=h))
        for h in (-2, 24, 48)
    ]
    cast.announced()
    leaders = [store.meetings[m.id].planned_leader_id for m in (first, second, third)]
    missed = await meetings.mark_missed(uow(), senior, meeting_id=first.id, expected_version=1)
    assert missed.status == "missed"
    # a missed meeting consumes no turn: the next meeting takes its leader
    assert store.meetings[second.id].planned_leader_id == leaders[0]
    moved = await meetings.update_meeting(
        uow(), junior, meeting_id=third.id, starts_at=now - timedelta(hours=1), agenda="Reels", expected_version=None
    )
    assert (moved.agenda, store.meetings[third.id].starts_at) == ("Reels", now - timedelta(hours=1))
    held = await meetings.mark_held(uow(), junior, meeting_id=third.id, expected_version=None)
    assert held.led_by == store.meetings[third.id].planned_leader_id
    cancelled = await meetings.cancel(uow(), senior, meeting_id=second.id, expected_version=None)
    assert cancelled.status == "cancelled"
    assert cast.announced() == ["meeting.missed", "meeting.rescheduled", "meeting.held", "meeting.cancelled"]
    ahead = await meetings.schedule(uow(), junior, relationship_id=pair.id, starts_at=now + timedelta(days=9))
    with pytest.raises(DomainError) as future:
        await meetings.mark_held(uow(), junior, meeting_id=ahead.id, expected_version=None)
    assert future.value.code == "meeting_in_future"


async def test_resources_are_suggested_by_members_and_reflections_stay_private(uow, store, cast) -> None:
    pair, junior, senior, coordinator = await cast.pair()
    meeting = await meetings.schedule(uow(), junior, relationship_id=pair.id, starts_at=cast.clock.now())
    with_link = await meetings.add_resource(
        uow(), senior, meeting_id=meeting.id, title=" Guide ", url="https://example.com", kind="material",
        expected_version=1,
    )  # fmt: skip
    assert [(r.title, r.suggested_by) for r in store.meetings[meeting.id].resources] == [("Guide", senior.person_id)]
    assert with_link.version == 2
    with pytest.raises(DomainError) as not_held:
        await meetings.put_reflection(uow(), junior, meeting_id=meeting.id, text="Good", expected_version=None)
    assert not_held.value.code == "meeting_not_held"
    await meetings.mark_held(uow(), junior, meeting_id=meeting.id, expected_version=None)
    cast.announced()
    mine = await meetings.put_reflection(
        uow(), junior, meeting_id=meeting.id, text="I learnt a lot", expected_version=None
    )
    rewritten = await meetings.put_reflection(uow(), junior, meeting_id=meeting.id, text="More", expected_version=1)
    assert (mine.version, rewritten.version, store.meetings[meeting.id].version) == (1, 2, 3)
    assert store.reflections[(meeting.id, junior.person_id)].text == "More"
    assert cast.announced() == []  # no event, feed or list carries a reflection
    for reader in (senior, coordinator):
        with pytest.raises(DomainError) as hidden:
            await meetings.get_reflection(uow(), reader, meeting_id=meeting.id)
        assert hidden.value.code == "reflection_not_found"


async def test_a_goal_lives_through_progress_to_achieved_or_dropped(uow, store, cast) -> None:
    pair, junior, senior, coordinator = await cast.pair()
    cast.announced()
    goal = await goals.create_goal(
        uow(), junior, relationship_id=pair.id, title=" Post weekly ", owner_id=senior.person_id
    )
    assert (goal.title, goal.owner_id, goal.partner_id) == ("Post weekly", senior.person_id, junior.person_id)
    revised = await goals.revise_goal(uow(), senior, goal_id=goal.id, success_criteria="4 posts", expected_version=1)
    logged = await goals.record_progress(uow(), junior, goal_id=goal.id, note=" half ", percent=50, expected_version=2)
    assert (revised.success_criteria, logged.status, logged.latest_percent) == ("4 posts", "in_progress", 50)
    achieved = await goals.achieve_goal(uow(), senior, goal_id=goal.id, expected_version=None)
    assert store.goals[goal.id].status == achieved.status == "achieved"
    other = await goals.create_goal(uow(), senior, relationship_id=pair.id, title="Lead a review")
    await goals.start_goal(uow(), senior, goal_id=other.id, expected_version=None)
    await goals.drop_goal(uow(), junior, goal_id=other.id, expected_version=None)
    assert cast.announced() == [
        "goal.created",
        "goal.status_changed",
        "goal.achieved",
        "goal.created",
        "goal.status_changed",
        "goal.status_changed",
    ]
    with pytest.raises(DomainError) as staff:
        await goals.record_progress(uow(), coordinator, goal_id=other.id, note="", percent=1, expected_version=None)
    assert staff.value.code == "not_a_member"
    with pytest.raises(DomainError) as closed:
        await goals.start_goal(uow(), senior, goal_id=other.id, expected_version=None)
    assert closed.value.code == "illegal_goal_transition"


async def test_a_calendar_feed_secret_is_rotated_and_revoked(uow, store, cast) -> None:
    sam = await cast.person("Sam Junior")
    first = await calendar.create_feed(uow(), sam)
    second = await calendar.create_feed(uow(), sam)
    feeds = sorted(store.calendar_feeds.values(), key=lambda f: f.created_at)
    assert first != second and [f.token_hash for f in feeds if f.revoked_at is None] == [calendar.token_hash(second)]
    await calendar.revoke_feed(uow(), sam)
    assert all(f.revoked_at is not None for f in store.calendar_feeds.values())
    assert all(first not in f.token_hash and second not in f.token_hash for f in feeds)  # only digests are kept
