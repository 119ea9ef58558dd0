"""Relationship: lifecycle, acceptance, agreement, policy overrides, ready and swaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from app.domain.errors import DomainError
from app.domain.events import (
    RelationshipAccepted,
    RelationshipActivated,
    RelationshipCompleted,
    RelationshipEnded,
    RelationshipPaused,
    RelationshipProposed,
    RelationshipResumed,
    TurnPolicyChanged,
    TurnPolicyDeclined,
    TurnPolicyProposed,
    TurnPolicyWithdrawn,
    TurnSwapDeclined,
    TurnSwapped,
    TurnSwapRequested,
    TurnSwapWithdrawn,
)
from app.domain.relationships import Agreement, PairExclusion, Relationship
from app.domain.role_turns import TurnPolicy, planned_leader

JUNIOR = UUID(int=1)
SENIOR = UUID(int=2)
STRANGER = UUID(int=3)
REL = UUID(int=10)
PROGRAM = UUID(int=20)
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
SWAP = UUID(int=30)


def proposed(policy: str = "alternate(1)") -> Relationship:
    return Relationship.propose(
        id=REL,
        program_id=PROGRAM,
        member_a_id=JUNIOR,
        member_b_id=SENIOR,
        designated_mentor_id=JUNIOR,
        senior_member_id=SENIOR,
        program_policy=TurnPolicy.parse(policy),
        source="matching",
        now=NOW,
    )


def active(policy: str = "alternate(1)") -> Relationship:
    relationship = proposed(policy)
    relationship.accept(JUNIOR, NOW)
    relationship.accept(SENIOR, NOW + timedelta(hours=1))
    relationship.events.clear()
    return relationship


def code_of(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str]:
    return error.value.code, error.value.kind


# --- lifecycle ---------------------------------------------------------------------------------
def test_a_proposal_records_its_event() -> None:
    relationship = proposed()
    assert relationship.status == "proposed"
    assert relationship.events == [
        RelationshipProposed(
            relationship_id=REL,
            program_id=PROGRAM,
            member_ids=[JUNIOR, SENIOR],
            source="matching",
        )
    ]


def test_it_becomes_active_only_when_both_members_accept() -> None:
    relationship = proposed()
    relationship.accept(JUNIOR, NOW)
    statuses = [relationship.status]
    relationship.accept(SENIOR, NOW + timedelta(hours=1))
    assert [*statuses, relationship.status] == ["proposed", "active"]
    assert relationship.activated_at == NOW + timedelta(hours=1)
    assert [type(e) for e in relationship.events[1:]] == [
        RelationshipAccepted,
        RelationshipAccepted,
        RelationshipActivated,
    ]


def test_accepting_twice_is_refused() -> None:
    relationship = proposed()
    relationship.accept(JUNIOR, NOW)
    with pytest.raises(DomainError) as error:
        relationship.accept(JUNIOR, NOW)
    assert code_of(error) == ("already_accepted", "conflict")


def test_a_decline_ends_the_proposal_and_asks_for_an_exclusion() -> None:
    relationship = proposed()
    exclusion = relationship.decline(SENIOR, NOW)
    assert (relationship.status, relationship.end_reason) == ("ended", "declined")
    assert exclusion == PairExclusion(PROGRAM, frozenset({JUNIOR, SENIOR}), REL, "declined", NOW)
    assert relationship.events[-1] == RelationshipEnded(relationship_id=REL, program_id=PROGRAM, reason="declined")


def test_only_members_accept_or_decline() -> None:
    relationship = proposed()
    for act in (relationship.accept, relationship.decline):
        with pytest.raises(DomainError) as error:
            act(STRANGER, NOW)
        assert code_of(error) == ("not_a_member", "forbidden")


def test_pause_resume_complete() -> None:
    relationship = active()
    relationship.pause(NOW)
    relationship.resume(NOW + timedelta(days=5))
    relationship.complete(NOW + timedelta(days=90))
    assert relationship.status == "completed"
    assert relationship.pauses[0].ended_at == NOW + timedelta(days=5)
    assert [type(e) for e in relationship.events] == [
        RelationshipPaused,
        RelationshipResumed,
        RelationshipCompleted,
    ]


def test_a_paused_relationship_may_complete_or_end() -> None:
    relationship = active()
    relationship.pause(NOW)
    relationship.end("mismatch", NOW + timedelta(days=1))
    assert (relationship.status, relationship.end_reason) == ("ended", "mismatch")
    assert relationship.pauses[-1].ended_at == NOW + timedelta(days=1)


def test_ending_for_a_rematch_asks_for_an_exclusion() -> None:
    exclusion = active().end("rematch", NOW)
    assert exclusion is not None and exclusion.reason == "rematch"
    assert active().end("left_organisation", NOW) is None


def test_declined_is_not_a_reason_to_end_with() -> None:
    with pytest.raises(DomainError) as error:
        active().end("declined", NOW)
    assert code_of(error) == ("invalid_end_reason", "invalid")


@pytest.mark.parametrize(
    ("setup", "action", "to_status"),
    [
        ("proposed", "pause", "paused"),
        ("proposed", "complete", "completed"),
        ("active", "resume", "active"),
        ("active", "accept", "active"),
        ("active", "decline", "ended"),
        ("completed", "resume", "active"),
        ("completed", "end", "ended"),
        ("ended", "pause", "paused"),
        ("ended", "complete", "completed"),
    ],
)
def test_illegal_transitions_are_conflicts_naming_both_states(setup: str, action: str, to_status: str) -> None:
    relationship = proposed() if setup == "proposed" else active()
    if setup == "completed":
        relationship.complete(NOW)
    if setup == "ended":
        relationship.end("other", NOW)

    def act() -> None:
        if action in ("accept", "decline"):
            getattr(relationship, action)(JUNIOR, NOW)
        elif action == "end":
            relationship.end("other", NOW)
        else:
            getattr(relationship, action)(NOW)

    with pytest.raises(DomainError) as error:
        act()
    assert code_of(error) == ("illegal_relationship_transition", "conflict")
    assert setup in error.value.detail and to_status in error.value.detail


def test_a_proposal_may_end_without_being_accepted() -> None:
    relationship = proposed()
    relationship.end("left_organisation", NOW)
    assert relationship.status == "ended"


# --- agreement ---------------------------------------------------------------------------------
def test_members_edit_the_agreement_others_may_not() -> None:
    relationship = active()
    agreement = Agreement(["AI tools"], 7, "no weekends", ["video"])
    relationship.update_agreement(SENIOR, agreement, NOW)
    assert relationship.agreement == agreement
    with pytest.raises(DomainError) as error:
        relationship.update_agreement(STRANGER, agreement, NOW)
    assert code_of(error) == ("not_a_member", "forbidden")


def test_a_closed_relationship_keeps_its_agreement() -> None:
    relationship = active()
    relationship.complete(NOW)
    with pytest.raises(DomainError, match="relationship_not_active"):
        relationship.update_agreement(JUNIOR, Agreement(), NOW)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"cadence_days": 0}, "cadence_out_of_range"),
        ({"cadence_days": 400}, "cadence_out_of_range"),
        ({"shared_goals": [" "]}, "shared_goal_blank"),
        ({"channels": [""]}, "channel_blank"),
    ],
)
def test_agreement_values_are_checked(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(DomainError) as error:
        Agreement(**kwargs)  # type: ignore[arg-type]
    assert code_of(error) == (code, "invalid")


# --- policy override ---------------------------------------------------------------------------
def test_an_override_takes_effect_from_the_next_turn_once_the_other_accepts() -> None:
    relationship = active("fixed")
    relationship.propose_policy(SENIOR, TurnPolicy.alternate(1), NOW)
    assert relationship.effective_policy == TurnPolicy.fixed()
    relationship.accept_policy(JUNIOR, next_turn=4, now=NOW)
    assert relationship.effective_policy == TurnPolicy.alternate(1)
    context = relationship.turn_context()
    assert [planned_leader(context, t).leader_id for t in range(6)] == [
        JUNIOR,
        JUNIOR,
        JUNIOR,
        JUNIOR,
        JUNIOR,
        SENIOR,
    ]
    assert relationship.events == [
        TurnPolicyProposed(relationship_id=REL, program_id=PROGRAM, proposed_by=SENIOR, policy="alternate(1)"),
        TurnPolicyChanged(relationship_id=REL, program_id=PROGRAM, policy="alternate(1)", from_turn=4),
    ]


def test_the_proposer_cannot_accept_their_own_override() -> None:
    relationship = active()
    relationship.propose_policy(SENIOR, TurnPolicy.fixed(), NOW)
    with pytest.raises(DomainError) as error:
        relationship.accept_policy(SENIOR, 0, NOW)
    assert code_of(error) == ("own_proposal", "forbidden")


def test_an_override_can_be_withdrawn_or_declined_and_each_decision_is_announced() -> None:
    relationship = active()
    relationship.propose_policy(SENIOR, TurnPolicy.fixed(), NOW)
    with pytest.raises(DomainError, match="not_proposer"):
        relationship.withdraw_policy(JUNIOR)
    with pytest.raises(DomainError, match="own_proposal"):
        relationship.decline_policy(SENIOR)
    relationship.withdraw_policy(SENIOR)
    relationship.propose_policy(SENIOR, TurnPolicy.fixed(), NOW)
    relationship.decline_policy(JUNIOR)
    with pytest.raises(DomainError, match="no_policy_proposal"):
        relationship.accept_policy(JUNIOR, 0, NOW)
    assert relationship.effective_policy == TurnPolicy.alternate(1)
    proposal = TurnPolicyProposed(relationship_id=REL, program_id=PROGRAM, proposed_by=SENIOR, policy="fixed")
    assert relationship.events == [
        proposal,
        TurnPolicyWithdrawn(relationship_id=REL, program_id=PROGRAM, person_id=SENIOR),
        proposal,
        TurnPolicyDeclined(relationship_id=REL, program_id=PROGRAM, person_id=JUNIOR),
    ]


def test_one_override_proposal_at_a_time_and_never_the_current_policy() -> None:
    relationship = active()
    with pytest.raises(DomainError, match="policy_unchanged"):
        relationship.propose_policy(JUNIOR, TurnPolicy.alternate(1), NOW)
    relationship.propose_policy(JUNIOR, TurnPolicy.fixed(), NOW)
    with pytest.raises(DomainError, match="policy_proposal_pending"):
        relationship.propose_policy(SENIOR, TurnPolicy.alternate(2), NOW)


def test_two_overrides_before_the_next_turn_the_later_wins() -> None:
    relationship = active()
    relationship.propose_policy(JUNIOR, TurnPolicy.fixed(), NOW)
    relationship.accept_policy(SENIOR, 2, NOW)
    relationship.propose_policy(JUNIOR, TurnPolicy.alternate(2), NOW)
    relationship.accept_policy(SENIOR, 2, NOW)
    assert [p.policy.to_str() for p in relationship.policy_history] == [
        "alternate(1)",
        "alternate(2)",
    ]


def test_a_stale_turn_index_is_refused() -> None:
    relationship = active()
    relationship.propose_policy(JUNIOR, TurnPolicy.fixed(), NOW)
    relationship.accept_policy(SENIOR, 5, NOW)
    relationship.propose_policy(JUNIOR, TurnPolicy.alternate(1), NOW)
    with pytest.raises(DomainError, match="stale_turn_index"):
        relationship.accept_policy(SENIOR, 4, NOW)


def test_turn_actions_need_an_open_relationship_and_members() -> None:
    relationship = proposed()
    with pytest.raises(DomainError, match="relationship_not_active"):
        relationship.propose_policy(JUNIOR, TurnPolicy.fixed(), NOW)
    with pytest.raises(DomainError) as error:
        active().request_swap(STRANGER, SWAP, NOW)
    assert code_of(error) == ("not_a_member", "forbidden")


# --- ready -------------------------------------------------------------------------------------
def test_the_junior_declares_ready_and_leads_the_next_turn() -> None:
    relationship = active("senior_first(3)")
    relationship.declare_ready(JUNIOR, next_turn=1, now=NOW)
    context = relationship.turn_context()
    assert [planned_leader(context, t).leader_id for t in range(4)] == [
        SENIOR,
        JUNIOR,
        SENIOR,
        JUNIOR,
    ]


@pytest.mark.parametrize(
    ("policy", "by", "turn", "code", "kind"),
    [
        ("senior_first(3)", SENIOR, 0, "only_junior_declares_ready", "forbidden"),
        ("alternate(1)", JUNIOR, 0, "ready_requires_senior_first", "conflict"),
        ("senior_first(3)", JUNIOR, 3, "senior_turns_over", "conflict"),
        ("senior_first(3)", STRANGER, 0, "not_a_member", "forbidden"),
    ],
)
def test_ready_is_refused(policy: str, by: UUID, turn: int, code: str, kind: str) -> None:
    with pytest.raises(DomainError) as error:
        active(policy).declare_ready(by, turn, NOW)
    assert code_of(error) == (code, kind)


def test_ready_is_declared_once() -> None:
    relationship = active("senior_first(3)")
    relationship.declare_ready(JUNIOR, 0, NOW)
    with pytest.raises(DomainError, match="already_declared_ready"):
        relationship.declare_ready(JUNIOR, 1, NOW)


# --- swaps -------------------------------------------------------------------------------------
def test_an_accepted_swap_flips_the_next_turn_and_announces_the_new_leader() -> None:
    relationship = active("primary_with_exchange")
    relationship.request_swap(SENIOR, SWAP, NOW)
    new_leader = relationship.accept_swap(JUNIOR, SWAP, next_turn=2, now=NOW)
    assert new_leader == SENIOR
    context = relationship.turn_context()
    assert [planned_leader(context, t).leader_id for t in range(4)] == [
        JUNIOR,
        JUNIOR,
        SENIOR,
        JUNIOR,
    ]
    assert relationship.events == [
        TurnSwapRequested(relationship_id=REL, program_id=PROGRAM, swap_id=SWAP, requested_by=SENIOR),
        TurnSwapped(relationship_id=REL, program_id=PROGRAM, swap_id=SWAP, new_leader_id=SENIOR),
    ]


def test_swaps_are_refused_under_fixed() -> None:
    with pytest.raises(DomainError) as error:
        active("fixed").request_swap(JUNIOR, SWAP, NOW)
    assert code_of(error) == ("swap_not_allowed_under_fixed", "conflict")


def test_a_pending_swap_is_refused_once_the_pair_switched_to_fixed() -> None:
    relationship = active()
    relationship.request_swap(JUNIOR, SWAP, NOW)
    relationship.propose_policy(JUNIOR, TurnPolicy.fixed(), NOW)
    relationship.accept_policy(SENIOR, 1, NOW)
    with pytest.raises(DomainError, match="swap_not_allowed_under_fixed"):
        relationship.accept_swap(SENIOR, SWAP, 1, NOW)


def test_the_requester_cannot_accept_their_own_swap() -> None:
    relationship = active()
    relationship.request_swap(JUNIOR, SWAP, NOW)
    with pytest.raises(DomainError) as error:
        relationship.accept_swap(JUNIOR, SWAP, 0, NOW)
    assert code_of(error) == ("own_swap_request", "forbidden")


def test_a_swap_can_be_declined_or_withdrawn_and_then_is_settled() -> None:
    relationship = active()
    relationship.request_swap(JUNIOR, SWAP, NOW)
    relationship.decline_swap(SENIOR, SWAP, NOW)
    with pytest.raises(DomainError, match="swap_not_pending"):
        relationship.accept_swap(SENIOR, SWAP, 0, NOW)
    other = UUID(int=31)
    relationship.request_swap(SENIOR, other, NOW)
    with pytest.raises(DomainError, match="not_requester"):
        relationship.withdraw_swap(JUNIOR, other, NOW)
    relationship.withdraw_swap(SENIOR, other, NOW)
    assert [s.status for s in relationship.swaps] == ["declined", "withdrawn"]
    assert relationship.turn_context().swaps == ()
    assert [e for e in relationship.events if not isinstance(e, TurnSwapRequested)] == [
        TurnSwapDeclined(relationship_id=REL, program_id=PROGRAM, swap_id=SWAP, person_id=SENIOR),
        TurnSwapWithdrawn(relationship_id=REL, program_id=PROGRAM, swap_id=other, person_id=SENIOR),
    ]


def test_one_pending_swap_and_one_accepted_swap_per_turn() -> None:
    relationship = active()
    relationship.request_swap(JUNIOR, SWAP, NOW)
    with pytest.raises(DomainError, match="swap_pending"):
        relationship.request_swap(SENIOR, UUID(int=31), NOW)
    relationship.accept_swap(SENIOR, SWAP, 0, NOW)
    relationship.request_swap(SENIOR, UUID(int=31), NOW)
    with pytest.raises(DomainError, match="swap_already_accepted"):
        relationship.accept_swap(JUNIOR, UUID(int=31), 0, NOW)


def test_an_unknown_swap_is_not_found() -> None:
    with pytest.raises(DomainError) as error:
        active().accept_swap(JUNIOR, SWAP, 0, NOW)
    assert code_of(error) == ("swap_request_not_found", "not_found")


def test_closing_withdraws_pending_requests() -> None:
    relationship = active()
    relationship.request_swap(JUNIOR, SWAP, NOW)
    relationship.propose_policy(JUNIOR, TurnPolicy.fixed(), NOW)
    relationship.complete(NOW)
    assert relationship.swaps[0].status == "withdrawn"
    assert relationship.policy_proposal is None


# --- health ------------------------------------------------------------------------------------
def test_health_uses_the_agreed_cadence_and_is_not_judged_while_paused() -> None:
    relationship = active()
    relationship.activated_at = NOW
    later = NOW + timedelta(days=15)
    assert relationship.health([NOW + timedelta(days=14)], later).status == "on_track"
    relationship.pause(later)
    assert relationship.health([], later + timedelta(days=1)).reason == "paused"
