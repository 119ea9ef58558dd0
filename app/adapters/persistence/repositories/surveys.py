"""Surveys, and the three tables that keep answers anonymous (see ``tables/feedback.py``).

The response rows get their ids here, from ``uuid4`` — random, so that not even the order of ids
follows the order of submission (the service's ``IdGenerator`` makes time-ordered UUIDv7s, which
would). Ballots get one too. Neither table has a time column finer than a day.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, and_, delete, exists, func, insert, or_, select

from app.adapters.persistence.repositories.base import TrackingRepository
from app.adapters.persistence.tables import SurveyBallotRow, SurveyLedgerRow, SurveyResponseRow, SurveyRow
from app.domain.surveys import Ballot, MixedResponse, Question, Survey

surveys: Table = SurveyRow.__table__  # type: ignore[attr-defined]
ledger: Table = SurveyLedgerRow.__table__  # type: ignore[attr-defined]
ballots: Table = SurveyBallotRow.__table__  # type: ignore[attr-defined]
responses: Table = SurveyResponseRow.__table__  # type: ignore[attr-defined]

COLUMNS = (
    "id", "program_id", "title", "created_at", "status", "k", "opens_at", "closes_at", "opened_at", "closed_at",
    "version",
)  # fmt: skip


def survey_of(row: Mapping[str, Any]) -> Survey:
    return Survey(**{name: row[name] for name in COLUMNS}, questions=tuple(Question.of(q) for q in row["questions"]))


class SqlSurveyRepository(TrackingRepository[Survey]):
    table = surveys
    noun = "survey"

    def to_values(self, aggregate: Survey) -> dict[str, Any]:
        return {
            **{name: getattr(aggregate, name) for name in COLUMNS},
            "questions": [q.as_dict() for q in aggregate.questions],
        }

    def from_row(self, row: Mapping[str, Any]) -> Survey:
        return survey_of(row)

    async def get(self, survey_id: UUID, *, lock: bool = False) -> Survey | None:
        stmt = select(surveys).where(surveys.c.id == survey_id)
        return await self._load_one(stmt.with_for_update() if lock else stmt)

    async def on_schedule(self, now: datetime) -> list[Survey]:
        return await self._load(
            select(surveys)
            .where(
                or_(
                    and_(surveys.c.status == "draft", surveys.c.opens_at.is_not(None), surveys.c.opens_at <= now),
                    and_(surveys.c.status == "open", surveys.c.closes_at.is_not(None), surveys.c.closes_at <= now),
                )
            )
            .order_by(surveys.c.id)
        )

    async def has_answered(self, survey_id: UUID, person_id: UUID) -> bool:
        found = await self.session.scalar(
            select(exists().where(ledger.c.survey_id == survey_id, ledger.c.person_id == person_id))
        )
        return bool(found)

    async def record_answered(self, survey_id: UUID, person_id: UUID) -> None:
        await self.session.execute(insert(ledger).values(survey_id=survey_id, person_id=person_id))

    async def drop_ballot(self, survey_id: UUID, ballot: Ballot) -> None:
        await self.session.execute(
            insert(ballots).values(id=uuid.uuid4(), survey_id=survey_id, answers=ballot.answers, groups=ballot.groups)
        )

    async def ballots_waiting(self, survey_id: UUID) -> int:
        return int(await self.session.scalar(select(func.count()).where(ballots.c.survey_id == survey_id)) or 0)

    async def take_ballots(self, survey_id: UUID) -> list[Ballot]:
        rows = (await self.session.execute(select(ballots).where(ballots.c.survey_id == survey_id))).mappings().all()
        if rows:
            await self.session.execute(delete(ballots).where(ballots.c.survey_id == survey_id))
        return [Ballot(dict(row["answers"]), dict(row["groups"])) for row in rows]

    async def store_mixed(self, survey_id: UUID, mixed: Sequence[MixedResponse]) -> None:
        if mixed:
            await self.session.execute(
                insert(responses),
                [
                    {"id": uuid.uuid4(), "survey_id": survey_id, "day": r.day, "answers": r.answers, "groups": r.groups}
                    for r in mixed
                ],
            )
