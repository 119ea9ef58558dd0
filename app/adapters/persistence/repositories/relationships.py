from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.adapters.persistence.repositories.base import (
    ID_CHUNK,
    ChildRows,
    TrackingRepository,
    chunks,
    page_of,
    paginate,
)
from app.adapters.persistence.tables import PairExclusionRow, RelationshipRow, TurnSwapRow
from app.domain.health import PausePeriod
from app.domain.ports import Page, PageRequest, RelationshipFilter
from app.domain.relationships import (
    LIVE_STATUSES,
    Agreement,
    PairExclusion,
    PolicyProposal,
    Relationship,
    SwapRequest,
)
from app.domain.turn_policies import PolicyPeriod, TurnPolicy

relationships: Table = RelationshipRow.__table__  # type: ignore[attr-defined]
swaps: Table = TurnSwapRow.__table__  # type: ignore[attr-defined]
exclusions: Table = PairExclusionRow.__table__  # type: ignore[attr-defined]

_SCALARS = (
    "id", "program_id", "member_a_id", "member_b_id", "designated_mentor_id", "senior_member_id", "source",
    "status", "end_reason", "ready_at_turn", "score", "explanation", "health_status", "proposed_at",
    "activated_at", "closed_at", "version",
)  # fmt: skip


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _swap_rows(relationship: Relationship) -> builtins.list[dict[str, Any]]:
    return [{**vars(swap), "relationship_id": relationship.id} for swap in relationship.swaps]


