"""The revision that brings back ``learning_goals.objective_id``'s foreign key, on real data: goals
that named a vanished objective are unlinked, nothing else is lost (SQLite rebuilds the table to add
a constraint, which must not take the goals' progress updates with it), and downgrading keeps the
data too."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa

from app.adapters.persistence.db import make_engine
from app.adapters.persistence.migrations import downgrade, upgrade
from app.adapters.persistence.types import JSONValue, UTCDateTime

BEFORE = "2026_11_22_matching_runs"
REVISION = "2026_12_01_goal_objective_fk"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _table(table_name: str, **columns: Any) -> sa.TableClause:
    return sa.table(table_name, *(sa.column(column, type_) for column, type_ in columns.items()))


# The columns as they were at BEFORE (later revisions may add others; these rows do not need them).
people = _table(
    "people", id=sa.Uuid(), email=sa.String(), given_name=sa.String(), family_name=sa.String(),
    seniority=sa.Integer(), attributes=JSONValue, matching_consent=sa.Boolean(), active=sa.Boolean(),
    created_at=UTCDateTime(), updated_at=UTCDateTime(), version=sa.Integer(),
)  # fmt: skip
programs = _table(
    "programs", id=sa.Uuid(), kind=sa.String(), name=sa.String(), description=sa.String(), status=sa.String(),
    focus_areas=JSONValue, cadence_days=sa.Integer(), role_turn_policy=sa.String(), training_required=sa.Boolean(),
    matching_rules=JSONValue, max_relationships_per_person=sa.Integer(), guidelines=sa.String(),
    incentives=JSONValue, created_at=UTCDateTime(), updated_at=UTCDateTime(), version=sa.Integer(),
)  # fmt: skip
objectives = _table(
    "program_objectives", id=sa.Uuid(), program_id=sa.Uuid(), metric=sa.String(), target=sa.Float(),
    unit=sa.String(), position=sa.Integer(),
)  # fmt: skip
relationships = _table(
    "relationships", id=sa.Uuid(), program_id=sa.Uuid(), member_a_id=sa.Uuid(), member_b_id=sa.Uuid(),
    designated_mentor_id=sa.Uuid(), senior_member_id=sa.Uuid(), source=sa.String(), status=sa.String(),
    program_policy=sa.String(), agreement=JSONValue, acceptances=JSONValue, pauses=JSONValue,
    policy_overrides=JSONValue, explanation=sa.String(), health_status=sa.String(), proposed_at=UTCDateTime(),
    version=sa.Integer(),
)  # fmt: skip
goals = _table(
    "learning_goals", id=sa.Uuid(), relationship_id=sa.Uuid(), program_id=sa.Uuid(), owner_id=sa.Uuid(),
    partner_id=sa.Uuid(), title=sa.String(), success_criteria=sa.String(), objective_id=sa.Uuid(),
    status=sa.String(), created_at=UTCDateTime(), version=sa.Integer(),
)  # fmt: skip
progress = _table(
    "goal_progress", goal_id=sa.Uuid(), position=sa.Integer(), at=UTCDateTime(), author_id=sa.Uuid(),
    note=sa.String(), percent=sa.Integer(),
)  # fmt: skip


async def _seed(url: str) -> dict[str, UUID]:
    ids = {name: uuid4() for name in ("sam", "vera", "program", "objective", "pair", "linked", "dangling", "plain")}
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            for person, email in (("sam", "sam@example.com"), ("vera", "vera@example.com")):
                await connection.execute(
                    sa.insert(people).values(
                        id=ids[person], email=email, given_name=person, family_name="Test", seniority=3,
                        attributes={}, matching_consent=False, active=True, created_at=NOW, updated_at=NOW, version=1,
                    )
                )  # fmt: skip
            await connection.execute(
                sa.insert(programs).values(
                    id=ids["program"], kind="reciprocal", name="Exchange", description="", status="active",
                    focus_areas=[], cadence_days=14, role_turn_policy="alternate(1)", training_required=False,
                    matching_rules={}, max_relationships_per_person=1, guidelines="", incentives=[],
                    created_at=NOW, updated_at=NOW, version=1,
                )
            )  # fmt: skip
            await connection.execute(
                sa.insert(objectives).values(
                    id=ids["objective"], program_id=ids["program"], metric="skills", target=70, unit="%", position=0
                )
            )
            await connection.execute(
                sa.insert(relationships).values(
                    id=ids["pair"], program_id=ids["program"], member_a_id=ids["sam"], member_b_id=ids["vera"],
                    designated_mentor_id=ids["vera"], senior_member_id=ids["vera"], source="manual", status="active",
                    program_policy="alternate(1)", agreement={"cadence_days": 14}, acceptances={}, pauses=[],
                    policy_overrides=[], explanation="", health_status="on_track", proposed_at=NOW, version=1,
                )
            )  # fmt: skip
            for goal, objective in (("linked", ids["objective"]), ("dangling", uuid4()), ("plain", None)):
                await connection.execute(
                    sa.insert(goals).values(
                        id=ids[goal], relationship_id=ids["pair"], program_id=ids["program"], owner_id=ids["sam"],
                        partner_id=ids["vera"], title=goal, success_criteria="", objective_id=objective,
                        status="in_progress", created_at=NOW, version=1,
                    )
                )  # fmt: skip
                await connection.execute(
                    sa.insert(progress),
                    [
                        {
                            "goal_id": ids[goal],
                            "position": i,
                            "at": NOW,
                            "author_id": ids["sam"],
                            "note": "",
                            "percent": i,
                        }
                        for i in range(3)
                    ],
                )
    finally:
        await engine.dispose()
    return ids


async def _goals(url: str) -> tuple[dict[UUID, UUID | None], int]:
    """(goal → objective, progress updates stored)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(sa.select(goals.c.id, goals.c.objective_id))
            linked = {row.id: row.objective_id for row in rows}
            updates = await connection.scalar(sa.select(sa.func.count()).select_from(progress))
            return linked, int(updates or 0)
    finally:
        await engine.dispose()


async def test_goals_keep_their_data_and_lose_only_vanished_objectives(empty_database) -> None:
    url = await empty_database("objective_fk")
    await asyncio.to_thread(upgrade, url, BEFORE)
    ids = await _seed(url)

    await asyncio.to_thread(upgrade, url, REVISION)
    linked, updates = await _goals(url)
    assert linked == {ids["linked"]: ids["objective"], ids["dangling"]: None, ids["plain"]: None}
    assert updates == 9, "rebuilding the goals table must not delete their progress updates"

    await asyncio.to_thread(downgrade, url, BEFORE)
    linked, updates = await _goals(url)
    assert linked == {ids["linked"]: ids["objective"], ids["dangling"]: None, ids["plain"]: None}
    assert updates == 9


async def test_removing_an_objective_unlinks_the_goals_that_named_it(empty_database) -> None:
    url = await empty_database("objective_fk")
    await asyncio.to_thread(upgrade, url, BEFORE)
    ids = await _seed(url)
    await asyncio.to_thread(upgrade, url, REVISION)

    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.delete(objectives).where(objectives.c.id == ids["objective"]))
    finally:
        await engine.dispose()
    linked, updates = await _goals(url)
    assert linked[ids["linked"]] is None
    assert updates == 9
