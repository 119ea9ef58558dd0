"""Check-ins, surveys and concerns as screens see them.

Check-ins: their author and the program's coordinators (admins too) — never the partner.
Concerns: their raiser and the program's coordinators — not admins, not other coordinators.
Surveys: the aggregate side only; nothing here reads the ledger and the responses together.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, Table, exists, false, func, or_, select, true

from app.adapters.persistence.queries.base import Reads, chunks
from app.adapters.persistence.queries.visibility import caller_has_role, program_staff
from app.adapters.persistence.repositories.checkins import checkin_of, checkins
from app.adapters.persistence.repositories.concerns import concern_of, concerns
from app.adapters.persistence.repositories.stories import recognition_of, recognitions, stories, story_of
from app.adapters.persistence.repositories.surveys import ledger, responses, survey_of, surveys
from app.adapters.persistence.tables import EnrollmentRow, PersonRow, RelationshipRow
from app.domain.actors import Actor
from app.domain.checkins import CheckIn
from app.domain.concerns import Concern
from app.domain.health import CheckinSignal
from app.domain.ports import CheckinFilter, Page, PageRequest
from app.domain.stories import Recognition, Story
from app.domain.surveys import MixedResponse, Survey

enrollments: Table = EnrollmentRow.__table__  # type: ignore[attr-defined]
people: Table = PersonRow.__table__  # type: ignore[attr-defined]
relationships: Table = RelationshipRow.__table__  # type: ignore[attr-defined]
c, cc = checkins, concerns


def checkin_visible(actor: Actor) -> ColumnElement[bool]:
    """``policies.can_read_checkin``: the author and the program's staff — never the partner."""
    if actor.person_id is None and not actor.is_admin:
        return false()
    return or_(c.c.person_id == actor.person_id, program_staff(actor, c.c.program_id))


def concern_visible(actor: Actor) -> ColumnElement[bool]:
    """``policies.can_read_concern``: the raiser and the program's coordinators (admins are not)."""
    if actor.person_id is None:
        return false()
    return or_(cc.c.raised_by == actor.person_id, caller_has_role(actor, cc.c.program_id, "coordinator"))


def story_visible(actor: Actor) -> ColumnElement[bool]:
    """``policies.can_read_story``: published ones to every employee (and integrations); others to
    the author, the partner the story names and the program's staff."""
    published = stories.c.status == "published"
    if actor.is_admin:
        return true()
    if actor.person_id is None:
        return published if actor.is_integration else false()
    me = actor.person_id
    return or_(
        published, stories.c.author_id == me, stories.c.partner_id == me, program_staff(actor, stories.c.program_id)
    )


def recognition_visible(actor: Actor) -> ColumnElement[bool]:
    """``policies.can_read_recognition``: the person recognised and the program's staff."""
    if actor.is_admin:
        return true()
    if actor.person_id is None:
        return false()
    return or_(recognitions.c.person_id == actor.person_id, program_staff(actor, recognitions.c.program_id))


