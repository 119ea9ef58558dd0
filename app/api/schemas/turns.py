from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from app.api.schemas.base import Input, Output, TurnPolicyText
from app.api.schemas.enums import SwapStatus, TurnReasonCode
from app.domain.role_turns import LedgerLine, MemberTurns, PlannedTurn, TurnDecision
from app.services.turns import TurnsView


class PolicyProposalIn(Input):
    policy: TurnPolicyText


class TurnDecisionOut(Output):
    """Who leads turn ``turn_index`` (the ``turn_index``-th held meeting, from 0) and why."""

    turn_index: int
    leader_id: UUID
    reason_code: TurnReasonCode
    reason: str
    policy: str

    @classmethod
    def of(cls, decision: TurnDecision) -> TurnDecisionOut:
        return cls(
            turn_index=decision.turn_index,
            leader_id=decision.leader_id,
            reason_code=decision.reason_code,
            reason=decision.reason,
            policy=decision.policy.to_str(),
        )


class PlannedTurnOut(Output):
    """A scheduled meeting and the leader the policy projects for it (re-planned on every change)."""

    meeting_id: UUID
    starts_at: datetime
    turn_index: int
    leader_id: UUID
    reason_code: TurnReasonCode

    @classmethod
    def of(cls, planned: PlannedTurn) -> PlannedTurnOut:
        return cls(
            meeting_id=planned.meeting_id,
            starts_at=planned.starts_at,
            turn_index=planned.decision.turn_index,
            leader_id=planned.decision.leader_id,
            reason_code=planned.decision.reason_code,
        )


class LedgerLineOut(Output):
    """A held meeting: who the policy planned to lead it and who actually did."""

    meeting_id: UUID
    starts_at: datetime
    turn_index: int
    planned_leader_id: UUID
    actual_leader_id: UUID
    reason_code: TurnReasonCode
    drifted: bool

    @classmethod
    def of(cls, line: LedgerLine) -> LedgerLineOut:
        return cls(
            meeting_id=line.meeting_id,
            starts_at=line.starts_at,
            turn_index=line.turn_index,
            planned_leader_id=line.planned_leader_id,
            actual_leader_id=line.actual_leader_id,
            reason_code=line.reason_code,
            drifted=line.drifted,
        )


class MemberTurnsOut(Output):
    person_id: UUID
    led: int = Field(description="Held turns this member actually led.")
    planned: int = Field(description="Held turns the policy planned for this member.")
    share: float = Field(description="Share of held turns this member led (0–1).")

    @classmethod
    def of(cls, member: MemberTurns) -> MemberTurnsOut:
        return cls(person_id=member.member_id, led=member.led, planned=member.planned, share=member.share)


class BalanceOut(Output):
    held: int
    members: list[MemberTurnsOut]
    drift_count: int = Field(description="Held turns led by someone other than the planned leader.")
    drift_share: float
    imbalance: int = Field(description="Turns led by the first member minus turns led by the second.")
    imbalance_vs_plan: int = Field(description="Turns the first member led minus turns planned for them.")


class PolicyPeriodOut(Output):
    policy: str
    from_turn: int


class SwapOut(Output):
    id: UUID
    requested_by: UUID
    requested_at: datetime
    status: SwapStatus
    turn_index: int | None = Field(description="The turn an accepted swap flipped.")
    decided_at: datetime | None


class PendingProposalOut(Output):
    policy: str
    proposed_by: UUID
    proposed_at: datetime


class TurnsOut(Output):
    """The turn-taking state of a pair. Every turn action answers with it."""

    relationship_id: UUID
    program_policy: str
    effective_policy: str
    policy_history: list[PolicyPeriodOut]
    policy_proposal: PendingProposalOut | None
    ready_at_turn: int | None
    held_turns: int = Field(description="Held meetings so far: the index of the next turn.")
    next: TurnDecisionOut
    planned: list[PlannedTurnOut]
    ledger: list[LedgerLineOut]
    balance: BalanceOut
    swaps: list[SwapOut]
    relationship_version: int = Field(description="Send it back as `If-Match` on turn actions (also the ETag).")

    @classmethod
    def of(cls, turns: TurnsView) -> TurnsOut:
        r = turns.relationship
        proposal = r.policy_proposal
        b = turns.balance
        return cls(
            relationship_id=r.id,
            program_policy=r.program_policy.to_str(),
            effective_policy=r.effective_policy.to_str(),
            policy_history=[PolicyPeriodOut(policy=p.policy.to_str(), from_turn=p.from_turn) for p in r.policy_history],
            policy_proposal=None
            if proposal is None
            else PendingProposalOut(
                policy=proposal.policy.to_str(), proposed_by=proposal.proposed_by, proposed_at=proposal.proposed_at
            ),
            ready_at_turn=r.ready_at_turn,
            held_turns=turns.held,
            next=TurnDecisionOut.of(turns.next),
            planned=[PlannedTurnOut.of(p) for p in turns.planned],
            ledger=[LedgerLineOut.of(line) for line in turns.ledger],
            balance=BalanceOut(
                held=b.held,
                members=[MemberTurnsOut.of(b.member_a), MemberTurnsOut.of(b.member_b)],
                drift_count=b.drift_count,
                drift_share=b.drift_share,
                imbalance=b.imbalance,
                imbalance_vs_plan=b.imbalance_vs_plan,
            ),
            swaps=[SwapOut.model_validate(s) for s in r.swaps],
            relationship_version=r.version,
        )
