"""Enrollment use cases: voluntary applications, approval, training, withdrawal."""

from __future__ import annotations

from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.enrollments import Enrollment, EnrollmentStatus, Profile, ProfileChanges
from app.domain.errors import DomainError, FieldProblem, conflict, not_found
from app.domain.ports import EnrollmentFilter, Page, PageRequest, UnitOfWork
from app.domain.programs import Program, ProgramStatus
from app.services.common import ensure_version


async def _program(uow: UnitOfWork, program_id: UUID, *, lock: bool = False) -> Program:
    program = await uow.programs.get(program_id, lock=lock)
    if program is None:
        raise not_found("program", program_id)
    return program


async def _enrollment(uow: UnitOfWork, program: Program, enrollment_id: UUID, actor: Actor) -> Enrollment:
    enrollment = await uow.enrollments.get(enrollment_id)
    # Someone else's enrollment is reported as absent, not forbidden: its existence is private too.
    if (
        enrollment is None
        or enrollment.program_id != program.id
        or not policies.can_read_enrollment(actor, program, enrollment.person_id)
    ):
        raise not_found("enrollment", enrollment_id)
    return enrollment


async def _check_skills(uow: UnitOfWork, profile: Profile) -> None:
    wanted = [*profile.skills_offered, *profile.skills_wanted]
    known = await uow.skills.existing_ids(wanted)
    problems = [
        FieldProblem(f"{name}[{i}]", "no such skill in the catalogue")
        for name, ids in (("skills_offered", profile.skills_offered), ("skills_wanted", profile.skills_wanted))
        for i, sid in enumerate(ids)
        if sid not in known
    ]
    if problems:
        raise DomainError(
            code="skill_unknown", detail="Some skills are not in the catalogue.", kind="invalid", errors=problems
        )


async def enrol(
    uow: UnitOfWork, actor: Actor, *, program_id: UUID, person_id: UUID | None, profile: Profile
) -> Enrollment:
    """Apply to a program — always voluntary.

    - only the person themself enrols: naming anyone else is refused (``enrol_only_yourself``),
      whoever asks, admins included;
    - the program must be open for enrolment; the person must be active;
    - one live enrollment per person and program;
    - the role preference must fit the program kind; skills must be in the catalogue.
    """
    # Naming someone else is refused as such even when the caller is no person at all (an admin or
    # integration identity): "you cannot enrol others" is the answer, not "you are not a person".
    target = person_id or policies.require_person(actor)
    async with uow:
        program = await _program(uow, program_id)
        policies.require(
            policies.can_enrol(actor, program, target),
            "enrol_only_yourself",
            "Enrolment is voluntary: only the person themself can enrol. Coordinators can invite.",
        )
        if program.status is not ProgramStatus.ENROLLING:
            raise conflict("enrolment_closed", f"The program is {program.status}, not open for enrolment.")
        person = await uow.people.get(target)
        if person is None or not person.active:
            raise conflict("person_inactive", "Only active people can enrol.")
        if await uow.enrollments.live_for(program_id, target) is not None:
            raise conflict("already_enrolled", "You are already enrolled in this program.")
        await _check_skills(uow, profile)
        enrollment = Enrollment.apply(
            enrollment_id=uow.ids.new_id(),
            program_id=program_id,
            kind=program.kind,
            person_id=target,
            profile=profile,
            now=uow.clock.now(),
        )
        uow.enrollments.add(enrollment)
        await uow.commit()
        return enrollment


async def get_enrollment(uow: UnitOfWork, actor: Actor, *, program_id: UUID, enrollment_id: UUID) -> Enrollment:
    """Read an enrollment: the person enrolled and the program's coordinators (and admins); for
    anyone else it does not exist — its existence is private too."""
    async with uow:
        enrollment = await uow.queries.enrollment(actor, enrollment_id)
        if enrollment is None or enrollment.program_id != program_id:
            if await uow.queries.program_access(actor, program_id) is None:
                raise not_found("program", program_id)
            raise not_found("enrollment", enrollment_id)
        return enrollment


