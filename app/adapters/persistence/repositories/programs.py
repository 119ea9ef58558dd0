from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Table, insert, select

from app.adapters.persistence.repositories.base import ChildRows, TrackingRepository
from app.adapters.persistence.tables import (
    CommitteeReviewRow,
    InvitationRow,
    ObjectiveRow,
    ProgramRow,
    ProgramStaffRow,
    ProposalCommentRow,
)
from app.domain.programs import FocusArea, Objective, Program, ProgramKind, ProgramStatus
from app.domain.proposals import CommitteeReview, Invitation, ProposalComment

programs: Table = ProgramRow.__table__  # type: ignore[attr-defined]
staff: Table = ProgramStaffRow.__table__  # type: ignore[attr-defined]
objectives: Table = ObjectiveRow.__table__  # type: ignore[attr-defined]
comments: Table = ProposalCommentRow.__table__  # type: ignore[attr-defined]
reviews: Table = CommitteeReviewRow.__table__  # type: ignore[attr-defined]
invitations: Table = InvitationRow.__table__  # type: ignore[attr-defined]

_SCALARS = (
    "id", "name", "description", "cycle_start", "cycle_end", "cadence_days", "checkin_after_meeting",
    "checkin_every_days", "role_turn_policy",
    "training_required", "pilot_capacity", "max_relationships_per_person", "guidelines",
    "created_by", "created_at", "updated_at", "version",
)  # fmt: skip


def _staff_rows(program: Program) -> list[dict[str, Any]]:
    return [
        {"program_id": program.id, "person_id": person_id, "role": role, "position": i}
        for role, people in (("coordinator", program.coordinator_ids), ("committee", program.committee_member_ids))
        for i, person_id in enumerate(people)
    ]


def _objective_rows(program: Program) -> list[dict[str, Any]]:
    return [
        {
            "id": o.id,
            "program_id": program.id,
            "metric": o.metric,
            "target": o.target,
            "unit": o.unit,
            "description": o.description,
            "position": i,
        }
        for i, o in enumerate(program.objectives)
    ]


class SqlProgramRepository(TrackingRepository[Program]):
    """Programs with their coordinators, committee and objectives loaded eagerly (2 extra queries).

    Objectives keep their ids across edits (only the objectives added, changed or removed are
    written), so learning goals can reference them with a foreign key.
    """

    table = programs
    noun = "program"
    children = (
        ChildRows(staff, ("program_id", "person_id", "role"), _staff_rows),
        ChildRows(objectives, ("id",), _objective_rows),
    )

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
