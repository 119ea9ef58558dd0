"""The mentoring tests' cast (``world``), plus participants from chosen departments for surveys."""

from __future__ import annotations

from uuid import UUID

from app.services import pairing
from tests.api.mentoring.conftest import Member, Pair, World, clock, world  # noqa: F401


async def participants(cast: World, departments: list[str]) -> list[Member]:
    """One participant per department named (an even number), enrolled and paired two by two in
    the order given, each pair accepted: every one of them may answer the program's survey."""
    people = [
        await cast.person("Pat Participant", seniority=2 + 5 * (i % 2), department=department)
        for i, department in enumerate(departments)
    ]
    await cast.enrol_all(people)
    for junior, senior in zip(people[::2], people[1::2], strict=True):
        created = await pairing.create_relationship(
            cast.container.uow(),
            cast.coordinator.actor,
            program_id=UUID(cast.program["id"]),
            enrollment_ids=(UUID(junior.enrollment_id), UUID(senior.enrollment_id)),
        )
        await cast.accept(Pair(str(created.relationship.id), cast.program["id"], junior, senior))
    return people
