"""Relationships, meetings and goals survive a round trip through the database on both backends,
change under optimistic concurrency, and private reflections are stored apart from meetings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from app.adapters.persistence.tables import OutboxRow
from app.domain.actors import Actor, Role
from app.domain.errors import DomainError
from app.domain.goals import LearningGoal
from app.domain.meetings import Meeting, Resource
from app.domain.programs import ProgramDraft, ProgramKind
from app.domain.relationships import Agreement, Relationship
from app.domain.turn_policies import TurnPolicy
from app.services import programs as program_service

ADMIN = Actor(subject="core-admin", issuer="test", roles=frozenset({Role.ADMIN}))
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
outbox = OutboxRow.__table__  # type: ignore[attr-defined]


async def cast(container: Any, org: Any) -> tuple[UUID, UUID, UUID]:
    junior = await org.person("Sam Junior", seniority=2)
    senior = await org.person("Vera Senior", seniority=7)
    program = await program_service.create_program(
        container.uow(),
        replace(ADMIN, person_id=senior),  # programs are proposed by people in the directory
        kind=ProgramKind.RECIPROCAL,
        draft=ProgramDraft(name="Exchange", cycle_start=date(2027, 1, 11), cycle_end=date(2027, 6, 30),
                         coordinator_ids=[senior]),
    )  # fmt: skip
    return program.id, junior, senior


async def active_pair(container: Any, org: Any) -> Relationship:
    program_id, junior, senior = await cast(container, org)
    uow = container.uow()
    async with uow:
        relationship = Relationship.propose(
            id=uow.ids.new_id(),
            program_id=program_id,
            member_a_id=junior,
            member_b_id=senior,
            designated_mentor_id=junior,
            senior_member_id=senior,
            program_policy=TurnPolicy.senior_first(2),
            source="manual",
            now=NOW,
            agreement=Agreement(shared_goals=["Learn reels"], cadence_days=10, boundaries="No weekends"),
        )
        relationship.accept(junior, NOW)
        relationship.accept(senior, NOW + timedelta(minutes=5))
        uow.relationships.add(relationship)
        await uow.commit()
    return relationship


async def test_a_relationship_keeps_its_turn_state_across_a_round_trip(container, org) -> None:
    made = await active_pair(container, org)
    junior, senior = made.member_ids
    uow = container.uow()
    async with uow:
        relationship = await uow.relationships.get(made.id)
        assert relationship is not None
        relationship.pause(NOW + timedelta(days=1))
        relationship.resume(NOW + timedelta(days=2))
        relationship.declare_ready(junior, 1, NOW)
        swap = relationship.request_swap(senior, uow.ids.new_id(), NOW)
        relationship.accept_swap(junior, swap.id, 2, NOW)
        relationship.propose_policy(senior, TurnPolicy.alternate(2), NOW)
        await uow.commit()

    uow = container.uow()
    async with uow:
        loaded = await uow.relationships.get(made.id)
        assert loaded is not None
        assert loaded.version == 2
        assert (loaded.status, loaded.ready_at_turn, loaded.agreement) == ("active", 1, made.agreement)
        assert loaded.acceptances == {junior: NOW, senior: NOW + timedelta(minutes=5)}
        assert [(p.started_at, p.ended_at) for p in loaded.pauses] == [
            (NOW + timedelta(days=1), NOW + timedelta(days=2))
        ]
        assert [(s.status, s.turn_index) for s in loaded.swaps] == [("accepted", 2)]
        assert loaded.policy_proposal is not None and loaded.policy_proposal.policy == TurnPolicy.alternate(2)
        assert loaded.turn_context() == relationship.turn_context()
        loaded.accept_policy(junior, 3, NOW)
        await uow.commit()

    uow = container.uow()
    async with uow:
        again = await uow.relationships.get(made.id)
        assert again is not None
        assert [(p.policy.to_str(), p.from_turn) for p in again.policy_history] == [
            ("senior_first(2)", 0),
            ("alternate(2)", 3),
        ]
        assert again.policy_proposal is None


async def test_two_writers_of_one_relationship_cannot_both_win(container, org) -> None:
    made = await active_pair(container, org)
    late = container.uow()
    async with late:
        stale_copy = await late.relationships.get(made.id)
        assert stale_copy is not None
        await late.rollback()  # its read is over; the database is free for the other writer
        async with container.uow() as early:
            fresh = await early.relationships.get(made.id)
            assert fresh is not None
            fresh.pause(NOW)
            await early.commit()
        stale_copy.complete(NOW)
        with pytest.raises(DomainError) as error:
            await late.commit()
    assert error.value.code == "stale_version"
    async with container.uow() as check:
        kept = await check.relationships.get(made.id)
        assert kept is not None and kept.status == "paused"


async def test_a_pair_closed_earlier_in_the_unit_of_work_is_no_longer_live(container, org) -> None:
    made = await active_pair(container, org)
    junior, senior = made.member_ids
    async with container.uow() as uow:
        relationship = await uow.relationships.get(made.id)
        assert relationship is not None
        assert [r.id for r in await uow.relationships.live_of(junior)] == [made.id]
        relationship.complete(NOW)  # its row still says active: nothing is written yet
        assert await uow.relationships.live_of(junior) == []
        assert await uow.relationships.live_of(senior, made.program_id) == []


async def test_meetings_goals_and_exclusions_round_trip(container, org) -> None:
    made = await active_pair(container, org)
    junior, senior = made.member_ids
    uow = container.uow()
    async with uow:
        meeting = Meeting.schedule(
            id=uow.ids.new_id(),
            relationship_id=made.id,
            program_id=made.program_id,
            member_ids=made.member_ids,
            starts_at=NOW,
            duration_minutes=50,
            mode="in_person",
            planned_leader_id=senior,
            now=NOW,
        )
        meeting.add_resource(junior, Resource("A guide", "https://example.com/g", "material"), NOW)
        meeting.add_resource(senior, Resource("Ask Lee", "mailto:lee@example.com", "expert"), NOW)
        uow.meetings.add(meeting)
        goal = LearningGoal.create(
            id=uow.ids.new_id(),
            relationship_id=made.id,
            program_id=made.program_id,
            owner_id=senior,
            partner_id=junior,
            title="Reels",
            success_criteria="Three reels",
            now=NOW,
        )
        goal.record_progress(junior, "one done", 33, NOW)
        goal.record_progress(senior, "two done", 66, NOW)
        uow.goals.add(goal)
        await uow.commit()

    uow = container.uow()
    async with uow:
        loaded = await uow.meetings.get(meeting.id)
        assert loaded is not None
        assert [r.suggested_by for r in loaded.resources] == [junior, senior]
        loaded.mark_held(NOW + timedelta(hours=1), led_by=junior)
        reflection = loaded.write_reflection(junior, "private thoughts", NOW + timedelta(hours=2))
        await uow.meetings.save_reflection(loaded.id, reflection)
        await uow.commit()
        assert loaded.version == 2
        saved_goal = await uow.goals.get(goal.id)
        assert saved_goal is not None
        assert [(p.percent, p.note) for p in saved_goal.progress] == [(33, "one done"), (66, "two done")]
        assert saved_goal.status == "in_progress"

    uow = container.uow()
    async with uow:
        again = await uow.meetings.get(meeting.id)
        assert again is not None
        assert again.reflections == {}  # never loaded with the meeting
        assert (again.status, again.led_by, again.version) == ("held", junior, 2)
        assert await uow.meetings.reflection(meeting.id, senior) is None
        mine = await uow.meetings.reflection(meeting.id, junior)
        assert mine is not None and mine.text == "private thoughts"
        held = await uow.meetings.held_times([made.id])
        assert held == {made.id: [NOW]}
        assert [m.id for m in await uow.meetings.of_person(senior)] == [meeting.id]

        exclusion = made.end("rematch", NOW)
        assert exclusion is not None
        await uow.relationships.add_exclusion(exclusion, exclusion_id=uow.ids.new_id())
        await uow.relationships.add_exclusion(exclusion, exclusion_id=uow.ids.new_id())  # idempotent
        await uow.commit()
        assert await uow.relationships.exclusions(made.program_id) == frozenset({frozenset({junior, senior})})

    async with container.engine.connect() as connection:
        payloads = [row.payload for row in await connection.execute(select(outbox.c.payload))]
    assert all("private thoughts" not in str(p) for p in payloads)


async def test_two_rewrites_of_one_reflection_at_once_cannot_lose_one(container, org) -> None:
    """Two tabs read the reflection at version 1 and both rewrite it: the second is refused."""
    made = await active_pair(container, org)
    junior = made.member_a_id
    async with container.uow() as uow:
        pair = await uow.relationships.get(made.id)
        assert pair is not None
        meeting = pair.schedule_meeting(
            by=junior, meeting_id=uow.ids.new_id(), meetings=[], starts_at=NOW, duration_minutes=30, mode="video",
            agenda="", now=NOW,
        )  # fmt: skip
        meeting.mark_held(NOW, led_by=junior)
        uow.meetings.add(meeting)
        await uow.commit()
    async with container.uow() as uow:
        loaded = await uow.meetings.get(meeting.id)
        assert loaded is not None
        await uow.meetings.save_reflection(meeting.id, loaded.write_reflection(junior, "first", NOW))
        await uow.commit()

    async def rewrite(text: str) -> None:
        async with container.uow() as uow:
            loaded = await uow.meetings.get(meeting.id)
            assert loaded is not None
            earlier = await uow.meetings.reflection(meeting.id, junior)
            assert earlier is not None and earlier.version == 1
            loaded.reflections[junior] = earlier
            await uow.meetings.save_reflection(meeting.id, loaded.write_reflection(junior, text, NOW))
            await uow.commit()

    stale_reader = container.uow()
    async with stale_reader:
        seen = await stale_reader.meetings.reflection(meeting.id, junior)
        loaded = await stale_reader.meetings.get(meeting.id)
        await stale_reader.rollback()  # its read is over; the other tab writes meanwhile
        await rewrite("second tab")
        assert seen is not None and loaded is not None
        loaded.reflections[junior] = seen
        with pytest.raises(DomainError) as lost:
            await stale_reader.meetings.save_reflection(meeting.id, loaded.write_reflection(junior, "first tab", NOW))
    assert lost.value.code == "stale_version"
    async with container.uow() as uow:
        kept = await uow.meetings.reflection(meeting.id, junior)
    assert kept is not None and (kept.text, kept.version) == ("second tab", 2)
