"""A pair's life and its turn-taking, through the in-memory unit of work."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.domain.enrollments import EnrollmentStatus
from app.domain.errors import DomainError
from app.domain.turn_policies import TurnPolicy
from app.services import meetings, relationships, turns


def enrollment_statuses(store: Any) -> list[EnrollmentStatus]:
    return sorted(e.status for e in store.enrollments.values())


async def test_both_members_accept_and_then_the_pair_is_active(uow, store, cast) -> None:
    pair, junior, senior, coordinator = await cast.pair(accept=False)
    cast.announced()
    with pytest.raises(DomainError) as staff:
        await relationships.accept(uow(), coordinator, relationship_id=pair.id, expected_version=None)
    assert staff.value.code == "not_a_member"
    half = await relationships.accept(uow(), junior, relationship_id=pair.id, expected_version=1)
    assert half.relationship.status == "proposed"
    both = await relationships.accept(uow(), senior, relationship_id=pair.id, expected_version=2)
    assert (store.relationships[pair.id].status, both.relationship.version) == ("active", 3)
    assert cast.announced() == ["relationship.accepted", "relationship.accepted", "relationship.activated"]


async def test_a_decline_ends_the_proposal_excludes_the_pair_and_frees_both(uow, store, cast) -> None:
    pair, junior, _, _ = await cast.pair(accept=False)
    cast.announced()
    await relationships.decline(uow(), junior, relationship_id=pair.id, expected_version=None)
    stored = store.relationships[pair.id]
    assert (stored.status, stored.end_reason) == ("ended", "declined")
    assert list(store.exclusions) == [(pair.program_id, frozenset(pair.member_ids))]
    assert enrollment_statuses(store) == [EnrollmentStatus.READY] * 2
    assert cast.announced() == ["relationship.ended", "enrollment.status_changed", "enrollment.status_changed"]


async def test_members_pause_and_resume_their_pair(uow, store, cast) -> None:
    pair, junior, senior, _ = await cast.pair()
    cast.announced()
    await relationships.pause(uow(), junior, relationship_id=pair.id, expected_version=None)
    assert store.relationships[pair.id].status == "paused"
    resumed = await relationships.resume(uow(), senior, relationship_id=pair.id, expected_version=None)
    assert resumed.relationship.status == "active" and len(store.relationships[pair.id].pauses) == 1
    assert cast.announced() == ["relationship.paused", "relationship.resumed"]
    with pytest.raises(DomainError) as stranger:
        await relationships.pause(uow(), await cast.person("Kim Other"), relationship_id=pair.id, expected_version=None)
    assert stranger.value.code == "relationship_not_found"


async def test_completing_cancels_what_is_scheduled_and_completes_the_enrollments(uow, store, cast) -> None:
    pair, junior, _, _ = await cast.pair()
    soon = await meetings.schedule(
        uow(), junior, relationship_id=pair.id, starts_at=cast.clock.now() + timedelta(days=1)
    )
    cast.announced()
    await relationships.complete(uow(), junior, relationship_id=pair.id, expected_version=None)
    assert (store.relationships[pair.id].status, store.meetings[soon.id].status) == ("completed", "cancelled")
    assert enrollment_statuses(store) == [EnrollmentStatus.COMPLETED] * 2
    assert cast.announced() == [
        "relationship.completed",
        "meeting.cancelled",
        "enrollment.status_changed",
        "enrollment.status_changed",
    ]


async def test_only_staff_end_a_pair_early_and_a_rematch_is_never_proposed_again(uow, store, cast) -> None:
    pair, junior, _, coordinator = await cast.pair()
    with pytest.raises(DomainError) as member:
        await relationships.end(uow(), junior, relationship_id=pair.id, reason="rematch", expected_version=None)
    assert member.value.code == "relationship_end_forbidden"
    cast.announced()
    await relationships.end(uow(), coordinator, relationship_id=pair.id, reason="rematch", expected_version=None)
    assert (store.relationships[pair.id].end_reason, len(store.exclusions)) == ("rematch", 1)
    assert enrollment_statuses(store) == [EnrollmentStatus.READY] * 2
    assert cast.announced()[0] == "relationship.ended"


async def test_the_members_rewrite_their_agreement_and_the_cadence_is_announced(uow, store, cast) -> None:
    pair, junior, _, coordinator = await cast.pair()
    cast.announced()
    updated = await relationships.update_agreement(
        uow(), junior, relationship_id=pair.id, cadence_days=7, channels=[" video "], expected_version=None
    )
    assert (updated.relationship.agreement.cadence_days, store.relationships[pair.id].agreement.channels) == (
        7,
        ["video"],
    )
    assert cast.announced() == ["relationship.agreement_updated"]
    with pytest.raises(DomainError) as staff:
        await relationships.update_agreement(
            uow(), coordinator, relationship_id=pair.id, boundaries="x", expected_version=None
        )
    assert staff.value.code == "not_a_member"
    with pytest.raises(DomainError) as bound:
        await relationships.update_agreement(
            uow(), junior, relationship_id=pair.id, cadence_days=0, expected_version=None
        )
    assert bound.value.code == "cadence_out_of_range"


async def test_a_policy_override_is_proposed_then_accepted_declined_or_withdrawn(uow, store, cast) -> None:
    pair, junior, senior, _ = await cast.pair()
    scheduled = [
        await meetings.schedule(uow(), junior, relationship_id=pair.id, starts_at=cast.clock.now() + timedelta(days=d))
        for d in (1, 2)
    ]
    cast.announced()
    fixed = TurnPolicy.fixed()
    await turns.propose_policy(uow(), junior, relationship_id=pair.id, policy=fixed, expected_version=None)
    await turns.withdraw_policy(uow(), junior, relationship_id=pair.id, expected_version=None)
    await turns.propose_policy(uow(), junior, relationship_id=pair.id, policy=fixed, expected_version=None)
    await turns.decline_policy(uow(), senior, relationship_id=pair.id, expected_version=None)
    await turns.propose_policy(uow(), junior, relationship_id=pair.id, policy=fixed, expected_version=None)
    view = await turns.accept_policy(uow(), senior, relationship_id=pair.id, expected_version=None)
    assert view.relationship.effective_policy == fixed
    mentor = store.relationships[pair.id].designated_mentor_id
    assert [store.meetings[m.id].planned_leader_id for m in scheduled] == [mentor, mentor]  # re-planned
    assert cast.announced() == [
        "turn.policy_proposed",
        "turn.policy_withdrawn",
        "turn.policy_proposed",
        "turn.policy_declined",
        "turn.policy_proposed",
        "turn.policy_changed",
    ]


async def test_a_swap_is_requested_then_accepted_declined_or_withdrawn(uow, store, cast) -> None:
    pair, junior, senior, _ = await cast.pair()
    first = await meetings.schedule(
        uow(), junior, relationship_id=pair.id, starts_at=cast.clock.now() + timedelta(days=1)
    )
    cast.announced()
    asked = await turns.request_swap(uow(), junior, relationship_id=pair.id, expected_version=None)
    [swap] = asked.relationship.swaps
    await turns.withdraw_swap(uow(), junior, relationship_id=pair.id, swap_id=swap.id, expected_version=None)
    asked = await turns.request_swap(uow(), junior, relationship_id=pair.id, expected_version=None)
    await turns.decline_swap(
        uow(), senior, relationship_id=pair.id, swap_id=asked.relationship.swaps[-1].id, expected_version=None
    )
    asked = await turns.request_swap(uow(), senior, relationship_id=pair.id, expected_version=None)
    before = store.meetings[first.id].planned_leader_id
    await turns.accept_swap(
        uow(), junior, relationship_id=pair.id, swap_id=asked.relationship.swaps[-1].id, expected_version=None
    )
    assert store.meetings[first.id].planned_leader_id != before  # the next turn flipped
    assert [s.status for s in store.relationships[pair.id].swaps] == ["withdrawn", "declined", "accepted"]
    assert cast.announced() == [
        "turn.swap_requested",
        "turn.swap_withdrawn",
        "turn.swap_requested",
        "turn.swap_declined",
        "turn.swap_requested",
        "turn.swapped",
    ]


async def test_under_senior_first_the_junior_declares_ready_once(uow, store, cast) -> None:
    pair, junior, senior, _ = await cast.pair(policy="senior_first(3)")
    cast.announced()
    with pytest.raises(DomainError) as senior_refused:
        await turns.declare_ready(uow(), senior, relationship_id=pair.id, expected_version=None)
    assert senior_refused.value.code == "only_junior_declares_ready"
    ready = await turns.declare_ready(uow(), junior, relationship_id=pair.id, expected_version=None)
    assert (ready.next.leader_id, store.relationships[pair.id].ready_at_turn) == (junior.person_id, 0)
    assert cast.announced() == ["turn.junior_ready"]
