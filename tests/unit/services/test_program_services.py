"""Programs and enrollments, through the in-memory unit of work."""

from __future__ import annotations

import pytest

from app.domain.actors import Role
from app.domain.enrollments import EnrollmentStatus, Profile, ProfileChanges, RolePreference
from app.domain.errors import DomainError
from app.domain.programs import ObjectiveDraft, ProgramChanges, ProgramDraft, ProgramKind, ProgramStatus
from app.domain.proposals import ReviewVerdict
from app.services import enrollments, programs


async def refused(code: str, call: object) -> None:
    with pytest.raises(DomainError) as error:
        await call  # type: ignore[misc]
    assert error.value.code == code


async def test_a_proposed_program_is_a_draft_with_its_creator_and_the_kind_s_turn_policy(uow, store, cast) -> None:
    hana = await cast.person("Hana Hr", Role.COORDINATOR)
    cast.announced()
    reverse = await programs.create_program(uow(), hana, kind=ProgramKind.REVERSE, draft=ProgramDraft(name="Fluency"))
    reciprocal = await programs.create_program(
        uow(),
        hana,
        kind=ProgramKind.RECIPROCAL,
        draft=ProgramDraft(name="Exchange", objectives=[ObjectiveDraft(metric="skills", target=70, unit="%")]),
    )
    stored = store.programs[reverse.id]
    assert (stored.status, stored.coordinator_ids, stored.role_turn_policy) == (
        ProgramStatus.DRAFT,
        [hana.person_id],
        "fixed",
    )
    assert store.programs[reciprocal.id].role_turn_policy == "alternate(1)"
    assert cast.announced() == ["program.created", "program.created"]
    await refused(
        "program_create_forbidden",
        programs.create_program(
            uow(), await cast.person("Sam Junior"), kind=ProgramKind.REVERSE, draft=ProgramDraft(name="Mine")
        ),
    )
    await refused(
        "person_unknown",
        programs.create_program(
            uow(), hana, kind=ProgramKind.REVERSE, draft=ProgramDraft(name="X", committee_member_ids=[reverse.id])
        ),
    )
    assert len(store.programs) == 2


async def test_an_edit_keeps_objective_ids_and_freezes_structure_once_active(uow, store, cast) -> None:
    hana = await cast.person("Hana Hr", Role.COORDINATOR)
    program = await cast.program(hana, objectives=[ObjectiveDraft(metric="skills", target=70, unit="%")])
    [objective] = program.objectives
    edit = ProgramChanges(objectives=[ObjectiveDraft(id=objective.id, metric="skills", target=80, unit="%")])
    edited = await programs.update_program(uow(), hana, program_id=program.id, changes=edit, expected_version=1)
    assert [(o.id, o.target) for o in store.programs[program.id].objectives] == [(objective.id, 80)]
    assert edited.version == 2
    await refused(
        "objective_unknown",
        programs.update_program(
            uow(),
            hana,
            program_id=program.id,
            expected_version=None,
            changes=ProgramChanges(objectives=[ObjectiveDraft(id=program.id, metric="m", target=1, unit="%")]),
        ),
    )
    await refused(
        "program_needs_coordinator",
        programs.update_program(
            uow(), hana, program_id=program.id, changes=ProgramChanges(coordinator_ids=[]), expected_version=None
        ),
    )
    await refused(
        "program_edit_forbidden",
        programs.update_program(
            uow(),
            await cast.person("Sam Junior"),
            program_id=program.id,
            changes=ProgramChanges(name="Mine"),
            expected_version=None,
        ),
    )
    for to in (ProgramStatus.ENROLLING, ProgramStatus.MATCHING, ProgramStatus.ACTIVE):
        await programs.transition_program(uow(), hana, program_id=program.id, to=to, expected_version=None)
    await refused(
        "program_settings_frozen",
        programs.update_program(
            uow(), hana, program_id=program.id, changes=ProgramChanges(cadence_days=7), expected_version=None
        ),
    )
    renamed = await programs.update_program(
        uow(), hana, program_id=program.id, changes=ProgramChanges(name="Exchange 2027"), expected_version=None
    )
    assert store.programs[program.id].name == renamed.name == "Exchange 2027"


