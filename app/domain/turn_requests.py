"""Turn requests: what a pair asks of each other about who leads — policy overrides, the junior's
ready declaration and swaps. Mixed into :class:`app.domain.relationships.Relationship`.

Rules:
- only the two members propose or accept a policy override, declare ready or swap turns; anyone
  else gets ``not_a_member`` (forbidden).
- the program's role-turn policy is copied when the relationship is proposed; a pair may replace
  it by mutual agreement: one member proposes, the other accepts (the proposer may withdraw, the
  other may decline). It takes effect from the next turn and counts its pattern from there.
- only the junior (the member who is not the senior) declares ready, once, while ``senior_first``
  is in force and the senior's K turns are not over.
- a swap is requested by one member and accepted or declined by the other; it flips the leader
  of the next turn to be held; refused under ``fixed``; at most one accepted swap per turn.
- turn actions need an active or paused relationship (``relationship_not_active``); ``next_turn``
  (the number of held meetings) may never go back (``stale_turn_index``).
- every request and decision records its event (ids and the policy text, never private text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from app.domain.errors import conflict, forbidden, invalid, not_found
from app.domain.events import (
    DomainEvent,
    TurnJuniorReady,
    TurnPolicyChanged,
    TurnPolicyDeclined,
    TurnPolicyProposed,
    TurnPolicyWithdrawn,
    TurnSwapDeclined,
    TurnSwapped,
    TurnSwapRequested,
    TurnSwapWithdrawn,
)
from app.domain.role_turns import AcceptedSwap, TurnContext, planned_leader
from app.domain.turn_policies import PolicyPeriod, TurnPolicy

SwapStatus = Literal["pending", "accepted", "declined", "withdrawn"]


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


class TurnRequests:
    """The turn-taking half of a relationship; the dataclass that mixes it in holds the fields."""

    id: UUID
    program_id: UUID
    member_a_id: UUID
    member_b_id: UUID
    designated_mentor_id: UUID
    senior_member_id: UUID
    program_policy: TurnPolicy
    status: str
    policy_overrides: list[PolicyPeriod]
    policy_proposal: PolicyProposal | None
    ready_at_turn: int | None
    swaps: list[SwapRequest]
    events: list[DomainEvent]

    # --- membership ------------------------------------------------------------------------
    @property
    def member_ids(self) -> tuple[UUID, UUID]:
        return (self.member_a_id, self.member_b_id)

    def is_member(self, person_id: UUID | None) -> bool:
        return person_id is not None and person_id in self.member_ids

    def _require_member(self, person_id: UUID) -> None:
        if not self.is_member(person_id):
            raise forbidden("not_a_member", "Only the two members of the relationship may do this.")

    def partner_of(self, person_id: UUID) -> UUID:
        self._require_member(person_id)
        return self.member_b_id if person_id == self.member_a_id else self.member_a_id

    @property
    def junior_member_id(self) -> UUID:
        return self.partner_of(self.senior_member_id)

    # --- policy ----------------------------------------------------------------------------
    @property
    def policy_history(self) -> tuple[PolicyPeriod, ...]:
        periods: dict[int, TurnPolicy] = {0: self.program_policy}
        for override in self.policy_overrides:
            periods[override.from_turn] = override.policy
        return tuple(PolicyPeriod(policy, turn) for turn, policy in sorted(periods.items()))

    @property
    def effective_policy(self) -> TurnPolicy:
        return self.policy_history[-1].policy

    @property
    def pending_swap(self) -> SwapRequest | None:
        return next((swap for swap in self.swaps if swap.status == "pending"), None)

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
        self.events.append(
            TurnPolicyProposed(
                relationship_id=self.id, program_id=self.program_id, proposed_by=by, policy=policy.to_str()
            )
        )
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
                from_turn=next_turn,
            )
        )
        return proposal.policy

    def decline_policy(self, by: UUID) -> None:
        """The other member declines the proposal; the pair keeps its policy."""
        self._require_turn_action(by)
        if self._pending_proposal().proposed_by == by:
            raise forbidden("own_proposal", "Withdraw your own proposal instead of declining it.")
        self.policy_proposal = None
        self.events.append(TurnPolicyDeclined(relationship_id=self.id, program_id=self.program_id, person_id=by))

    def withdraw_policy(self, by: UUID) -> None:
        self._require_turn_action(by)
        if self._pending_proposal().proposed_by != by:
            raise forbidden("not_proposer", "Only the proposer may withdraw a proposal.")
        self.policy_proposal = None
        self.events.append(TurnPolicyWithdrawn(relationship_id=self.id, program_id=self.program_id, person_id=by))

    def _pending_proposal(self) -> PolicyProposal:
        if self.policy_proposal is None:
            raise conflict("no_policy_proposal", "No policy proposal is waiting.")
        return self.policy_proposal

    # --- ready -----------------------------------------------------------------------------
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
        self.events.append(
            TurnJuniorReady(relationship_id=self.id, program_id=self.program_id, person_id=by, turn_index=next_turn)
        )

    # --- swaps -----------------------------------------------------------------------------
    def request_swap(self, by: UUID, swap_id: UUID, now: datetime) -> SwapRequest:
        """A member asks to swap roles for the next turn."""
        self._require_turn_action(by)
        self._refuse_swaps_under_fixed(self.effective_policy)
        if self.pending_swap is not None:
            raise conflict("swap_pending", "A swap request is already waiting.")
        request = SwapRequest(id=swap_id, requested_by=by, requested_at=now)
        self.swaps.append(request)
        self.events.append(
            TurnSwapRequested(relationship_id=self.id, program_id=self.program_id, swap_id=swap_id, requested_by=by)
        )
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
        request.status, request.turn_index, request.decided_at = "accepted", next_turn, now
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
        self.events.append(
            TurnSwapDeclined(relationship_id=self.id, program_id=self.program_id, swap_id=swap_id, person_id=by)
        )

    def withdraw_swap(self, by: UUID, swap_id: UUID, now: datetime) -> None:
        self._require_turn_action(by)
        request = self._pending_swap(swap_id)
        if request.requested_by != by:
            raise forbidden("not_requester", "Only the requester may withdraw a swap request.")
        request.status, request.decided_at = "withdrawn", now
        self.events.append(
            TurnSwapWithdrawn(relationship_id=self.id, program_id=self.program_id, swap_id=swap_id, person_id=by)
        )

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
