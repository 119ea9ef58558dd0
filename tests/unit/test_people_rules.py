"""Pure domain rules of the foundation: the reporting line, the program lifecycle, the enrollment
state machine. No database, no HTTP: milliseconds."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.enrollments import Enrollment, EnrollmentStatus, MeetingMode, Profile, ProfileChanges, RolePreference
from app.domain.errors import DomainError
from app.domain.events import EnrollmentStatusChanged, PersonDeactivated, PersonUpdated, ProgramStatusChanged
from app.domain.people import Person, PersonChanges, ensure_no_reporting_cycle, manager_chain
from app.domain.programs import Objective, Program, ProgramChanges, ProgramKind, ProgramStatus
from app.domain.proposals import ReviewVerdict

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def code_of(call: object) -> str:
    with pytest.raises(DomainError) as raised:
        call()  # type: ignore[operator]
    return raised.value.code


# --- the reporting line -------------------------------------------------------------------------------
def ids(n: int) -> list[UUID]:
    return [UUID(int=i + 1) for i in range(n)]


@st.composite
def org_chart(draw: st.DrawFn) -> tuple[list[UUID], dict[UUID, UUID | None]]:
    """A forest: each person's manager (if any) comes earlier, so the chart has no cycle."""
    people = ids(draw(st.integers(min_value=1, max_value=12)))
    managers: dict[UUID, UUID | None] = {}
    for index, person in enumerate(people):
        managers[person] = draw(st.none() | st.sampled_from(people[:index])) if index else None
    return people, managers


def reports_to(person: UUID, boss: UUID, managers: dict[UUID, UUID | None]) -> bool:
    current = managers.get(person)
    while current is not None:
        if current == boss:
            return True
        current = managers.get(current)
    return False


@settings(max_examples=300, deadline=None)
@given(chart=org_chart(), data=st.data())
def test_a_new_manager_is_refused_exactly_when_it_closes_a_loop(chart, data) -> None:
    people, managers = chart
    person = data.draw(st.sampled_from(people))
    new_manager = data.draw(st.none() | st.sampled_from(people))
    closes_loop = new_manager is not None and (new_manager == person or reports_to(new_manager, person, managers))
    if closes_loop:
        assert code_of(lambda: ensure_no_reporting_cycle(person, new_manager, managers)) == "reporting_cycle"
    else:
        ensure_no_reporting_cycle(person, new_manager, managers)


def test_an_existing_loop_elsewhere_does_not_hang_the_check() -> None:
    a, b, c, d = ids(4)
    broken = {a: b, b: a, c: None, d: None}
    ensure_no_reporting_cycle(c, a, broken)  # c under the (already broken) a–b loop: not c's cycle
    assert code_of(lambda: ensure_no_reporting_cycle(d, d, broken)) == "reporting_cycle"


def test_the_manager_chain_goes_up_to_the_depth() -> None:
    a, b, c, d = ids(4)
    managers = {a: None, b: a, c: b, d: c}
    assert manager_chain(d, managers, 2) == [c, b]
    assert manager_chain(d, managers, 10) == [c, b, a]
    assert manager_chain(a, managers, 2) == []


def person(**fields: object) -> Person:
    values: dict[str, object] = {
        "id": UUID(int=1), "email": "sam@example.com", "given_name": "Sam", "family_name": "Junior",
        "created_at": NOW, "updated_at": NOW, **fields,
    }  # fmt: skip
    return Person(**values)  # type: ignore[arg-type]


def test_a_person_cannot_be_their_own_manager() -> None:
    sam = person()
    assert code_of(lambda: sam.update(PersonChanges(manager_id=sam.id), now=LATER)) == "reporting_cycle"


def test_only_real_changes_are_announced() -> None:
    sam = person(department="Ops")
    assert sam.update(PersonChanges(department="Ops"), now=LATER) == []
    assert (sam.updated_at, sam.events) == (NOW, [])
    assert sam.update(PersonChanges(department="Finance", location="Leeds"), now=LATER) == ["department", "location"]
    assert sam.updated_at == LATER
    [event] = sam.events
    assert isinstance(event, PersonUpdated) and event.fields == ["department", "location"]


