"""Programs, enrollments and matching runs."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.domain import programs as program_domain
from app.domain.ports import ProgramFilter
from app.graphql.connections import Connection, page_request
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.enums import (
    ProgramKind,
    ProgramStatus,
)
from app.graphql.resolve import one, query
from app.graphql.types.enrollments import Enrollment
from app.graphql.types.matching import MatchingRun
from app.graphql.types.programs import Program
from app.services import (
    enrollments as enrollments_cases,
)
from app.services import (
    matching_run_reads as matching_run_reads_cases,
)
from app.services import (
    programs as programs_cases,
)


@strawberry.type
class ProgramQueries:
    @strawberry.field(description=rules_of(programs_cases.get_program))
    async def program(self, info: Info, id: UUID) -> Program | None:
        found = await one(info, programs_cases.get_program, program_id=id)
        return None if found is None else Program.of(found)

    @strawberry.field(description=rules_of(programs_cases.list_programs))
    async def programs(
        self,
        info: Info,
        status: ProgramStatus | None = None,
        kind: ProgramKind | None = None,
        coordinator_id: UUID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Program]:
        flt = ProgramFilter(
            status=None if status is None else program_domain.ProgramStatus(status.value),
            kind=None if kind is None else program_domain.ProgramKind(kind.value),
            coordinator_id=coordinator_id,
        )
        page = await query(info, programs_cases.list_programs, flt=flt, page=page_request(first, after))
        return Connection.of(page, Program.of, lambda p: p.id)

    @strawberry.field(description=rules_of(enrollments_cases.get_enrollment))
    async def enrollment(self, info: Info, program_id: UUID, id: UUID) -> Enrollment | None:
        found = await one(info, enrollments_cases.get_enrollment, program_id=program_id, enrollment_id=id)
        return None if found is None else Enrollment.of(found)

    @strawberry.field(description="The caller's own enrollments, in every program.")
    async def my_enrollments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Enrollment]:
        page = await query(info, enrollments_cases.my_enrollments, page=page_request(first, after))
        return Connection.of(page, Enrollment.of, lambda e: e.id)

    @strawberry.field(description="A matching run: status, progress and figures (the program's staff).")
    async def matching_run(self, info: Info, id: UUID) -> MatchingRun | None:
        found = await one(info, matching_run_reads_cases.get_run, run_id=id)
        return None if found is None else MatchingRun.of(found)
