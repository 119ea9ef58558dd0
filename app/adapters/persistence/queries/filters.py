"""The list filters, as SELECTs: shared by the read side and by the repositories that load whole
aggregates for a write (a matching run reads every ready enrollment, say)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, func, or_, select

from app.adapters.persistence.tables import EnrollmentRow, PersonRow, ProgramRow, ProgramStaffRow, SkillRow
from app.domain.ports import EnrollmentFilter, PeopleFilter, ProgramFilter
from app.domain.skills import SkillCategory

people: Table = PersonRow.__table__  # type: ignore[attr-defined]
programs: Table = ProgramRow.__table__  # type: ignore[attr-defined]
staff: Table = ProgramStaffRow.__table__  # type: ignore[attr-defined]
enrollments: Table = EnrollmentRow.__table__  # type: ignore[attr-defined]
skills: Table = SkillRow.__table__  # type: ignore[attr-defined]


def people_matching(flt: PeopleFilter) -> Select[Any]:
    stmt = select(people)
    if flt.department is not None:
        stmt = stmt.where(people.c.department == flt.department)
    if flt.location is not None:
        stmt = stmt.where(people.c.location == flt.location)
    if flt.active is not None:
        stmt = stmt.where(people.c.active == flt.active)
    if flt.manager_id is not None:
        stmt = stmt.where(people.c.manager_id == flt.manager_id)
    if flt.q:
        pattern = f"%{flt.q.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(people.c.given_name + " " + people.c.family_name).like(pattern),
                people.c.email.like(pattern),
            )
        )
    return stmt


def programs_matching(flt: ProgramFilter) -> Select[Any]:
    stmt = select(programs)
    if flt.status is not None:
        stmt = stmt.where(programs.c.status == flt.status.value)
    if flt.kind is not None:
        stmt = stmt.where(programs.c.kind == flt.kind.value)
    if flt.coordinator_id is not None:
        stmt = stmt.where(
            programs.c.id.in_(
                select(staff.c.program_id).where(staff.c.person_id == flt.coordinator_id, staff.c.role == "coordinator")
            )
        )
    return stmt


def enrollments_matching(flt: EnrollmentFilter) -> Select[Any]:
    stmt = select(enrollments)
    if flt.program_id is not None:
        stmt = stmt.where(enrollments.c.program_id == flt.program_id)
    if flt.person_id is not None:
        stmt = stmt.where(enrollments.c.person_id == flt.person_id)
    if flt.statuses:
        stmt = stmt.where(enrollments.c.status.in_(sorted(s.value for s in flt.statuses)))
    return stmt


def skills_matching(category: SkillCategory | None) -> Select[Any]:
    stmt = select(skills)
    if category is not None:
        stmt = stmt.where(skills.c.category == category.value)
    return stmt
