"""Role-turns: who leads the next meeting and why, the ledger of who led, the balance."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.domain import role_turns
from app.graphql.enums import SwapStatus, TurnReasonCode
from app.graphql.types.base import build, enum
from app.services.turns import TurnsView


@strawberry.type(description="Who leads turn `turnIndex` (the turnIndex-th held meeting, from 0) and why.")
class TurnDecision:
    turn_index: int
    leader_id: UUID
    reason_code: TurnReasonCode
    reason: str
    policy: str

    @classmethod
    def of(cls, decision: role_turns.TurnDecision) -> TurnDecision:
        return build(
            cls, decision, reason_code=enum(TurnReasonCode, decision.reason_code), policy=decision.policy.to_str()
        )


@strawberry.type(description="A scheduled meeting and the leader the policy projects for it.")
class PlannedTurn:
    meeting_id: UUID
    starts_at: datetime
    turn_index: int
    leader_id: UUID
    reason_code: TurnReasonCode


@strawberry.type(description="A held meeting: who the policy planned to lead it and who actually did.")
class LedgerLine:
    meeting_id: UUID
    starts_at: datetime
    turn_index: int
    planned_leader_id: UUID
    actual_leader_id: UUID
    reason_code: TurnReasonCode
    drifted: bool


@strawberry.type
class MemberTurns:
    person_id: UUID
    led: int = strawberry.field(description="Held turns this member actually led.")
    planned: int = strawberry.field(description="Held turns the policy planned for this member.")
    share: float = strawberry.field(description="Share of held turns this member led (0–1).")


@strawberry.type
class TurnBalance:
    held: int
    members: list[MemberTurns]
    drift_count: int = strawberry.field(description="Held turns led by someone other than the planned leader.")
    drift_share: float
    imbalance: int = strawberry.field(description="Turns led by the first member minus turns led by the second.")
    imbalance_vs_plan: int = strawberry.field(description="Turns the first member led minus turns planned for them.")


@strawberry.type
class PolicyPeriod:
    policy: str
    from_turn: int


@strawberry.type(description="A member's request to swap roles for the next turn.")
class Swap:
    id: UUID
    requested_by: UUID
    requested_at: datetime
    status: SwapStatus
    turn_index: int | None = strawberry.field(description="The turn an accepted swap flipped.")
    decided_at: datetime | None


@strawberry.type(description="A role-turn policy one member proposed and the other has not answered yet.")
class PolicyProposal:
    policy: str
    proposed_by: UUID
    proposed_at: datetime


@strawberry.type(description="The turn-taking state of a pair. Every turn action answers with it.")
class Turns:
    relationship_id: UUID
    program_policy: str
    effective_policy: str
    policy_history: list[PolicyPeriod]
    policy_proposal: PolicyProposal | None
    ready_at_turn: int | None
    held_turns: int = strawberry.field(description="Held meetings so far: the index of the next turn.")
    next: TurnDecision
    planned: list[PlannedTurn]
    ledger: list[LedgerLine]
    balance: TurnBalance
    swaps: list[Swap]
    relationship_version: int = strawberry.field(description="Send it back as `expectedVersion` on turn actions.")

    @classmethod
    def of(cls, turns: TurnsView) -> Turns:
        r = turns.relationship
        b = turns.balance
        proposal = r.policy_proposal
        return cls(
            relationship_id=r.id,
            program_policy=r.program_policy.to_str(),
            effective_policy=r.effective_policy.to_str(),
            policy_history=[PolicyPeriod(policy=p.policy.to_str(), from_turn=p.from_turn) for p in r.policy_history],
            policy_proposal=None
            if proposal is None
            else PolicyProposal(
                policy=proposal.policy.to_str(), proposed_by=proposal.proposed_by, proposed_at=proposal.proposed_at
            ),
            ready_at_turn=r.ready_at_turn,
            held_turns=turns.held,
            next=TurnDecision.of(turns.next),
            planned=[
                PlannedTurn(
                    meeting_id=p.meeting_id,
                    starts_at=p.starts_at,
                    turn_index=p.decision.turn_index,
                    leader_id=p.decision.leader_id,
                    reason_code=enum(TurnReasonCode, p.decision.reason_code),
                )
                for p in turns.planned
            ],
            ledger=[
                build(LedgerLine, line, reason_code=enum(TurnReasonCode, line.reason_code)) for line in turns.ledger
            ],
            balance=TurnBalance(
                held=b.held,
                members=[
                    MemberTurns(person_id=m.member_id, led=m.led, planned=m.planned, share=m.share)
                    for m in (b.member_a, b.member_b)
                ],
                drift_count=b.drift_count,
                drift_share=b.drift_share,
                imbalance=b.imbalance,
                imbalance_vs_plan=b.imbalance_vs_plan,
            ),
            swaps=[build(Swap, s, status=enum(SwapStatus, s.status)) for s in r.swaps],
            relationship_version=r.version,
        )
