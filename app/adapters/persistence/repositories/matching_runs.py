from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import RowMapping, Table, insert, select, update

from app.adapters.persistence.repositories.base import TrackingRepository, page_of, paginate
from app.adapters.persistence.tables.matching import MatchingProposalRow, MatchingRunRow, MatchingUnmatchedRow
from app.domain.matching import Factor, ProposedPair, Unmatched
from app.domain.matching_runs import MatchingRun, RunStatus, outcome_from_mapping
from app.domain.ports import Page, PageRequest

runs: Table = MatchingRunRow.__table__  # type: ignore[attr-defined]
proposals: Table = MatchingProposalRow.__table__  # type: ignore[attr-defined]
unmatched: Table = MatchingUnmatchedRow.__table__  # type: ignore[attr-defined]
T = TypeVar("T")

_SCALARS = (
    "id", "program_id", "started_by", "created_at", "pool_size", "based_on", "progress", "error",
    "started_at", "finished_at", "published_at", "version", "dry_run", "settings_overrides",
)  # fmt: skip


def _pairs(value: Sequence[Sequence[str]]) -> list[tuple[UUID, UUID]]:
    return [(UUID(a), UUID(b)) for a, b in value]


class SqlMatchingRunRepository(TrackingRepository[MatchingRun]):
    table = runs
    noun = "matching run"

    def to_values(self, aggregate: MatchingRun) -> dict[str, Any]:
        values = {name: getattr(aggregate, name) for name in _SCALARS}
        values.update(
            status=aggregate.status.value,
            pins=[[str(a), str(b)] for a, b in aggregate.pins],
            forbids=[[str(a), str(b)] for a, b in aggregate.forbids],
            outcome=None
            if aggregate.outcome is None
            else {**asdict(aggregate.outcome), "notes": list(aggregate.outcome.notes)},
        )
        return values

    def from_row(self, row: Mapping[str, Any]) -> MatchingRun:
        outcome = row["outcome"]
        return MatchingRun(
            **{name: row[name] for name in _SCALARS},
            status=RunStatus(row["status"]),
            pins=_pairs(row["pins"]),
            forbids=_pairs(row["forbids"]),
            outcome=None if outcome is None else outcome_from_mapping(outcome),
        )

    async def get(self, run_id: UUID) -> MatchingRun | None:
        return await self._load_one(select(runs).where(runs.c.id == run_id))

    async def list(self, program_id: UUID, page: PageRequest) -> Page[MatchingRun]:
        items = await self._load(paginate(select(runs).where(runs.c.program_id == program_id), runs.c.id, page))
        return page_of(items, page, key=lambda r: r.id)

    async def set_progress(self, run_id: UUID, fraction: float) -> None:
        """Progress is a hint for pollers, written outside the aggregate's version."""
        await self.session.execute(update(runs).where(runs.c.id == run_id).values(progress=fraction))

    async def save_result(
        self, run_id: UUID, pairs: Sequence[ProposedPair], left: Sequence[Unmatched], new_id: Callable[[], UUID]
    ) -> None:
        if pairs:
            await self.session.execute(
                insert(proposals),
                [
                    {
                        "id": new_id(),
                        "run_id": run_id,
                        "position": i,
                        "enrollment_a_id": p.enrollment_ids[0],
                        "enrollment_b_id": p.enrollment_ids[1],
                        "person_a_id": p.person_ids[0],
                        "person_b_id": p.person_ids[1],
                        "mentor_enrollment_id": p.mentor_enrollment_id,
                        "score": p.score,
                        "factors": [asdict(f) for f in p.factors],
                        "summary": p.summary,
                        "pinned": p.pinned,
                    }
                    for i, p in enumerate(pairs)
                ],
            )
        if left:
            await self.session.execute(
                insert(unmatched),
                [
                    {
                        "id": new_id(),
                        "run_id": run_id,
                        "position": i,
                        "enrollment_id": u.enrollment_id,
                        "person_id": u.person_id,
                        "reason": u.reason,
                        "detail": u.detail,
                    }
                    for i, u in enumerate(left)
                ],
            )

    async def proposals(self, run_id: UUID, page: PageRequest) -> Page[ProposedPair]:
        return await self._page(proposals, run_id, page, _proposal)

    async def all_proposals(self, run_id: UUID) -> builtins.list[ProposedPair]:
        """Every proposal of the run in the engine's order (pinned first, then best score first)."""
        stmt = select(proposals).where(proposals.c.run_id == run_id).order_by(proposals.c.position)
        return [_proposal(row) for row in (await self.session.execute(stmt)).mappings()]

    async def unmatched(self, run_id: UUID, page: PageRequest) -> Page[Unmatched]:
        return await self._page(unmatched, run_id, page, _unmatched)

    async def _page(self, table: Table, run_id: UUID, page: PageRequest, item: Callable[[RowMapping], T]) -> Page[T]:
        stmt = paginate(select(table).where(table.c.run_id == run_id), table.c.id, page)
        rows = (await self.session.execute(stmt)).mappings().all()
        window = page_of(builtins.list(rows), page, key=lambda row: row["id"])
        return Page(items=[item(row) for row in window.items], next_after=window.next_after)


def _proposal(row: RowMapping) -> ProposedPair:
    return ProposedPair(
        enrollment_ids=(row["enrollment_a_id"], row["enrollment_b_id"]),
        person_ids=(row["person_a_id"], row["person_b_id"]),
        mentor_enrollment_id=row["mentor_enrollment_id"],
        score=row["score"],
        factors=tuple(Factor(**f) for f in row["factors"]),
        summary=row["summary"],
        pinned=row["pinned"],
    )


def _unmatched(row: RowMapping) -> Unmatched:
    return Unmatched(
        enrollment_id=row["enrollment_id"], person_id=row["person_id"], reason=row["reason"], detail=row["detail"]
    )