class SqlRelationshipRepository(TrackingRepository[Relationship]):
    """Relationships with their swap requests (one extra query); small value lists are JSON."""

    table = relationships
    noun = "relationship"
    children = (ChildRows(swaps, ("id",), _swap_rows),)

    def to_values(self, aggregate: Relationship) -> dict[str, Any]:
        values = {name: getattr(aggregate, name) for name in _SCALARS}
        agreement = aggregate.agreement
        proposal = aggregate.policy_proposal
        values.update(
            program_policy=aggregate.program_policy.to_str(),
            agreement={
                "shared_goals": list(agreement.shared_goals),
                "cadence_days": agreement.cadence_days,
                "boundaries": agreement.boundaries,
                "channels": list(agreement.channels),
            },
            acceptances={str(person): at.isoformat() for person, at in aggregate.acceptances.items()},
            pauses=[{"started_at": _iso(p.started_at), "ended_at": _iso(p.ended_at)} for p in aggregate.pauses],
            policy_overrides=[
                {"policy": p.policy.to_str(), "from_turn": p.from_turn} for p in aggregate.policy_overrides
            ],
            policy_proposal=None
            if proposal is None
            else {
                "policy": proposal.policy.to_str(),
                "proposed_by": str(proposal.proposed_by),
                "proposed_at": proposal.proposed_at.isoformat(),
            },
        )
        return values

    def from_row(self, row: Mapping[str, Any]) -> Relationship:
        proposal = row["policy_proposal"]
        return Relationship(
            **{name: row[name] for name in _SCALARS},
            program_policy=TurnPolicy.parse(row["program_policy"]),
            agreement=Agreement(**row["agreement"]),
            acceptances={UUID(person): datetime.fromisoformat(at) for person, at in row["acceptances"].items()},
            pauses=[PausePeriod(datetime.fromisoformat(p["started_at"]), _time(p["ended_at"])) for p in row["pauses"]],
            policy_overrides=[
                PolicyPeriod(TurnPolicy.parse(p["policy"]), int(p["from_turn"])) for p in row["policy_overrides"]
            ],
            policy_proposal=None
            if proposal is None
            else PolicyProposal(
                TurnPolicy.parse(proposal["policy"]),
                UUID(proposal["proposed_by"]),
                datetime.fromisoformat(proposal["proposed_at"]),
            ),
        )

    async def load_children(self, aggregates: Sequence[Relationship]) -> None:
        by_id = {r.id: r for r in aggregates}
        rows = await self.session.execute(
            select(swaps).where(swaps.c.relationship_id.in_(list(by_id))).order_by(swaps.c.id)
        )
        for row in rows.mappings():
            by_id[row["relationship_id"]].swaps.append(
                SwapRequest(
                    id=row["id"],
                    requested_by=row["requested_by"],
                    requested_at=row["requested_at"],
                    status=row["status"],
                    turn_index=row["turn_index"],
                    decided_at=row["decided_at"],
                )
            )

    async def get(self, relationship_id: UUID) -> Relationship | None:
        return await self._load_one(select(relationships).where(relationships.c.id == relationship_id))

    async def list(self, flt: RelationshipFilter, page: PageRequest) -> Page[Relationship]:
        stmt = select(relationships)
        if flt.program_id is not None:
            stmt = stmt.where(relationships.c.program_id == flt.program_id)
        if flt.statuses:
            stmt = stmt.where(relationships.c.status.in_(sorted(flt.statuses)))
        if flt.person_id is not None:
            stmt = stmt.where(
                or_(relationships.c.member_a_id == flt.person_id, relationships.c.member_b_id == flt.person_id)
            )
        items = await self._load(paginate(stmt, relationships.c.id, page))
        return page_of(items, page, key=lambda r: r.id)

    async def live_of(self, person_id: UUID, program_id: UUID | None = None) -> builtins.list[Relationship]:
        stmt = select(relationships).where(
            or_(relationships.c.member_a_id == person_id, relationships.c.member_b_id == person_id),
            relationships.c.status.in_(sorted(LIVE_STATUSES)),
        )
        if program_id is not None:
            stmt = stmt.where(relationships.c.program_id == program_id)
        # judged on the aggregates, not the rows: a pair closed earlier in this unit of work (not yet
        # written) is no longer live, and pairs proposed in it (a matching run publishes many) are
        found = [r for r in await self._load(stmt.order_by(relationships.c.id)) if r.is_live]
        found += [
            r
            for r in self._new
            if r.is_member(person_id) and r.is_live and (program_id is None or r.program_id == program_id)
        ]
        return found

    async def live_pairs(self, program_id: UUID, person_ids: Sequence[UUID]) -> builtins.list[tuple[UUID, UUID]]:
        """The members of the program's live relationships that include one of ``person_ids``."""
        wanted = builtins.list(dict.fromkeys(person_ids))
        found: dict[UUID, tuple[UUID, UUID]] = {}
        for chunk in chunks(wanted, ID_CHUNK // 2):
            rows = await self.session.execute(
                select(relationships.c.id, relationships.c.member_a_id, relationships.c.member_b_id).where(
                    relationships.c.program_id == program_id,
                    relationships.c.status.in_(sorted(LIVE_STATUSES)),
                    or_(relationships.c.member_a_id.in_(chunk), relationships.c.member_b_id.in_(chunk)),
                )
            )
            found.update({row.id: (row.member_a_id, row.member_b_id) for row in rows})
        # what this unit of work changed and has not written yet wins over the rows: pairs closed
        # or proposed earlier in it (a matching run publishes many)
        members = set(wanted)
        for relationship in self._seen.values():
            if relationship.program_id != program_id:
                continue
            if relationship.is_live and members.intersection(relationship.member_ids):
                found[relationship.id] = relationship.member_ids
            else:
                found.pop(relationship.id, None)
        return builtins.list(found.values())

    async def exclusions(self, program_id: UUID) -> frozenset[frozenset[UUID]]:
        rows = await self.session.execute(
            select(exclusions.c.person_low_id, exclusions.c.person_high_id).where(exclusions.c.program_id == program_id)
        )
        return frozenset(frozenset((low, high)) for low, high in rows)

    async def add_exclusion(self, exclusion: PairExclusion, *, exclusion_id: UUID) -> None:
        low, high = sorted(exclusion.person_ids, key=lambda person: person.bytes)
        values = {
            "id": exclusion_id,
            "program_id": exclusion.program_id,
            "person_low_id": low,
            "person_high_id": high,
            "relationship_id": exclusion.relationship_id,
            "reason": exclusion.reason,
            "created_at": exclusion.at,
        }
        dialect = self.session.get_bind().dialect.name
        statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(exclusions).values(**values)
        await self.session.execute(
            statement.on_conflict_do_nothing(index_elements=["program_id", "person_low_id", "person_high_id"])
        )