def test_deactivation_is_once() -> None:
    sam = person()
    sam.deactivate(now=LATER)
    assert (sam.active, sam.deactivated_at) == (False, LATER)
    assert [type(e) for e in sam.events] == [PersonDeactivated]
    assert code_of(lambda: sam.deactivate(now=LATER)) == "person_already_inactive"


# --- the program lifecycle ---------------------------------------------------------------------------------
S = ProgramStatus
LEGAL_PROGRAM_MOVES = {
    (S.DRAFT, S.ENROLLING), (S.DRAFT, S.CLOSED),
    (S.ENROLLING, S.MATCHING), (S.ENROLLING, S.CLOSED),
    (S.MATCHING, S.ENROLLING), (S.MATCHING, S.ACTIVE), (S.MATCHING, S.CLOSED),
    (S.ACTIVE, S.EVALUATING),
    (S.EVALUATING, S.CLOSED),
}  # fmt: skip


def program(status: ProgramStatus = S.DRAFT, **fields: object) -> Program:
    values: dict[str, object] = {
        "id": UUID(int=7), "kind": ProgramKind.RECIPROCAL, "name": "Exchange", "created_by": None,
        "created_at": NOW, "updated_at": NOW, "status": status, "coordinator_ids": [UUID(int=1)],
        "cycle_start": date(2027, 1, 11), "cycle_end": date(2027, 6, 30), **fields,
    }  # fmt: skip
    return Program(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("start", "target"), list(itertools.product(S, S)))
def test_the_program_lifecycle_allows_exactly_the_legal_moves(start, target) -> None:
    p = program(start)
    if (start, target) in LEGAL_PROGRAM_MOVES:
        p.transition(target, now=LATER)
        assert (p.status, p.updated_at) == (target, LATER)
        [event] = p.events
        assert isinstance(event, ProgramStatusChanged)
        assert (event.from_status, event.to_status) == (start, target)
    else:
        assert code_of(lambda: p.transition(target, now=LATER)) == "illegal_program_transition"
        assert (p.status, p.updated_at, p.events) == (start, NOW, [])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list(S)), max_size=25))
def test_any_sequence_of_requests_keeps_the_program_on_legal_ground(targets) -> None:
    p = program()
    for target in targets:
        before = p.status
        if (before, target) in LEGAL_PROGRAM_MOVES:
            p.transition(target, now=LATER)
            assert p.status is target
        else:
            assert code_of(lambda t=target: p.transition(t, now=LATER)) == "illegal_program_transition"
            assert p.status is before
    moves = [(e.from_status, e.to_status) for e in p.events if isinstance(e, ProgramStatusChanged)]
    assert all(move in LEGAL_PROGRAM_MOVES for move in moves)
    assert [to for _, to in moves][-1:] == ([p.status] if moves else [])


def test_launching_needs_a_coordinator_and_cycle_dates_but_abandoning_does_not() -> None:
    assert (
        code_of(lambda: program(coordinator_ids=[]).transition(S.ENROLLING, now=LATER)) == "program_needs_coordinator"
    )
    assert code_of(lambda: program(cycle_end=None).transition(S.ENROLLING, now=LATER)) == "program_needs_cycle_dates"
    abandoned = program(coordinator_ids=[], cycle_start=None, cycle_end=None)
    abandoned.transition(S.CLOSED, now=LATER)
    assert abandoned.status is S.CLOSED


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": "  "}, "program_name_required"),
        ({"cycle_start": date(2027, 6, 30), "cycle_end": date(2027, 6, 30)}, "cycle_dates_out_of_order"),
        ({"cadence_days": 0}, "cadence_out_of_range"),
        ({"cadence_days": 366}, "cadence_out_of_range"),
        ({"pilot_capacity": 1}, "pilot_capacity_out_of_range"),
        ({"pilot_capacity": 100_001}, "pilot_capacity_out_of_range"),
        ({"max_relationships_per_person": 0}, "relationships_per_person_out_of_range"),
        ({"max_relationships_per_person": 11}, "relationships_per_person_out_of_range"),
    ],
)
def test_program_settings_are_validated(fields, code) -> None:
    assert code_of(lambda: program(**fields).validate()) == code


