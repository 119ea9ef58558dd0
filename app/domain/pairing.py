"""Making a pair: the rules every new relationship passes, whether a coordinator pairs two people by
hand or a matching run is published.

Rules:
- the program is ``matching`` or ``active`` (``program_not_matching``);
- two different enrollments (``same_enrollment_twice``) of this program (``enrollment_unknown``),
  each ``ready`` — or ``matched``, when capacity lets a person take another partner
  (``enrollment_not_ready``); both people are active (``person_inactive``);
- the hard constraints of matching, judged by the engine's own function, and capacity: at most
  ``max_relationships_per_person`` live relationships each (``at_capacity``) and never two live
  relationships between the same two people (``already_paired``). Every breach is reported at once
  as ``pair_breaks_constraint``, one entry per constraint;
- roles: in a reverse program the designated mentor is the enrollment that offered to mentor and
  the senior is the mentee (naming anyone else is ``designated_mentor_mismatch``); in a reciprocal
  program the senior is the higher grade (the first enrollment on a tie) and leads first unless the
  other member is named (``mentor_not_a_member`` when the one named is neither);
- the pair copies the program's role-turn policy and cadence and starts ``proposed``; both
  enrollments become ``matched``. Pairs proposed earlier in the same batch count for capacity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from app.domain.enrollments import Enrollment, EnrollmentStatus
from app.domain.errors import DomainError, FieldProblem, conflict, invalid
from app.domain.matching import Candidate, pair_violations
from app.domain.people import Person, manager_chain
from app.domain.programs import Program, ProgramKind, ProgramStatus
from app.domain.relationships import Agreement, Relationship, RelationshipSource

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
PAIRABLE_PROGRAM = frozenset({ProgramStatus.MATCHING, ProgramStatus.ACTIVE})
_PAIRABLE_ENROLLMENT = frozenset({EnrollmentStatus.READY, EnrollmentStatus.MATCHED})


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


def breaks_constraints(codes: Sequence[str]) -> DomainError:
    return DomainError(
        code="pair_breaks_constraint",
        detail="This pair breaks the program's hard constraints: " + ", ".join(codes) + ".",
        kind="conflict",
        errors=[FieldProblem(path=code, message=CONSTRAINT_TEXT.get(code, code)) for code in codes],
    )


@dataclass
class LivePairs:
    """Who is in a live relationship with whom in one program: what capacity is judged on."""

    max_per_person: int
    partners: dict[UUID, list[UUID]] = field(default_factory=dict)

    @classmethod
    def of(cls, pairs: Iterable[tuple[UUID, UUID]], *, max_per_person: int) -> LivePairs:
        live = cls(max_per_person)
        for a, b in pairs:
            live.record(a, b)
        return live

    def record(self, a: UUID, b: UUID) -> None:
        self.partners.setdefault(a, []).append(b)
        self.partners.setdefault(b, []).append(a)

    def breaches(self, a: UUID, b: UUID) -> list[str]:
        codes: list[str] = []
        if any(len(self.partners.get(person, ())) >= self.max_per_person for person in (a, b)):
            codes.append(AT_CAPACITY)
        if b in self.partners.get(a, ()):
            codes.append(ALREADY_PAIRED)
        return codes


def pair_roles(
    program: Program, first: tuple[Enrollment, Person], second: tuple[Enrollment, Person], designated: UUID | None
) -> tuple[UUID, UUID]:
    """(designated mentor, senior member) of a new pair."""
    if designated is not None and designated not in (first[1].id, second[1].id):
        raise invalid(
            "mentor_not_a_member", "The designated mentor must be one of the two.", path="designated_mentor_id"
        )
    if program.kind is ProgramKind.REVERSE:
        mentor, mentee = (first, second) if first[0].profile.role_preference.value == "mentor" else (second, first)
        if designated is not None and designated != mentor[1].id:
            raise invalid(
                "designated_mentor_mismatch",
                "In a reverse program the mentor is the enrollment that offered to mentor.",
                path="designated_mentor_id",
            )
        return mentor[1].id, mentee[1].id
    senior = first[1] if first[1].seniority >= second[1].seniority else second[1]
    return designated or senior.id, senior.id


@dataclass
class Pairing:
    """Everything the pairing rules read, loaded once for a whole batch of pairs.

    ``enrollments`` and ``people`` hold at least the enrollments to pair and their people;
    ``managers`` the reporting chains above those people (to the program's reporting-line depth);
    ``exclusions`` the program's declined and rematched pairs; ``live`` its live pairs.
    """

    program: Program
    enrollments: Mapping[UUID, Enrollment]
    people: Mapping[UUID, Person]
    managers: Mapping[UUID, UUID | None]
    exclusions: frozenset[frozenset[UUID]]
    live: LivePairs

    def propose(
        self,
        *,
        relationship_id: UUID,
        enrollment_ids: tuple[UUID, UUID],
        source: RelationshipSource,
        now: datetime,
        designated_mentor_id: UUID | None = None,
        score: float | None = None,
        explanation: str = "",
    ) -> Relationship:
        """Check the pair as things are now, propose it and mark both enrollments matched."""
        program = self.program
        if program.status not in PAIRABLE_PROGRAM:
            raise conflict("program_not_matching", f"The program is {program.status}; pairs are made while matching.")
        first, second = self._enrollments(enrollment_ids)
        members = []
        for enrollment in (first, second):
            person = self.people.get(enrollment.person_id)
            if person is None or not person.active:
                raise conflict("person_inactive", "Only active people are paired.")
            members.append((enrollment, person))
        settings = program.matching_settings()
        depth = settings.reporting_line_depth
        a, b = (candidate(enrollment, person, self.managers, depth) for enrollment, person in members)
        codes = pair_violations(a, b, settings, self.exclusions) + self.live.breaches(a.person_id, b.person_id)
        if codes:
            raise breaks_constraints(codes)
        mentor_id, senior_id = pair_roles(program, members[0], members[1], designated_mentor_id)
        relationship = Relationship.propose(
            id=relationship_id,
            program_id=program.id,
            member_a_id=a.person_id,
            member_b_id=b.person_id,
            designated_mentor_id=mentor_id,
            senior_member_id=senior_id,
            program_policy=program.turn_policy(),
            source=source,
            now=now,
            agreement=Agreement(cadence_days=program.cadence_days),
            score=score,
            explanation=explanation.strip(),
        )
        self.live.record(a.person_id, b.person_id)
        for enrollment in (first, second):
            if enrollment.status is EnrollmentStatus.READY:
                enrollment.mark_matched(now=now)
        return relationship

    def _enrollments(self, enrollment_ids: tuple[UUID, UUID]) -> tuple[Enrollment, Enrollment]:
        if enrollment_ids[0] == enrollment_ids[1]:
            raise invalid("same_enrollment_twice", "A pair needs two different enrollments.", path="enrollment_ids")
        found: list[Enrollment] = []
        for index, enrollment_id in enumerate(enrollment_ids):
            enrollment = self.enrollments.get(enrollment_id)
            if enrollment is None or enrollment.program_id != self.program.id:
                raise invalid(
                    "enrollment_unknown",
                    f"No enrollment {enrollment_id} in this program.",
                    path=f"enrollment_ids[{index}]",
                )
            # a matched enrollment may take another partner when the program allows it: capacity decides
            if enrollment.status not in _PAIRABLE_ENROLLMENT:
                raise conflict(
                    "enrollment_not_ready",
                    f"Enrollment {enrollment_id} is {enrollment.status}; only ready ones are paired.",
                )
            found.append(enrollment)
        return found[0], found[1]
