"""Programs, their proposal discussion and invitations, and enrollments, as screens see them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Select, select

from app.adapters.persistence.queries.base import Reads, chunks
from app.adapters.persistence.queries.filters import enrollments, enrollments_matching, programs, programs_matching
from app.adapters.persistence.queries.visibility import caller_has_role, enrollment_visible
from app.adapters.persistence.repositories.enrollments import SqlEnrollmentRepository
from app.adapters.persistence.repositories.programs import SqlProgramRepository, comments, invitations, reviews
from app.domain.actors import Actor
from app.domain.enrollments import Enrollment
from app.domain.ports import EnrollmentFilter, Page, PageRequest, ProgramFilter
from app.domain.programs import Program
from app.domain.proposals import CommitteeReview, Invitation, ProposalComment, ReviewVerdict
from app.domain.read_side import ProgramAccess


class ProgramReads(Reads):
    async def program_access(self, actor: Actor, program_id: UUID) -> ProgramAccess | None:
        stmt = select(
            programs.c.id,
            caller_has_role(actor, programs.c.id, "coordinator").label("coordinates"),
            caller_has_role(actor, programs.c.id, "committee").label("on_committee"),
        ).where(programs.c.id == program_id)
        row = (await self.session.execute(stmt)).first()
        if row is None:
            return None
        return ProgramAccess(
            program_id=row.id,
            caller_id=actor.person_id,
            caller_coordinates=bool(row.coordinates),
            caller_on_committee=bool(row.on_committee),
        )

    async def _programs(self, stmt: Select[Any]) -> list[Program]:
        mapper = SqlProgramRepository(self.session)
        found = [mapper.from_row(row) for row in await self.rows(stmt)]
        if found:
            await mapper.load_children(found)
        return found

    async def program(self, program_id: UUID) -> Program | None:
        found = await self._programs(select(programs).where(programs.c.id == program_id))
        return found[0] if found else None

    async def programs_by_ids(self, ids: Sequence[UUID]) -> dict[UUID, Program]:
        found: dict[UUID, Program] = {}
        for chunk in chunks(ids):
            for program in await self._programs(select(programs).where(programs.c.id.in_(chunk))):
                found[program.id] = program
        return found

    async def programs(self, flt: ProgramFilter, page: PageRequest) -> Page[Program]:
        mapper = SqlProgramRepository(self.session)
        items, result = await self.page(programs_matching(flt), programs.c.id, page, mapper.from_row)
        if items:
            await mapper.load_children(items)
        return result

    async def comments(self, program_id: UUID, page: PageRequest) -> Page[ProposalComment]:
        stmt = select(comments).where(comments.c.program_id == program_id)
        _, result = await self.page(stmt, comments.c.id, page, lambda row: ProposalComment(**row))
        return result

    async def reviews(self, program_id: UUID, page: PageRequest) -> Page[CommitteeReview]:
        stmt = select(reviews).where(reviews.c.program_id == program_id)
        _, result = await self.page(
            stmt, reviews.c.id, page, lambda row: CommitteeReview(**{**row, "verdict": ReviewVerdict(row["verdict"])})
        )
        return result

    async def invitations(self, program_id: UUID, page: PageRequest) -> Page[Invitation]:
        stmt = select(invitations).where(invitations.c.program_id == program_id)
        _, result = await self.page(stmt, invitations.c.id, page, lambda row: Invitation(**row))
        return result

    # --- enrollments ------------------------------------------------------------------------------
    @staticmethod
    def _enrollment_visible(actor: Actor) -> Any:
        return enrollment_visible(actor, enrollments.c.person_id, enrollments.c.program_id)

    async def enrollment(self, actor: Actor, enrollment_id: UUID) -> Enrollment | None:
        stmt = select(enrollments).where(enrollments.c.id == enrollment_id, self._enrollment_visible(actor))
        rows = await self.rows(stmt)
        return SqlEnrollmentRepository(self.session).from_row(rows[0]) if rows else None

    async def enrollments(self, actor: Actor, flt: EnrollmentFilter, page: PageRequest) -> Page[Enrollment]:
        stmt = enrollments_matching(flt).where(self._enrollment_visible(actor))
        _, result = await self.page(stmt, enrollments.c.id, page, SqlEnrollmentRepository(self.session).from_row)
        return result

    async def enrollments_by_ids(self, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Enrollment]:
        mapper = SqlEnrollmentRepository(self.session)
        found: dict[UUID, Enrollment] = {}
        for chunk in chunks(ids):
            stmt = select(enrollments).where(enrollments.c.id.in_(chunk), self._enrollment_visible(actor))
            for row in await self.rows(stmt):
                enrollment = mapper.from_row(row)
                found[enrollment.id] = enrollment
        return found
