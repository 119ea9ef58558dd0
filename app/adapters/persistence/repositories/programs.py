from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Table, delete, insert, select

from app.adapters.persistence.repositories.base import TrackingRepository
from app.adapters.persistence.tables import (
    CommitteeReviewRow,
    InvitationRow,
    ObjectiveRow,
    ProgramRow,
    ProgramStaffRow,
    ProposalCommentRow,
)
from app.domain.ports import Invitation
from app.domain.programs import (
    CommitteeReview,
    FocusArea,
    Objective,
    Program,
    ProgramKind,
    ProgramStatus,
    ProposalComment,
)

programs: Table = ProgramRow.__table__  # type: ignore[attr-defined]
staff: Table = ProgramStaffRow.__table__  # type: ignore[attr-defined]
objectives: Table = ObjectiveRow.__table__  # type: ignore[attr-defined]
comments: Table = ProposalCommentRow.__table__  # type: ignore[attr-defined]
reviews: Table = CommitteeReviewRow.__table__  # type: ignore[attr-defined]
invitations: Table = InvitationRow.__table__  # type: ignore[attr-defined]

_SCALARS = (
    "id", "name", "description", "cycle_start", "cycle_end", "cadence_days", "role_turn_policy",
    "training_required", "pilot_capacity", "max_relationships_per_person", "guidelines",
    "created_by", "created_at", "updated_at", "version",
)  # fmt: skip


class SqlProgramRepository(TrackingRepository[Program]):
    """Programs with their coordinators, committee and objectives loaded eagerly (2 extra queries)."""

    table = programs
    noun = "program"

    def to_values(self, aggregate: Program) -> dict[str, Any]:
        values = {name: getattr(aggregate, name) for name in _SCALARS}
        values.update(
            kind=aggregate.kind.value,
            status=aggregate.status.value,
            focus_areas=[f.value for f in aggregate.focus_areas],
            matching_rules=dict(aggregate.matching_rules),
            incentives=list(aggregate.incentives),
        )
        return values

    def snapshot(self, aggregate: Program) -> Any:
        return (
            self.to_values(aggregate),
            tuple(aggregate.coordinator_ids),
            tuple(aggregate.committee_member_ids),
            tuple(aggregate.objectives),
        )

    def from_row(self, row: Mapping[str, Any]) -> Program:
        return Program(
            **{name: row[name] for name in _SCALARS},
            kind=ProgramKind(row["kind"]),
            status=ProgramStatus(row["status"]),
            focus_areas=[FocusArea(f) for f in row["focus_areas"]],
            matching_rules=dict(row["matching_rules"]),
            incentives=list(row["incentives"]),
        )

    async def load_children(self, aggregates: Sequence[Program]) -> None:
        by_id = {p.id: p for p in aggregates}
        staff_rows = await self.session.execute(
            select(staff).where(staff.c.program_id.in_(list(by_id))).order_by(staff.c.position)
        )
        for row in staff_rows:
            target = by_id[row.program_id]
            (target.coordinator_ids if row.role == "coordinator" else target.committee_member_ids).append(row.person_id)
        objective_rows = await self.session.execute(
            select(objectives).where(objectives.c.program_id.in_(list(by_id))).order_by(objectives.c.position)
        )
        grouped: dict[UUID, list[Objective]] = defaultdict(list)
        for row in objective_rows:
            grouped[row.program_id].append(
                Objective(id=row.id, metric=row.metric, target=row.target, unit=row.unit, description=row.description)
            )
        for program_id, items in grouped.items():
            by_id[program_id].objectives = items

    async def write_children(self, aggregate: Program, *, new: bool) -> None:
        if not new:
            await self.session.execute(delete(staff).where(staff.c.program_id == aggregate.id))
            await self.session.execute(delete(objectives).where(objectives.c.program_id == aggregate.id))
        staff_values = [
            {"program_id": aggregate.id, "person_id": pid, "role": "coordinator", "position": i}
            for i, pid in enumerate(aggregate.coordinator_ids)
        ] + [
            {"program_id": aggregate.id, "person_id": pid, "role": "committee", "position": i}
            for i, pid in enumerate(aggregate.committee_member_ids)
        ]
        if staff_values:
            await self.session.execute(insert(staff), staff_values)
        if aggregate.objectives:
            await self.session.execute(
                insert(objectives),
                [
                    {
                        "id": o.id,
                        "program_id": aggregate.id,
                        "metric": o.metric,
                        "target": o.target,
                        "unit": o.unit,
                        "description": o.description,
                        "position": i,
                    }
                    for i, o in enumerate(aggregate.objectives)
                ],
            )

    async def get(self, program_id: UUID, *, lock: bool = False) -> Program | None:
        """``lock`` serialises capacity decisions on the program (FOR UPDATE on PostgreSQL;
        SQLite's BEGIN IMMEDIATE already serialises writers)."""
        stmt = select(programs).where(programs.c.id == program_id)
        if lock:
            stmt = stmt.with_for_update()
        return await self._load_one(stmt)

    # --- the proposal discussion and invitations: append-only records, no aggregate rules -------
    async def add_comment(self, comment: ProposalComment) -> None:
        await self.session.execute(insert(comments).values(**vars(comment)))

    async def add_review(self, review: CommitteeReview) -> None:
        await self.session.execute(insert(reviews).values(**{**vars(review), "verdict": review.verdict.value}))

    async def add_invitation(self, invitation: Invitation) -> None:
        await self.session.execute(insert(invitations).values(**vars(invitation)))