class FeedbackReads(Reads):
    async def checkin(self, actor: Actor, checkin_id: UUID) -> CheckIn | None:
        rows = await self.rows(select(c).where(c.c.id == checkin_id, checkin_visible(actor)))
        return checkin_of(rows[0]) if rows else None

    async def checkins(self, actor: Actor, flt: CheckinFilter, page: PageRequest) -> Page[CheckIn]:
        stmt = select(c).where(checkin_visible(actor))
        if flt.program_id is not None:
            stmt = stmt.where(c.c.program_id == flt.program_id)
        if flt.relationship_id is not None:
            stmt = stmt.where(c.c.relationship_id == flt.relationship_id)
        if flt.person_id is not None:
            stmt = stmt.where(c.c.person_id == flt.person_id)
        _, result = await self.page(stmt, c.c.id, page, checkin_of)
        return result

    async def checkin_signals(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[CheckinSignal]]:
        found: dict[UUID, list[CheckinSignal]] = defaultdict(list)
        for chunk in chunks(relationship_ids):
            rows = await self.session.execute(
                select(c.c.relationship_id, c.c.person_id, c.c.status, c.c.rating, c.c.due_at, c.c.submitted_at)
                .where(c.c.relationship_id.in_(chunk), c.c.status.in_(["submitted", "missed"]))
                .order_by(c.c.id)
            )
            for row in rows:
                at = row.submitted_at if row.status == "submitted" else row.due_at
                rating = row.rating if row.status == "submitted" else None
                found[row.relationship_id].append(CheckinSignal(at=at, rating=rating, person_id=row.person_id))
        return {rid: found.get(rid, []) for rid in relationship_ids}

    # --- surveys ----------------------------------------------------------------------------------
    async def survey(self, survey_id: UUID) -> Survey | None:
        rows = await self.rows(select(surveys).where(surveys.c.id == survey_id))
        return survey_of(rows[0]) if rows else None

    async def surveys(self, program_id: UUID, page: PageRequest) -> Page[Survey]:
        _, result = await self.page(
            select(surveys).where(surveys.c.program_id == program_id), surveys.c.id, page, survey_of
        )
        return result

    async def survey_respondents(self, survey_id: UUID) -> int:
        return int(await self.session.scalar(select(func.count()).where(ledger.c.survey_id == survey_id)) or 0)

    async def survey_responses(self, survey_id: UUID) -> builtins.list[MixedResponse]:
        rows = await self.session.execute(
            select(responses.c.day, responses.c.answers, responses.c.groups)
            .where(responses.c.survey_id == survey_id)
            .order_by(responses.c.id)  # random ids: a random order
        )
        return [MixedResponse(row.day, dict(row.answers), dict(row.groups)) for row in rows]

    async def survey_population(self, program_id: UUID) -> dict[UUID, dict[str, str | None]]:
        e, p, r = enrollments, people, relationships
        was_paired = exists(
            select(r.c.id).where(
                r.c.program_id == program_id,
                r.c.activated_at.is_not(None),
                or_(r.c.member_a_id == e.c.person_id, r.c.member_b_id == e.c.person_id),
            )
        )
        rows = await self.session.execute(
            select(e.c.person_id, e.c.role_preference, p.c.department, p.c.generation)
            .join(p, p.c.id == e.c.person_id)
            .where(e.c.program_id == program_id, or_(e.c.status.in_(["matched", "completed"]), was_paired))
            .order_by(e.c.id)
        )
        return {
            row.person_id: {"role": row.role_preference, "department": row.department, "generation": row.generation}
            for row in rows
        }

    # --- concerns ---------------------------------------------------------------------------------
    async def concern(self, actor: Actor, concern_id: UUID) -> Concern | None:
        rows = await self.rows(select(cc).where(cc.c.id == concern_id, concern_visible(actor)))
        return concern_of(rows[0]) if rows else None

    async def concerns(self, actor: Actor, program_id: UUID | None, page: PageRequest) -> Page[Concern]:
        stmt = select(cc).where(concern_visible(actor))
        if program_id is not None:
            stmt = stmt.where(cc.c.program_id == program_id)
        _, result = await self.page(stmt, cc.c.id, page, concern_of)
        return result

    # --- stories and recognitions -------------------------------------------------------------
    async def story(self, actor: Actor, story_id: UUID) -> Story | None:
        rows = await self.rows(select(stories).where(stories.c.id == story_id, story_visible(actor)))
        return story_of(rows[0]) if rows else None

    async def stories(self, actor: Actor, program_id: UUID | None, page: PageRequest) -> Page[Story]:
        stmt = select(stories).where(story_visible(actor))
        if program_id is not None:
            stmt = stmt.where(stories.c.program_id == program_id)
        _, result = await self.page(stmt, stories.c.id, page, story_of)
        return result

    async def recognition(self, actor: Actor, recognition_id: UUID) -> Recognition | None:
        rows = await self.rows(
            select(recognitions).where(recognitions.c.id == recognition_id, recognition_visible(actor))
        )
        return recognition_of(rows[0]) if rows else None

    async def recognitions(
        self, actor: Actor, program_id: UUID | None, person_id: UUID | None, page: PageRequest
    ) -> Page[Recognition]:
        stmt = select(recognitions).where(recognition_visible(actor))
        if program_id is not None:
            stmt = stmt.where(recognitions.c.program_id == program_id)
        if person_id is not None:
            stmt = stmt.where(recognitions.c.person_id == person_id)
        _, result = await self.page(stmt, recognitions.c.id, page, recognition_of)
        return result