def test_objectives_need_a_metric_and_a_non_negative_target() -> None:
    assert code_of(lambda: Objective(id=uuid4(), metric=" ", target=1, unit="%")) == "objective_metric_required"
    assert code_of(lambda: Objective(id=uuid4(), metric="m", target=-1, unit="%")) == "objective_target_negative"


@pytest.mark.parametrize("status", [S.ACTIVE, S.EVALUATING])
def test_structural_settings_freeze_once_launched(status) -> None:
    p = program(status)
    structural = [
        ("pilot_capacity", 10),
        ("role_turn_policy", "alternate(2)"),
        ("training_required", True),
        ("matching_rules", {"x": 1}),
        ("cadence_days", 7),
        ("cycle_start", date(2027, 1, 4)),
    ]
    for name, value in structural:
        change = ProgramChanges(**{name: value})  # type: ignore[arg-type]
        assert code_of(lambda c=change: p.update(c, now=LATER, new_id=uuid4)) == "program_settings_frozen"
    edit = ProgramChanges(name="Cohort 1", cycle_end=date(2027, 7, 31))
    assert p.update(edit, now=LATER, new_id=uuid4) == ["name", "cycle_end"]


def test_a_closed_program_does_not_change() -> None:
    closed = program(S.CLOSED)
    assert code_of(lambda: closed.update(ProgramChanges(name="x"), now=LATER, new_id=uuid4)) == "program_closed"


@pytest.mark.parametrize("status", [s for s in S if s is not S.DRAFT])
def test_the_proposal_is_discussed_only_while_draft(status) -> None:
    p = program(status)
    author = UUID(int=3)
    assert code_of(lambda: p.comment(comment_id=uuid4(), author_id=author, body="hi", now=LATER)) == "proposal_closed"
    review = lambda: p.review(review_id=uuid4(), reviewer_id=author, verdict=ReviewVerdict.ENDORSE, body="", now=LATER)  # noqa: E731
    assert code_of(review) == "proposal_closed"


def test_an_empty_comment_is_refused() -> None:
    assert (
        code_of(lambda: program().comment(comment_id=uuid4(), author_id=UUID(int=3), body="  ", now=LATER))
        == "comment_empty"
    )


# --- the enrollment state machine ---------------------------------------------------------------------------
E = EnrollmentStatus
LEGAL_ENROLLMENT_MOVES = {
    (E.APPLIED, E.APPROVED), (E.APPLIED, E.WITHDRAWN),
    (E.APPROVED, E.READY), (E.APPROVED, E.WITHDRAWN),
    (E.READY, E.MATCHED), (E.READY, E.WITHDRAWN),
    (E.MATCHED, E.COMPLETED), (E.MATCHED, E.WITHDRAWN), (E.MATCHED, E.READY),  # back to the pool on rematch
}  # fmt: skip


def enrollment(status: EnrollmentStatus = E.APPLIED, kind: ProgramKind = ProgramKind.RECIPROCAL) -> Enrollment:
    role = RolePreference.BOTH if kind is ProgramKind.RECIPROCAL else RolePreference.MENTOR
    e = Enrollment.apply(
        enrollment_id=UUID(int=9), program_id=UUID(int=7), kind=kind, person_id=UUID(int=3),
        profile=Profile(role_preference=role), now=NOW,
    )  # fmt: skip
    e.status = status
    e.events.clear()
    return e


def attempt(e: Enrollment, target: EnrollmentStatus) -> None:
    """Ask for a move through the aggregate's own verbs."""
    if target is E.APPROVED:
        e.approve(training_required=True, admitted_count=0, pilot_capacity=None, now=LATER)
    elif target is E.READY:
        if e.status is E.MATCHED:
            e.return_to_pool(now=LATER)
        else:
            e._move(E.READY, now=LATER)
    elif target is E.MATCHED:
        e.mark_matched(now=LATER)
    elif target is E.COMPLETED:
        e.complete(now=LATER)
    elif target is E.WITHDRAWN:
        e.withdraw(reason=None, now=LATER)
    else:
        e._move(target, now=LATER)


@pytest.mark.parametrize(("start", "target"), list(itertools.product(E, E)))
def test_the_enrollment_state_machine_allows_exactly_the_legal_moves(start, target) -> None:
    e = enrollment(start)
    if (start, target) in LEGAL_ENROLLMENT_MOVES:
        attempt(e, target)
        assert e.status is target
        moves = [(ev.from_status, ev.to_status) for ev in e.events if isinstance(ev, EnrollmentStatusChanged)]
        assert moves == [(start, target)]
    else:
        assert code_of(lambda: attempt(e, target)) == "illegal_enrollment_transition"
        assert (e.status, e.events) == (start, [])