async def test_the_lifecycle_moves_only_along_legal_transitions(uow, store, cast) -> None:
    hana = await cast.person("Hana Hr", Role.COORDINATOR)
    program = await cast.program(hana)
    cast.announced()
    await refused(
        "illegal_program_transition",
        programs.transition_program(uow(), hana, program_id=program.id, to=ProgramStatus.ACTIVE, expected_version=None),
    )
    moved = await programs.transition_program(
        uow(), hana, program_id=program.id, to=ProgramStatus.ENROLLING, expected_version=1
    )
    assert (store.programs[program.id].status, moved.version) == (ProgramStatus.ENROLLING, 2)
    assert cast.announced() == ["program.status_changed"]


async def test_a_draft_is_discussed_reviewed_and_people_are_invited(uow, store, cast) -> None:
    hana = await cast.person("Hana Hr", Role.COORDINATOR)
    member, sam = await cast.person("Kim Committee"), await cast.person("Sam Junior")
    program = await cast.program(hana, committee_member_ids=[member.person_id])
    cast.announced()
    comment = await programs.comment_on_proposal(uow(), sam, program_id=program.id, body="  Count me in ")
    review = await programs.review_proposal(
        uow(), member, program_id=program.id, verdict=ReviewVerdict.ENDORSE, body=""
    )
    invitation = await programs.invite(uow(), hana, program_id=program.id, person_id=sam.person_id, message="Join!")
    assert (store.comments, store.reviews, store.invitations) == ([comment], [review], [invitation])
    assert comment.body == "Count me in"
    assert cast.announced() == ["program.proposal_commented", "program.proposal_reviewed", "enrollment.invited"]
    await refused(
        "not_committee_member",
        programs.review_proposal(uow(), sam, program_id=program.id, verdict=ReviewVerdict.CONCERNS, body=""),
    )
    await refused(
        "invite_forbidden", programs.invite(uow(), sam, program_id=program.id, person_id=member.person_id, message="")
    )
    for to in (ProgramStatus.ENROLLING, ProgramStatus.MATCHING):
        await programs.transition_program(uow(), hana, program_id=program.id, to=to, expected_version=None)
    await refused("proposal_closed", programs.comment_on_proposal(uow(), sam, program_id=program.id, body="Late"))
    await refused(
        "enrolment_closed", programs.invite(uow(), hana, program_id=program.id, person_id=sam.person_id, message="")
    )
    assert len(store.invitations) == 1


async def test_enrolment_is_voluntary_and_one_live_enrollment_per_person(uow, store, cast) -> None:
    hana = await cast.person("Hana Hr", Role.COORDINATOR)
    sam = await cast.person("Sam Junior")
    program = await cast.program(hana, status=ProgramStatus.ENROLLING)
    cast.announced()
    both = Profile(role_preference=RolePreference.BOTH)
    await refused(
        "enrol_only_yourself",
        enrollments.enrol(uow(), hana, program_id=program.id, person_id=sam.person_id, profile=both),
    )
    mine = await enrollments.enrol(uow(), sam, program_id=program.id, person_id=None, profile=both)
    assert store.enrollments[mine.id].status is EnrollmentStatus.APPLIED
    assert cast.announced() == ["enrollment.applied"]
    await refused(
        "already_enrolled", enrollments.enrol(uow(), sam, program_id=program.id, person_id=None, profile=both)
    )
    await refused(
        "role_preference_not_allowed",
        enrollments.enrol(
            uow(),
            await cast.person("Kim Other"),
            program_id=program.id,
            person_id=None,
            profile=Profile(role_preference=RolePreference.MENTOR),
        ),
    )


