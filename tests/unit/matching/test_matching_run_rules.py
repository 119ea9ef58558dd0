"""Rules of matching runs that need no database: pins and forbids, when a run may be published, and
what the engine is told about a person (consent-gated attributes, the reporting line)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from matching_pools import uid

from app.domain.enrollments import Enrollment, EnrollmentStatus, MeetingMode, Profile, RolePreference
from app.domain.errors import DomainError
from app.domain.matching import MatchingResult
from app.domain.matching_runs import MatchingRun, RunStatus, check_adjustments, normalise_pairs
from app.domain.pairing import candidate
from app.domain.people import Person

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
A, B, C = uid(1), uid(2), uid(3)


def _refused(call: object, *args: object) -> DomainError:
    with pytest.raises(DomainError) as raised:
        call(*args)  # type: ignore[operator]
    return raised.value


def test_a_pair_needs_two_enrollments_and_repeats_count_once_in_either_order() -> None:
    assert normalise_pairs([(A, B), (B, A), (A, C)], "pins") == [(A, B), (A, C)]
    refused = _refused(normalise_pairs, [(A, B), (C, C)], "forbids")
    assert (refused.code, refused.kind) == ("pair_of_one", "invalid")
    assert refused.errors[0].path == "forbids[1]"


def test_a_pair_cannot_be_pinned_and_forbidden_and_an_enrollment_is_pinned_once() -> None:
    check_adjustments([(A, B)], [(A, C)])
    assert _refused(check_adjustments, [(A, B)], [(B, A)]).code == "pair_pinned_and_forbidden"
    assert _refused(check_adjustments, [(A, B), (C, A)], []).code == "enrollment_pinned_twice"


def test_only_a_completed_run_is_published_and_only_once() -> None:
    run = MatchingRun(id=uid(10), program_id=uid(11), started_by=None, created_at=NOW)
    with pytest.raises(DomainError) as raised:
        run.publish(relationships=0, now=NOW)
    assert (raised.value.code, raised.value.kind) == ("run_not_publishable", "conflict")
    run.start(pool_size=0, now=NOW)
    result = MatchingResult(
        pairs=[], unmatched=[], total_score=0.0, upper_bound=0.0, quality=1.0, seconds=0.0, solver="none"
    )
    run.complete(result, now=NOW)
    run.publish(relationships=0, now=NOW)
    assert run.status is RunStatus.PUBLISHED
    with pytest.raises(DomainError) as raised:
        run.publish(relationships=0, now=NOW)
    assert raised.value.code == "run_not_publishable"


def test_a_cut_off_solve_restarts_from_the_start_and_only_a_running_run_restarts() -> None:
    from datetime import timedelta

    run = MatchingRun(id=uid(10), program_id=uid(11), started_by=None, created_at=NOW)
    assert _refused(lambda: run.restart(pool_size=4, now=NOW)).code == "run_not_running"
    run.start(pool_size=4, now=NOW)
    run.progress = 0.6
    later = NOW + timedelta(minutes=3)
    run.restart(pool_size=5, now=later)
    assert (run.status, run.progress, run.pool_size, run.started_at) == (RunStatus.RUNNING, 0.0, 5, later)
    assert _refused(lambda: run.start(pool_size=4, now=NOW)).code == "run_not_queued"


def _person(n: int, **fields: object) -> Person:
    return Person(
        id=uid(n),
        email=f"p{n}@example.com",
        given_name="P",
        family_name=str(n),
        created_at=NOW,
        updated_at=NOW,
        **fields,  # type: ignore[arg-type]
    )


def _enrollment(person: Person) -> Enrollment:
    profile = Profile(role_preference=RolePreference.MENTOR, meeting_modes=[MeetingMode.VIDEO], interests=["chess"])
    return Enrollment(
        id=uid(100 + person.id.int),
        program_id=uid(99),
        person_id=person.id,
        profile=profile,
        created_at=NOW,
        updated_at=NOW,
        status=EnrollmentStatus.READY,
    )


def test_self_identified_attributes_reach_the_engine_only_with_consent() -> None:
    private = _person(1, attributes={"gender": "woman"})
    assert candidate(_enrollment(private), private, {}, 2).consented_attributes == {}
    shared = _person(2, attributes={"gender": "woman"}, matching_consent=True)
    assert candidate(_enrollment(shared), shared, {}, 2).consented_attributes == {"gender": "woman"}


def test_the_engine_sees_the_manager_chain_up_to_the_programs_depth() -> None:
    me = _person(1)
    managers = {uid(1): uid(2), uid(2): uid(3), uid(3): uid(4), uid(4): None}
    seen = candidate(_enrollment(me), me, managers, 2, capacity=3)
    assert seen.manager_chain == (uid(2), uid(3))
    assert seen.remaining_capacity == 3
    assert (seen.role, seen.meeting_modes, seen.interests) == ("mentor", frozenset({"video"}), frozenset({"chess"}))
