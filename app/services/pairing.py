"""Creating a relationship: the one door through which pairs are made, by hand or by matching."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.enrollments import Enrollment, EnrollmentStatus
from app.domain.errors import DomainError, FieldProblem, conflict, invalid
from app.domain.matching import Candidate, pair_violations
from app.domain.people import Person, manager_chain
from app.domain.ports import UnitOfWork
from app.domain.programs import Program, ProgramKind, ProgramStatus
from app.domain.relationships import Agreement, Relationship
from app.domain.turn_policies import TurnPolicy
from app.services.pairs import RelationshipView, load_program, view

AT_CAPACITY = "at_capacity"
ALREADY_PAIRED = "already_paired"
CONSTRAINT_TEXT = {
    "same_person": "A person cannot be paired with themself.",
    "role_mismatch": "A reverse pair needs one enrollment as mentor and one as mentee.",
    "seniority_gap": "In a reverse program the mentor must be junior to the mentee by the program's seniority gap.",
    "reporting_line": "The two are in the same reporting line (manager chain, both directions).",
    "same_manager": "The program does not pair peers who share their direct manager.",
    "excluded_pair": "This pair was declined before or ended in a rematch.",
    "forbidden_pair": "A coordinator forbade this pair.",
    AT_CAPACITY: "A member already has as many live relationships as the program allows.",
    ALREADY_PAIRED: "The two already have a live relationship in this program.",
}
_PAIRABLE_PROGRAM = frozenset({ProgramStatus.MATCHING, ProgramStatus.ACTIVE})


def candidate(
    enrollment: Enrollment, person: Person, managers: Mapping[UUID, UUID | None], depth: int, *, capacity: int = 1
) -> Candidate:
    """What the engine knows of one enrollment; self-identified attributes only with consent."""
    profile = enrollment.profile
    return Candidate(
        enrollment_id=enrollment.id,
        person_id=person.id,
        role=profile.role_preference.value,
        department=person.department,
        location=person.location,
        seniority=person.seniority,
        generation=person.generation,
        manager_chain=tuple(manager_chain(person.id, managers, max(depth, 1))),
        skills_offered=frozenset(str(s) for s in profile.skills_offered),
        skills_wanted=frozenset(str(s) for s in profile.skills_wanted),
        interests=frozenset(profile.interests),
        meeting_modes=frozenset(m.value for m in profile.meeting_modes),
        availability=frozenset(profile.availability),
        consented_attributes=dict(person.attributes) if person.matching_consent else {},
        remaining_capacity=capacity,
    )


def _breaks(codes: list[str]) -> DomainError:
    return DomainError(
        code="pair_breaks_constraint",
        detail="This pair breaks the program's hard constraints: " + ", ".join(codes) + ".",
        kind="conflict",
        errors=[FieldProblem(path=code, message=CONSTRAINT_TEXT.get(code, code)) for code in codes],
    )


async def _enrollments(
    uow: UnitOfWork, program: Program, enrollment_ids: tuple[UUID, UUID]
) -> tuple[Enrollment, Enrollment]:
    if enrollment_ids[0] == enrollment_ids[1]:
        raise invalid("same_enrollment_twice", "A pair needs two different enrollments.", path="enrollment_ids")
    found: list[Enrollment] = []
    for index, enrollment_id in enumerate(enrollment_ids):
        enrollment = await uow.enrollments.get(enrollment_id)
        if enrollment is None or enrollment.program_id != program.id:
            raise invalid(
                "enrollment_unknown", f"No enrollment {enrollment_id} in this program.", path=f"enrollment_ids[{index}]"
            )
        # a matched enrollment may take another partner when the program allows it: capacity decides
        if enrollment.status not in (EnrollmentStatus.READY, EnrollmentStatus.MATCHED):
            raise conflict(
                "enrollment_not_ready",
                f"Enrollment {enrollment_id} is {enrollment.status}; only ready ones are paired.",
            )
        found.append(enrollment)
    return found[0], found[1]


def _roles(
    program: Program, a: tuple[Enrollment, Person], b: tuple[Enrollment, Person], designated: UUID | None
) -> tuple[UUID, UUID]:
    """(designated mentor, senior member) of the new pair."""
    members = {a[1].id, b[1].id}
    if designated is not None and designated not in members:
        raise invalid(
            "mentor_not_a_member", "The designated mentor must be one of the two.", path="designated_mentor_id"
        )
    if program.kind is ProgramKind.REVERSE:
        mentor, mentee = (a, b) if a[0].profile.role_preference.value == "mentor" else (b, a)
        if designated is not None and designated != mentor[1].id:
            raise invalid(
                "designated_mentor_mismatch",
                "In a reverse program the mentor is the enrollment that offered to mentor.",
                path="designated_mentor_id",
            )
        return mentor[1].id, mentee[1].id
    senior = a[1] if a[1].seniority >= b[1].seniority else b[1]
    return (designated or senior.id), senior.id


async def propose_pair(
    uow: UnitOfWork,
    program: Program,
    *,
    enrollment_ids: tuple[UUID, UUID],
    source: Literal["manual", "matching"],
    designated_mentor_id: UUID | None = None,
    score: float | None = None,
    explanation: str = "",
    managers: Mapping[UUID, UUID | None] | None = None,
    exclusions: frozenset[frozenset[UUID]] | None = None,
) -> Relationship:
    """Inside an open unit of work (the caller checked who may pair and commits): check the pair
    against the hard constraints and capacity as they are now, propose it, mark both enrollments
    matched. The rules are :func:`create_relationship`'s.

    ``managers`` (the reporting tree) and the program's ``exclusions`` are loaded here unless given
    (just the two reporting chains): a caller proposing many pairs in one unit of work loads them once."""
    if program.status not in _PAIRABLE_PROGRAM:
        raise conflict("program_not_matching", f"The program is {program.status}; pairs are made while matching.")
    first, second = await _enrollments(uow, program, enrollment_ids)
    people = {p.id: p for p in await uow.people.get_many([first.person_id, second.person_id])}
    for enrollment in (first, second):
        person = people.get(enrollment.person_id)
        if person is None or not person.active:
            raise conflict("person_inactive", "Only active people are paired.")
    settings = program.matching_settings()
    if managers is None:
        managers = await uow.people.managers_above(
            [first.person_id, second.person_id], depth=settings.reporting_line_depth
        )
    if exclusions is None:
        exclusions = await uow.relationships.exclusions(program.id)
    a = candidate(first, people[first.person_id], managers, settings.reporting_line_depth)
    b = candidate(second, people[second.person_id], managers, settings.reporting_line_depth)
    codes = pair_violations(a, b, settings, exclusions)
    live = {p: await uow.relationships.live_of(p, program.id) for p in (a.person_id, b.person_id)}
    if any(len(items) >= program.max_relationships_per_person for items in live.values()):
        codes.append(AT_CAPACITY)
    if any(r.is_member(b.person_id) for r in live[a.person_id]):
        codes.append(ALREADY_PAIRED)
    if codes:
        raise _breaks(codes)
    mentor_id, senior_id = _roles(
        program, (first, people[first.person_id]), (second, people[second.person_id]), designated_mentor_id
    )
    now = uow.clock.now()
    relationship = Relationship.propose(
        id=uow.ids.new_id(),
        program_id=program.id,
        member_a_id=first.person_id,
        member_b_id=second.person_id,
        designated_mentor_id=mentor_id,
        senior_member_id=senior_id,
        program_policy=TurnPolicy.parse(program.role_turn_policy),
        source=source,
        now=now,
        agreement=Agreement(cadence_days=program.cadence_days),
        score=score,
        explanation=explanation.strip(),
    )
    uow.relationships.add(relationship)
    for enrollment in (first, second):
        if enrollment.status is EnrollmentStatus.READY:
            enrollment.mark_matched(now=now)
    return relationship


async def create_relationship(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID,
    enrollment_ids: tuple[UUID, UUID],
    source: Literal["manual", "matching"] = "manual",
    designated_mentor_id: UUID | None = None,
    score: float | None = None,
    explanation: str = "",
) -> RelationshipView:
    """Propose a pair of two enrollments (by hand, or when a matching run is published).

    - the program's coordinators and admins only;
    - the program is in ``matching`` or ``active``; both enrollments are ``ready`` (or ``matched``,
      which capacity then judges), else 409 ``enrollment_not_ready``;
    - the hard constraints of matching apply, with the same function: no pair inside a reporting
      line (manager chain to ``reporting_line_depth``, default 2, both directions; optionally peers
      with the same manager), no pair that was declined or rematched before, reverse programs pair a
      mentor junior to the mentee by ``min_seniority_gap``; and capacity: nobody gets more live
      relationships than ``max_relationships_per_person``. Any breach is 409
      ``pair_breaks_constraint`` with one entry per constraint in ``errors[]`` (``path`` is the
      constraint's code: ``reporting_line``, ``excluded_pair``, ``seniority_gap``, ``role_mismatch``,
      ``same_manager``, ``at_capacity``, ``already_paired``);
    - reverse programs: the designated mentor is the junior who offered to mentor; reciprocal
      programs: the one named, else the senior (who role-models first);
    - the program's role-turn policy and cadence are copied; the relationship is ``proposed`` and
      both enrollments become ``matched``; each member then accepts or declines.
    """
    async with uow:
        program = await load_program(uow, program_id, lock=True)
        policies.require(
            policies.can_pair(actor, program), "pairing_forbidden", "Only the program's coordinators pair people."
        )
        relationship = await propose_pair(
            uow,
            program,
            enrollment_ids=enrollment_ids,
            source=source,
            designated_mentor_id=designated_mentor_id,
            score=score,
            explanation=explanation,
        )
        result = await view(uow, relationship)
        await uow.commit()
        return result
