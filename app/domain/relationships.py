"""Relationship: two people in a program, their agreement and how they share the mentor's role.

Rules:
- status ``proposed → active ⇄ paused → completed | ended``; ``ended`` carries a reason
  (``mismatch``, ``rematch``, ``left_organisation``, ``other``, or ``declined`` when a member
  declined the proposal); a proposed relationship may also end; completed and ended are final.
  Any other move is ``illegal_relationship_transition`` (conflict).
- both members accept a proposal before it becomes active; one decline ends it with reason
  ``declined`` and returns a ``PairExclusion`` the caller must store so the pair is never
  proposed again; ending with reason ``rematch`` returns one too.
- only the two members accept, decline, edit the agreement, propose or accept a policy override,
  declare ready or swap turns; anyone else gets ``not_a_member`` (forbidden). Who may pause,
  resume, complete or end (members, coordinators) is decided by ``policies``, not here.
- the program's role-turn policy is copied when the relationship is proposed; a pair may replace
  it by mutual agreement: one member proposes, the other accepts (the proposer may withdraw, the
  other may decline). It takes effect from the next turn and counts its pattern from there.
- only the junior (the member who is not the senior) declares ready, once, while ``senior_first``
  is in force and the senior's K turns are not over.
- a swap is requested by one member and accepted or declined by the other; it flips the leader
  of the next turn to be held; refused under ``fixed``; at most one accepted swap per turn.
- turn actions need an active or paused relationship (``relationship_not_active``); ``next_turn``
  (the number of held meetings) may never go back (``stale_turn_index``).
- every state change records its event in ``events`` for the unit of work to publish.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from app.domain.errors import DomainError, conflict, forbidden, invalid, not_found
from app.domain.events import (
    DomainEvent,
    RelationshipAccepted,
    RelationshipActivated,
    RelationshipCompleted,
    RelationshipEnded,
    RelationshipPaused,
    RelationshipProposed,
    RelationshipResumed,
    TurnPolicyChanged,
    TurnSwapped,
)
from app.domain.health import CheckinSignal, Health, PausePeriod, assess_health
from app.domain.role_turns import (
    AcceptedSwap,
    PolicyPeriod,
    TurnContext,
    TurnPolicy,
    planned_leader,
)

RelationshipStatus = Literal["proposed", "active", "paused", "completed", "ended"]
EndReason = Literal["mismatch", "rematch", "left_organisation", "other", "declined"]
RelationshipSource = Literal["matching", "manual"]
SwapStatus = Literal["pending", "accepted", "declined", "withdrawn"]

_TRANSITIONS: dict[RelationshipStatus, frozenset[RelationshipStatus]] = {
    "proposed": frozenset({"active", "ended"}),
    "active": frozenset({"paused", "completed", "ended"}),
    "paused": frozenset({"active", "completed", "ended"}),
    "completed": frozenset(),
    "ended": frozenset(),
}
_END_REASONS = frozenset({"mismatch", "rematch", "left_organisation", "other"})


@dataclass(frozen=True)
class Agreement:
    """What the pair agreed on: shared goals, cadence (days), boundaries and channels."""

    shared_goals: list[str] = field(default_factory=list)
    cadence_days: int = 14
    boundaries: str = ""
    channels: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 1 <= self.cadence_days <= 365:
            raise invalid(
                "cadence_out_of_range",
                "Cadence must be 1–365 days.",
                path="cadence_days",
            )
        if any(not goal.strip() for goal in self.shared_goals):
            raise invalid(
                "shared_goal_blank",
                "A shared goal cannot be blank.",
                path="shared_goals",
            )
        if any(not channel.strip() for channel in self.channels):
            raise invalid("channel_blank", "A channel cannot be blank.", path="channels")


@dataclass(frozen=True)
class PairExclusion:
    """A pair that must never be proposed again in this program (declined, or rematched)."""

    program_id: UUID
    person_ids: frozenset[UUID]
    relationship_id: UUID
    reason: Literal["declined", "rematch"]
    at: datetime


@dataclass(frozen=True)
class PolicyProposal:
    """A member's proposal to replace the pair's role-turn policy; the other must accept."""

    policy: TurnPolicy
    proposed_by: UUID
    proposed_at: datetime


@dataclass
class SwapRequest:
    """One member asks the other to swap roles for the next turn."""

    id: UUID
    requested_by: UUID
    requested_at: datetime
    status: SwapStatus = "pending"
    turn_index: int | None = None  # set when accepted: the turn it flips
    decided_at: datetime | None = None


def _illegal(from_status: str, to_status: str) -> DomainError:
    return conflict(
        "illegal_relationship_transition",
        f"A relationship cannot go from {from_status} to {to_status}.",
    )


@dataclass(eq=False)
class Relationship:
    """The aggregate: two members, their agreement, acceptances, turn policy, ready and swaps."""

    id: UUID
    program_id: UUID
    member_a_id: UUID
    member_b_id: UUID
    # reverse: the junior who mentors; reciprocal: the first leader (the primary)
    designated_mentor_id: UUID
    senior_member_id: UUID
    program_policy: TurnPolicy
    source: RelationshipSource
    proposed_at: datetime
    agreement: Agreement = field(default_factory=Agreement)
    status: RelationshipStatus = "proposed"
    end_reason: EndReason | None = None
    acceptances: dict[UUID, datetime] = field(default_factory=dict)
    activated_at: datetime | None = None
    closed_at: datetime | None = None
    pauses: list[PausePeriod] = field(default_factory=list)
    policy_overrides: list[PolicyPeriod] = field(default_factory=list)
    policy_proposal: PolicyProposal | None = None
    ready_at_turn: int | None = None
    swaps: list[SwapRequest] = field(default_factory=list)
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def propose(
        cls,
        *,
        id: UUID,
        program_id: UUID,
        member_a_id: UUID,
        member_b_id: UUID,
        designated_mentor_id: UUID,
        senior_member_id: UUID,
        program_policy: TurnPolicy,
        source: RelationshipSource,
        now: datetime,
        agreement: Agreement | None = None,
    ) -> Relationship:
        """Propose a pair (from a matching run or by hand).

        - the members differ; the designated mentor and the senior are members.
        """
        members = {member_a_id, member_b_id}
        if len(members) != 2:
            raise invalid("same_member_twice", "A relationship needs two different people.")
        if designated_mentor_id not in members or senior_member_id not in members:
            raise invalid(
                "mentor_not_a_member",
                "The mentor and the senior must be members of the pair.",
            )
        relationship = cls(
            id=id,
            program_id=program_id,
            member_a_id=member_a_id,
            member_b_id=member_b_id,
            designated_mentor_id=designated_mentor_id,
            senior_member_id=senior_member_id,
            program_policy=program_policy,
            source=source,
            proposed_at=now,
            agreement=agreement or Agreement(),
        )
        relationship.events.append(
            RelationshipProposed(
                relationship_id=id,
                program_id=program_id,
                member_ids=[member_a_id, member_b_id],
                source=source,
            )
        )
        return relationship

    # --- membership ------------------------------------------------------------------------
    @property
    def member_ids(self) -> tuple[UUID, UUID]:
        return (self.member_a_id, self.member_b_id)

    def is_member(self, person_id: UUID) -> bool:
        return person_id in self.member_ids

    def partner_of(self, person_id: UUID) -> UUID:
        self._require_member(person_id)
        return self.member_b_id if person_id == self.member_a_id else self.member_a_id

    @property
    def junior_member_id(self) -> UUID:
        return self.partner_of(self.senior_member_id)

    def _require_member(self, person_id: UUID) -> None:
        if not self.is_member(person_id):
            raise forbidden("not_a_member", "Only the two members of the relationship may do this.")

    # --- lifecycle -------------------------------------------------------------------------
    def _move(self, to_status: RelationshipStatus) -> None:
        if to_status not in _TRANSITIONS[self.status]:
            raise _illegal(self.status, to_status)
        self.status = to_status

    def accept(self, by: UUID, now: datetime) -> None:
        """A member accepts the proposal; when both have, the relationship is active."""
        self._require_member(by)
        if self.status != "proposed":
            raise _illegal(self.status, "active")
        if by in self.acceptances:
            raise conflict("already_accepted", "You already accepted this relationship.")
        self.acceptances[by] = now
        self._record(RelationshipAccepted, person_id=by)
        if len(self.acceptances) == 2:
            self._move("active")
            self.activated_at = now
            self._record(RelationshipActivated)

    def decline(self, by: UUID, now: datetime) -> PairExclusion:
        """A member declines: the relationship ends (``declined``); store the exclusion."""
        self._require_member(by)
        if self.status != "proposed":
            raise _illegal(self.status, "ended")
        self._close("ended", now, "declined")
        return self._exclusion("declined", now)

    def pause(self, now: datetime) -> None:
        self._move("paused")
        self.pauses.append(PausePeriod(started_at=now))
        self._record(RelationshipPaused)

    def resume(self, now: datetime) -> None:
        self._move("active")
        self._end_pause(now)
        self._record(RelationshipResumed)

    def complete(self, now: datetime) -> None:
        self._close("completed", now, None)

    def end(self, reason: EndReason, now: datetime) -> PairExclusion | None:
        """End early; ``rematch`` returns the exclusion the caller must store."""
        if reason not in _END_REASONS:
            raise invalid(
                "invalid_end_reason",
                f"Cannot end a relationship with reason {reason!r}.",
            )
        self._close("ended", now, reason)
        return self._exclusion("rematch", now) if reason == "rematch" else None

    def _close(self, to_status: RelationshipStatus, now: datetime, reason: EndReason | None) -> None:
        self._move(to_status)
        self._end_pause(now)
        self.closed_at = now
        self.end_reason = reason
        self.policy_proposal = None
        for swap in self.swaps:
            if swap.status == "pending":
                swap.status, swap.decided_at = "withdrawn", now
        if reason is None:
            self._record(RelationshipCompleted)
        else:
            self.events.append(RelationshipEnded(relationship_id=self.id, program_id=self.program_id, reason=reason))

    def _end_pause(self, now: datetime) -> None:
        if self.pauses and self.pauses[-1].ended_at is None:
            self.pauses[-1] = PausePeriod(self.pauses[-1].started_at, now)

    def _exclusion(self, reason: Literal["declined", "rematch"], now: datetime) -> PairExclusion:
        return PairExclusion(self.program_id, frozenset(self.member_ids), self.id, reason, now)

    def _record(
        self,
        event: type[
            RelationshipAccepted
            | RelationshipActivated
            | RelationshipPaused
            | RelationshipResumed
            | RelationshipCompleted
        ],
        **fields: UUID,
    ) -> None:
        self.events.append(event(relationship_id=self.id, program_id=self.program_id, **fields))

    # --- agreement -------------------------------------------------------------------------
    def update_agreement(self, by: UUID, agreement: Agreement, now: datetime) -> None:
        """Members (only) rewrite the agreement while the relationship is not closed."""
        self._require_member(by)
        if self.status in ("completed", "ended"):
            raise conflict("relationship_not_active", f"The relationship is {self.status}.")
        self.agreement = agreement

    # --- role-turns ------------------------------------------------------------------------
    @property
    def policy_history(self) -> tuple[PolicyPeriod, ...]:
        periods: dict[int, TurnPolicy] = {0: self.program_policy}
        for override in self.policy_overrides:
            periods[override.from_turn] = override.policy
        return tuple(PolicyPeriod(policy, turn) for turn, policy in sorted(periods.items()))

    @property
    def effective_policy(self) -> TurnPolicy:
        return self.policy_history[-1].policy

    def turn_context(self) -> TurnContext:
        """What the role-turn engine needs to plan this pair's turns."""
        return TurnContext(
            member_a=self.member_a_id,
            member_b=self.member_b_id,
            first_leader_id=self.designated_mentor_id,
            senior_id=self.senior_member_id,
            policy_history=self.policy_history,
            ready_at_turn=self.ready_at_turn,
            swaps=tuple(
                AcceptedSwap(swap.id, swap.turn_index)
                for swap in self.swaps
                if swap.status == "accepted" and swap.turn_index is not None
            ),
        )

    def _require_turn_action(self, by: UUID, next_turn: int | None = None) -> None:
        self._require_member(by)
        if self.status not in ("active", "paused"):
            raise conflict("relationship_not_active", f"The relationship is {self.status}.")
        if next_turn is None:
            return
        known = [period.from_turn for period in self.policy_overrides]
        known += [swap.turn_index for swap in self.swaps if swap.turn_index is not None]
        known += [] if self.ready_at_turn is None else [self.ready_at_turn]
        if next_turn < max(known, default=0):
            raise invalid("stale_turn_index", "More turns were held than this request knows of.")

    def propose_policy(self, by: UUID, policy: TurnPolicy, now: datetime) -> PolicyProposal:
        """A member proposes a new role-turn policy for the pair."""
        self._require_turn_action(by)
        if self.policy_proposal is not None:
            raise conflict("policy_proposal_pending", "A policy proposal is already waiting.")
        if policy == self.effective_policy:
            raise conflict("policy_unchanged", f"The pair already follows {policy.to_str()}.")
        self.policy_proposal = PolicyProposal(policy, by, now)
        return self.policy_proposal

    def accept_policy(self, by: UUID, next_turn: int, now: datetime) -> TurnPolicy:
        """The other member accepts: the policy applies from turn ``next_turn``."""
        self._require_turn_action(by, next_turn)
        proposal = self._pending_proposal()
        if proposal.proposed_by == by:
            raise forbidden("own_proposal", "The other member must accept your proposal.")
        self.policy_overrides = [p for p in self.policy_overrides if p.from_turn != next_turn]
        self.policy_overrides.append(PolicyPeriod(proposal.policy, next_turn))
        self.policy_proposal = None
        self.events.append(
            TurnPolicyChanged(
                relationship_id=self.id,
                program_id=self.program_id,
                policy=proposal.policy.to_str(),
            )
        )
        return proposal.policy

    def decline_policy(self, by: UUID, now: datetime) -> None:
        self._require_turn_action(by)
        if self._pending_proposal().proposed_by == by:
            raise forbidden("own_proposal", "Withdraw your own proposal instead of declining it.")
        self.policy_proposal = None

    def withdraw_policy(self, by: UUID, now: datetime) -> None:
        self._require_turn_action(by)
        if self._pending_proposal().proposed_by != by:
            raise forbidden("not_proposer", "Only the proposer may withdraw a proposal.")
        self.policy_proposal = None

    def _pending_proposal(self) -> PolicyProposal:
        if self.policy_proposal is None:
            raise conflict("no_policy_proposal", "No policy proposal is waiting.")
        return self.policy_proposal

    def declare_ready(self, by: UUID, next_turn: int, now: datetime) -> None:
        """The junior is ready to lead: they lead turn ``next_turn``, then the pair alternates."""
        self._require_turn_action(by, next_turn)
        if by == self.senior_member_id:
            raise forbidden("only_junior_declares_ready", "Only the junior member declares ready.")
        period = self.turn_context().period_at(next_turn)
        if period.policy.kind != "senior_first":
            raise conflict("ready_requires_senior_first", "Ready applies under senior_first only.")
        if self.ready_at_turn is not None:
            raise conflict("already_declared_ready", "You already declared ready.")
        if next_turn - period.from_turn >= period.policy.senior_leads_first:
            raise conflict("senior_turns_over", "The pair already alternates.")
        self.ready_at_turn = next_turn

    def request_swap(self, by: UUID, swap_id: UUID, now: datetime) -> SwapRequest:
        """A member asks to swap roles for the next turn."""
        self._require_turn_action(by)
        self._refuse_swaps_under_fixed(self.effective_policy)
        if any(swap.status == "pending" for swap in self.swaps):
            raise conflict("swap_pending", "A swap request is already waiting.")
        request = SwapRequest(id=swap_id, requested_by=by, requested_at=now)
        self.swaps.append(request)
        return request

    def accept_swap(self, by: UUID, swap_id: UUID, next_turn: int, now: datetime) -> UUID:
        """The other member accepts: turn ``next_turn`` flips. Returns its new leader."""
        self._require_turn_action(by, next_turn)
        request = self._pending_swap(swap_id)
        if request.requested_by == by:
            raise forbidden("own_swap_request", "The other member must accept your swap.")
        self._refuse_swaps_under_fixed(self.turn_context().period_at(next_turn).policy)
        if any(s.status == "accepted" and s.turn_index == next_turn for s in self.swaps):
            raise conflict("swap_already_accepted", "The next turn is already swapped.")
        request.status, request.turn_index, request.decided_at = (
            "accepted",
            next_turn,
            now,
        )
        new_leader = planned_leader(self.turn_context(), next_turn).leader_id
        self.events.append(
            TurnSwapped(
                relationship_id=self.id,
                program_id=self.program_id,
                swap_id=swap_id,
                new_leader_id=new_leader,
            )
        )
        return new_leader

    def decline_swap(self, by: UUID, swap_id: UUID, now: datetime) -> None:
        self._require_turn_action(by)
        request = self._pending_swap(swap_id)
        if request.requested_by == by:
            raise forbidden("own_swap_request", "Withdraw your own swap request instead.")
        request.status, request.decided_at = "declined", now

    def withdraw_swap(self, by: UUID, swap_id: UUID, now: datetime) -> None:
        self._require_turn_action(by)
        request = self._pending_swap(swap_id)
        if request.requested_by != by:
            raise forbidden("not_requester", "Only the requester may withdraw a swap request.")
        request.status, request.decided_at = "withdrawn", now

    def _pending_swap(self, swap_id: UUID) -> SwapRequest:
        for request in self.swaps:
            if request.id == swap_id:
                if request.status != "pending":
                    raise conflict("swap_not_pending", f"The swap request is {request.status}.")
                return request
        raise not_found("swap_request", swap_id)

    @staticmethod
    def _refuse_swaps_under_fixed(policy: TurnPolicy) -> None:
        if not policy.allows_swaps:
            raise conflict("swap_not_allowed_under_fixed", "Under fixed the mentor always leads.")

    # --- health ----------------------------------------------------------------------------
    def health(
        self,
        held_meeting_times: Iterable[datetime],
        now: datetime,
        checkin_signals: Iterable[CheckinSignal] = (),
    ) -> Health:
        """The health signal against the agreed cadence (closed relationships are not judged)."""
        activated = self.activated_at if self.status in ("active", "paused") else None
        return assess_health(
            self.agreement.cadence_days,
            activated,
            held_meeting_times,
            now,
            checkin_signals,
            self.pauses,
        )