def test_approval_without_training_makes_ready_at_once() -> None:
    e = enrollment()
    e.approve(training_required=False, admitted_count=0, pilot_capacity=None, now=LATER)
    assert (e.status, e.approved_at) == (E.READY, LATER)
    assert [(ev.from_status, ev.to_status) for ev in e.events] == [(E.APPLIED, E.APPROVED), (E.APPROVED, E.READY)]


def test_with_training_required_ready_follows_training_whichever_comes_first() -> None:
    e = enrollment()
    e.approve(training_required=True, admitted_count=0, pilot_capacity=None, now=LATER)
    assert e.status is E.APPROVED
    e.complete_training(training_required=True, now=LATER)
    assert e.status is E.READY

    trained_first = enrollment()
    trained_first.complete_training(training_required=True, now=LATER)
    assert trained_first.status is E.APPLIED
    trained_first.approve(training_required=True, admitted_count=0, pilot_capacity=None, now=LATER)
    assert trained_first.status is E.READY


@pytest.mark.parametrize(("admitted", "capacity", "ok"), [(0, None, True), (1, 2, True), (2, 2, False), (5, 2, False)])
def test_approval_respects_the_pilot_capacity(admitted, capacity, ok) -> None:
    e = enrollment()
    approve = lambda: e.approve(training_required=False, admitted_count=admitted, pilot_capacity=capacity, now=LATER)  # noqa: E731
    if ok:
        approve()
        assert e.status is E.READY
    else:
        assert code_of(approve) == "pilot_capacity_reached"
        assert (e.status, e.events) == (E.APPLIED, [])


@pytest.mark.parametrize("status", [E.COMPLETED, E.WITHDRAWN])
def test_training_is_recorded_only_on_live_enrollments(status) -> None:
    assert (
        code_of(lambda: enrollment(status).complete_training(training_required=True, now=LATER))
        == "enrollment_not_live"
    )


@pytest.mark.parametrize("status", list(E))
def test_the_profile_is_editable_only_before_matching(status) -> None:
    e = enrollment(status)
    change = ProfileChanges(motivation="Grow")
    if status in {E.APPLIED, E.APPROVED, E.READY}:
        assert e.update_profile(change, ProgramKind.RECIPROCAL, now=LATER) == ["motivation"]
    else:
        assert (
            code_of(lambda: e.update_profile(change, ProgramKind.RECIPROCAL, now=LATER)) == "enrollment_profile_locked"
        )


@pytest.mark.parametrize(
    ("kind", "role", "ok"),
    [(k, r, (k is ProgramKind.REVERSE) != (r is RolePreference.BOTH)) for k in ProgramKind for r in RolePreference],
)
def test_the_role_preference_fits_the_program_kind(kind, role, ok) -> None:
    profile = Profile(role_preference=role)
    if ok:
        profile.validate(kind)
    else:
        with pytest.raises(DomainError) as raised:
            profile.validate(kind)
        assert raised.value.code == "role_preference_not_allowed"
        assert [p.path for p in raised.value.errors] == ["role_preference"]


def test_a_profile_is_normalised_and_its_slots_checked() -> None:
    skill = uuid4()
    profile = Profile(
        role_preference=RolePreference.BOTH,
        skills_offered=[skill, skill],
        interests=["Cycling", " cycling ", ""],
        meeting_modes=[MeetingMode.VIDEO, MeetingMode.VIDEO],
        availability=["tue-pm", "mon-am", "tue-pm"],
    )
    profile.validate(ProgramKind.RECIPROCAL)
    assert (profile.skills_offered, profile.interests) == ([skill], ["cycling"])
    assert (profile.meeting_modes, profile.availability) == ([MeetingMode.VIDEO], ["mon-am", "tue-pm"])
    bad = Profile(role_preference=RolePreference.BOTH, availability=["someday"])
    assert code_of(lambda: bad.validate(ProgramKind.RECIPROCAL)) == "availability_slot_unknown"
