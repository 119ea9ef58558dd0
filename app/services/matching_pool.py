"""The matching pool of a program: its ready enrollments of active people with room left, as the
engine sees them, and the census of its enrollments that explains the pool's size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TypeVar
from uuid import UUID

from app.domain.enrollments import Enrollment, EnrollmentStatus
from app.domain.matching import Candidate
from app.domain.pairing import candidate
from app.domain.people import Person
from app.domain.ports import EnrollmentFilter, Page, PageRequest, RelationshipFilter, UnitOfWork
from app.domain.programs import Program
from app.domain.relationships import LIVE_STATUSES

_PAGE = 500
T = TypeVar("T")


async def _every(fetch: Callable[[PageRequest], Awaitable[Page[T]]]) -> list[T]:
    """All items of a paginated listing, page by page."""
    items: list[T] = []
    page = PageRequest(limit=_PAGE)
    while True:
        chunk = await fetch(page)
        items.extend(chunk.items)
        if chunk.next_after is None:
            return items
        page = PageRequest(limit=_PAGE, after=chunk.next_after)


async def _all_enrollments(
    uow: UnitOfWork, program_id: UUID, statuses: frozenset[EnrollmentStatus]
) -> list[Enrollment]:
    flt = EnrollmentFilter(program_id=program_id, statuses=statuses)
    return await _every(lambda page: uow.enrollments.list(flt, page))


async def _live_counts(uow: UnitOfWork, program_id: UUID) -> dict[UUID, int]:
    flt = RelationshipFilter(program_id=program_id, statuses=LIVE_STATUSES)
    counts: dict[UUID, int] = {}
    for relationship in await _every(lambda page: uow.relationships.list(flt, page)):
        for member in relationship.member_ids:
            counts[member] = counts.get(member, 0) + 1
    return counts


def _pool_statuses(program: Program) -> frozenset[EnrollmentStatus]:
    """Ready enrollments, and matched ones when a program allows several relationships per person."""
    if program.max_relationships_per_person > 1:
        return frozenset({EnrollmentStatus.READY, EnrollmentStatus.MATCHED})
    return frozenset({EnrollmentStatus.READY})


async def _pool_members(uow: UnitOfWork, program: Program) -> list[tuple[Enrollment, Person, int]]:
    """Ready enrollments of active people (and matched ones with room left when a program allows
    several relationships per person), each with the person and their remaining capacity."""
    enrollments = await _all_enrollments(uow, program.id, _pool_statuses(program))
    people = {p.id: p for p in await uow.people.get_many([e.person_id for e in enrollments])}
    live = await _live_counts(uow, program.id)
    members: list[tuple[Enrollment, Person, int]] = []
    for enrollment in enrollments:
        person = people.get(enrollment.person_id)
        room = program.max_relationships_per_person - live.get(enrollment.person_id, 0)
        if person is not None and person.active and room > 0:
            members.append((enrollment, person, room))
    return members


async def build_pool(uow: UnitOfWork, program: Program) -> list[Candidate]:
    """The matching pool (see ``_pool_members``) as the engine sees it."""
    members = await _pool_members(uow, program)
    managers = await uow.people.manager_map()
    depth = program.matching_settings().reporting_line_depth
    return [candidate(enrollment, person, managers, depth, capacity=room) for enrollment, person, room in members]


async def enrollment_census(uow: UnitOfWork, program_id: UUID) -> dict[str, int]:
    """The program's enrollments counted by state (what explains the size of a run's pool)."""
    counts = Counter(e.status.value for e in await _all_enrollments(uow, program_id, frozenset()))
    return {state.value: counts[state.value] for state in EnrollmentStatus if counts[state.value]}