async def list_enrollments(
    uow: UnitOfWork, actor: Actor, *, program_id: UUID, statuses: frozenset[EnrollmentStatus], page: PageRequest
) -> Page[Enrollment]:
    """Staff see every enrollment of their program; a participant sees only their own."""
    async with uow:
        access = await uow.queries.program_access(actor, program_id)
        if access is None:
            raise not_found("program", program_id)
        if not policies.can_list_enrollments(actor, access):
            policies.require_person(actor)  # a participant: the read side shows them only their own
        return await uow.queries.enrollments(actor, EnrollmentFilter(program_id=program_id, statuses=statuses), page)


async def my_enrollments(uow: UnitOfWork, actor: Actor, *, page: PageRequest) -> Page[Enrollment]:
    """Your own enrollments, in every program and every state (withdrawn and completed included).

    - for people in the directory only.
    """
    me = policies.require_person(actor)
    async with uow:
        return await uow.queries.enrollments(actor, EnrollmentFilter(person_id=me), page)


async def update_profile(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID,
    enrollment_id: UUID,
    changes: ProfileChanges,
    expected_version: int | None,
) -> Enrollment:
    """The person edits their motivation, skills, interests, modes and availability before matching."""
    async with uow:
        program = await _program(uow, program_id)
        enrollment = await _enrollment(uow, program, enrollment_id, actor)
        policies.require(
            policies.can_edit_enrollment_profile(actor, enrollment.person_id),
            "enrollment_profile_own_only",
            "Only the person edits their enrollment.",
        )
        ensure_version(enrollment, expected_version, "enrollment")
        enrollment.update_profile(changes, program.kind, now=uow.clock.now())
        await _check_skills(uow, enrollment.profile)
        await uow.commit()
        return enrollment


async def approve(
    uow: UnitOfWork, actor: Actor, *, program_id: UUID, enrollment_id: UUID, expected_version: int | None
) -> Enrollment:
    """Coordinators approve an application.

    - the pilot capacity is respected: approvals stop when it is full (``pilot_capacity_reached``);
    - without required training the enrollment is ``ready`` for matching at once.
    """
    async with uow:
        program = await _program(uow, program_id, lock=True)
        policies.require(
            policies.can_approve_enrollment(actor, program),
            "approve_forbidden",
            "Only the program's coordinators approve.",
        )
        enrollment = await _enrollment(uow, program, enrollment_id, actor)
        ensure_version(enrollment, expected_version, "enrollment")
        enrollment.approve(
            training_required=program.training_required,
            admitted_count=await uow.enrollments.count_admitted(program_id),
            pilot_capacity=program.pilot_capacity,
            now=uow.clock.now(),
        )
        await uow.commit()
        return enrollment


async def record_training(
    uow: UnitOfWork, actor: Actor, *, program_id: UUID, enrollment_id: UUID, expected_version: int | None
) -> Enrollment:
    """Coordinators (or the LMS integration) record that training was completed."""
    async with uow:
        program = await _program(uow, program_id)
        policies.require(
            policies.can_record_training(actor, program),
            "training_forbidden",
            "Only coordinators and the LMS record training.",
        )
        enrollment = await uow.enrollments.get(enrollment_id)
        if enrollment is None or enrollment.program_id != program_id:
            raise not_found("enrollment", enrollment_id)
        ensure_version(enrollment, expected_version, "enrollment")
        enrollment.complete_training(training_required=program.training_required, now=uow.clock.now())
        await uow.commit()
        return enrollment


async def withdraw(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID,
    enrollment_id: UUID,
    reason: str | None,
    expected_version: int | None,
) -> Enrollment:
    """The person (or a coordinator, e.g. on leave) withdraws an enrollment; it keeps its history."""
    async with uow:
        program = await _program(uow, program_id)
        enrollment = await _enrollment(uow, program, enrollment_id, actor)
        policies.require(
            policies.can_withdraw_enrollment(actor, program, enrollment.person_id),
            "withdraw_forbidden",
            "Only the person or the program's coordinators withdraw an enrollment.",
        )
        ensure_version(enrollment, expected_version, "enrollment")
        enrollment.withdraw(reason=reason, now=uow.clock.now())
        await uow.commit()
        return enrollment
