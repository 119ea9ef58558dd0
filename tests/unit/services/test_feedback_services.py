"""Check-ins, surveys and concerns through the in-memory unit of work."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.actors import Role
from app.domain.checkins import CheckinSchedule
from app.domain.errors import DomainError
from app.domain.programs import ProgramStatus
from app.domain.surveys import Question
from app.services import checkins, concerns, meetings, pairing, programs, surveys

QUESTIONS = [Question("growth", "scale", "How much did you learn?"), Question("learned", "text", "What?")]


async def hold_meetings(uow, cast, pair, member, count: int) -> None:
    for i in range(count):
        made = await meetings.schedule(
            uow(), member, relationship_id=pair.id, starts_at=cast.clock.now() - timedelta(days=3 * (count - i))
        )
        await meetings.mark_held(uow(), member, meeting_id=made.id, led_by=None, expected_version=None)


async def test_a_check_in_is_submitted_by_a_member_and_announced_without_content(uow, store, cast) -> None:
    pair, junior, senior, coordinator = await cast.pair()
    cast.announced()
    made = await checkins.submit_checkin(uow(), junior, relationship_id=pair.id, rating=4, going_well=" Fine ")
    assert (made.status, made.rating, made.going_well, made.due_at) == ("submitted", 4, "Fine", None)
    assert cast.announced() == ["checkin.submitted"]
    with pytest.raises(DomainError) as refused:
        await checkins.submit_checkin(uow(), coordinator, relationship_id=pair.id, rating=3)
    assert refused.value.code == "not_a_member"
    with pytest.raises(DomainError) as hidden:
        await checkins.get_checkin(uow(), senior, checkin_id=made.id)
    assert hidden.value.code == "checkin_not_found"
    assert (await checkins.get_checkin(uow(), coordinator, checkin_id=made.id)).rating == 4


async def test_check_ins_become_due_after_meeting_n_then_every_d_days_and_missed_ones_feed_health(
    uow, store, cast
) -> None:
    pair, junior, _, _ = await cast.pair()
    schedule = CheckinSchedule(after_meeting=2, every_days=30)
    await hold_meetings(uow, cast, pair, junior, 1)
    assert await checkins.make_checkins_due(uow, schedule=schedule) == 0
    await hold_meetings(uow, cast, pair, junior, 1)
    cast.announced()
    assert await checkins.make_checkins_due(uow, schedule=schedule) == 2  # one for each member
    assert cast.announced() == ["checkin.due", "checkin.due"]
    assert await checkins.make_checkins_due(uow, schedule=schedule) == 0  # already due
    # the junior answers theirs; the senior's is missed after 14 days
    answered = await checkins.submit_checkin(uow(), junior, relationship_id=pair.id, rating=4)
    assert answered.due_at is not None and answered.status == "submitted"
    cast.clock.current += timedelta(days=15)
    await hold_meetings(uow, cast, pair, junior, 1)
    assert await checkins.make_checkins_due(uow, schedule=schedule) == 1
    assert "checkin.missed" in cast.announced()
    cast.clock.current += timedelta(days=16)  # 31 days after the first: due again, for both
    await hold_meetings(uow, cast, pair, junior, 1)
    assert await checkins.make_checkins_due(uow, schedule=schedule) == 2
    cast.clock.current += timedelta(days=15)
    await hold_meetings(uow, cast, pair, junior, 1)
    cast.announced()
    await checkins.make_checkins_due(uow, schedule=schedule)  # both missed now: the senior twice
    assert store.relationships[pair.id].health_status == "at_risk"
    assert "relationship.at_risk" in cast.announced()


async def survey_with(cast, uow, count: int, k: int = 5):
    coordinator = await cast.person("Cora Ordinator", Role.COORDINATOR)
    program = await cast.program(coordinator, status=ProgramStatus.ENROLLING)
    people = [await cast.person(f"Pat {i}", seniority=2 + 5 * (i % 2), department="Sales") for i in range(count)]
    ready = [await cast.ready(p, program, coordinator) for p in people]
    await programs.transition_program(
        uow(), coordinator, program_id=program.id, to=ProgramStatus.MATCHING, expected_version=None
    )
    for a, b in zip(ready[::2], ready[1::2], strict=True):
        await pairing.create_relationship(uow(), coordinator, program_id=program.id, enrollment_ids=(a.id, b.id))
    made = await surveys.create_survey(uow(), coordinator, program_id=program.id, title="End", questions=QUESTIONS, k=k)
    await surveys.open_survey(uow(), coordinator, survey_id=made.survey.id, expected_version=None)
    return made.survey, people, coordinator


async def test_answers_wait_in_the_ballot_box_until_k_then_are_mixed_apart_from_the_ledger(uow, store, cast) -> None:
    survey, people, coordinator = await survey_with(cast, uow, 8)
    cast.announced()
    for i, person in enumerate(people[:4]):
        await surveys.respond_to_survey(uow(), person, survey_id=survey.id, answers={"growth": 1 + i})
    assert (len(store.ballots[survey.id]), store.survey_responses.get(survey.id, [])) == (4, [])
    await surveys.respond_to_survey(uow(), people[4], survey_id=survey.id, answers={"growth": 5})
    assert (store.ballots[survey.id], len(store.survey_responses[survey.id])) == ([], 5)
    assert {r.day for r in store.survey_responses[survey.id]} == {cast.clock.now().date()}
    assert len(store.survey_ledger) == 5 and cast.announced() == []  # answering announces nothing
    with pytest.raises(DomainError) as twice:
        await surveys.respond_to_survey(uow(), people[0], survey_id=survey.id, answers={"growth": 3})
    assert twice.value.code == "survey_already_answered"
    await surveys.respond_to_survey(uow(), people[5], survey_id=survey.id, answers={"learned": "A lot"})
    closed = await surveys.close_survey(uow(), coordinator, survey_id=survey.id, expected_version=None)
    assert (closed.respondents, len(store.survey_responses[survey.id]), store.ballots[survey.id]) == (6, 6, [])
    found = await surveys.survey_results(uow(), coordinator, survey_id=survey.id)
    assert found.respondents == 6 and found.questions[0].mean == 3.0 and found.questions[1].texts == ["A lot"]
    with pytest.raises(DomainError) as participant:
        await surveys.survey_results(uow(), people[0], survey_id=survey.id)
    assert participant.value.code == "survey_not_found"


async def test_a_scheduled_survey_opens_and_closes_on_time(uow, store, cast) -> None:
    coordinator = await cast.person("Cora Ordinator", Role.COORDINATOR)
    program = await cast.program(coordinator)
    now = cast.clock.now()
    made = await surveys.create_survey(
        uow(),
        coordinator,
        program_id=program.id,
        title="End",
        questions=QUESTIONS,
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=15),
    )
    cast.announced()
    assert await surveys.move_on_schedule(uow) == 0
    cast.clock.current += timedelta(days=1)
    assert await surveys.move_on_schedule(uow) == 1 and store.surveys[made.survey.id].status == "open"
    cast.clock.current += timedelta(days=14)
    assert await surveys.move_on_schedule(uow) == 1 and store.surveys[made.survey.id].status == "closed"
    assert cast.announced() == ["survey.opened", "survey.closed"]


async def test_an_approved_rematch_ends_the_pair_and_frees_both(uow, store, cast) -> None:
    pair, junior, senior, coordinator = await cast.pair()
    cast.announced()
    concern = await concerns.raise_concern(
        uow(), senior, program_id=pair.program_id, relationship_id=pair.id, kind="mismatch", text="No.", rematch=True
    )
    assert cast.announced() == ["concern.raised"]
    with pytest.raises(DomainError) as hidden:
        await concerns.get_concern(uow(), junior, concern_id=concern.id)
    assert hidden.value.code == "concern_not_found"
    closed = await concerns.close_concern(
        uow(), coordinator, concern_id=concern.id, outcome="rematch_approved", expected_version=None
    )
    assert closed.outcome == "rematch_approved"
    stored = store.relationships[pair.id]
    assert (stored.status, stored.end_reason) == ("ended", "rematch")
    assert sorted(e.status for e in store.enrollments.values()) == ["ready", "ready"]
    assert list(store.exclusions) == [(pair.program_id, frozenset(pair.member_ids))]
    assert cast.announced() == [
        "concern.resolved", "relationship.ended", "enrollment.status_changed", "enrollment.status_changed",
    ]  # fmt: skip