async def test_a_profile_changes_before_matching_and_only_by_its_person(uow, store, cast) -> None:
    hana = await cast.person("Hana Hr", Role.COORDINATOR)
    sam = await cast.person("Sam Junior")
    program = await cast.program(hana, status=ProgramStatus.ENROLLING)
    mine = await enrollments.enrol(
        uow(), sam, program_id=program.id, person_id=None, profile=Profile(role_preference=RolePreference.BOTH)
    )
    changes = ProfileChanges(motivation="Learn TikTok", interests=["Cycling", "cycling"])
    edited = await enrollments.update_profile(
        uow(), sam, program_id=program.id, enrollment_id=mine.id, changes=changes, expected_version=1
    )
    assert (edited.profile.motivation, edited.profile.interests, edited.version) == ("Learn TikTok", ["cycling"], 2)
    await refused(
        "enrollment_profile_own_only",
        enrollments.update_profile(
            uow(), hana, program_id=program.id, enrollment_id=mine.id, changes=changes, expected_version=None
        ),
    )
    await refused(
        "skill_unknown",
        enrollments.update_profile(
            uow(),
            sam,
            program_id=program.id,
            enrollment_id=mine.id,
            expected_version=None,
            changes=ProfileChanges(skills_offered=[program.id]),
        ),
    )
    assert store.enrollments[mine.id].profile.skills_offered == []


async def test_approval_respects_the_pilot_and_training_makes_people_ready(uow, store, cast) -> None:
    hana = await cast.person("Hana Hr", Role.COORDINATOR)
    program = await cast.program(hana, status=ProgramStatus.ENROLLING, pilot_capacity=2, training_required=True)
    applied = [
        await enrollments.enrol(
            uow(),
            await cast.person(name),
            program_id=program.id,
            person_id=None,
            profile=Profile(role_preference=RolePreference.BOTH),
        )
        for name in ("Ann One", "Bob Two", "Cy Three")
    ]
    cast.announced()
    for enrollment in applied[:2]:
        approved = await enrollments.approve(
            uow(), hana, program_id=program.id, enrollment_id=enrollment.id, expected_version=None
        )
        assert approved.status is EnrollmentStatus.APPROVED  # training comes first
    await refused(
        "pilot_capacity_reached",
        enrollments.approve(uow(), hana, program_id=program.id, enrollment_id=applied[2].id, expected_version=None),
    )
    trained = await enrollments.record_training(
        uow(), hana, program_id=program.id, enrollment_id=applied[0].id, expected_version=None
    )
    assert store.enrollments[trained.id].status is EnrollmentStatus.READY
    assert cast.announced() == [
        "enrollment.status_changed",
        "enrollment.status_changed",
        "enrollment.training_completed",
        "enrollment.status_changed",
    ]
    await refused(
        "training_already_recorded",
        enrollments.record_training(
            uow(), hana, program_id=program.id, enrollment_id=applied[0].id, expected_version=None
        ),
    )
    await refused(
        "approve_forbidden",
        enrollments.approve(
            uow(),
            await cast.person("Sam Junior"),
            program_id=program.id,
            enrollment_id=applied[2].id,
            expected_version=None,
        ),
    )


async def test_the_person_or_a_coordinator_withdraws_an_enrollment(uow, store, cast) -> None:
    hana = await cast.person("Hana Hr", Role.COORDINATOR)
    sam, kim = await cast.person("Sam Junior"), await cast.person("Kim Other")
    program = await cast.program(hana, status=ProgramStatus.ENROLLING)
    mine = await cast.ready(sam, program, hana)
    await refused(
        "enrollment_not_found",
        enrollments.withdraw(
            uow(), kim, program_id=program.id, enrollment_id=mine.id, reason=None, expected_version=None
        ),
    )
    cast.announced()
    gone = await enrollments.withdraw(
        uow(), sam, program_id=program.id, enrollment_id=mine.id, reason="  too busy ", expected_version=None
    )
    assert (store.enrollments[gone.id].status, gone.withdrawal_reason) == (EnrollmentStatus.WITHDRAWN, "too busy")
    assert cast.announced() == ["enrollment.status_changed"]
