"""Anonymous end-of-cycle survey use cases (the rules are in :mod:`app.domain.surveys`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import conflict, not_found
from app.domain.jobs import JobRequest
from app.domain.ports import Page, PageRequest, UnitOfWork
from app.domain.read_side import ProgramAccess
from app.domain.surveys import (
    GROUP_DIMENSIONS,
    Ballot,
    Question,
    Survey,
    SurveyResults,
    coarse_groups,
    mix,
    results,
    should_mix,
)
from app.services.common import ensure_version


@dataclass(frozen=True)
class SurveyView:
    """A survey as its reader sees it: the staff get the response count (how many, never who)."""

    survey: Survey
    respondents: int | None
    answered_by_me: bool | None


async def _access(uow: UnitOfWork, actor: Actor, program_id: UUID) -> ProgramAccess:
    access = await uow.queries.program_access(actor, program_id)
    if access is None:
        raise not_found("program", program_id)
    return access


async def _managed(uow: UnitOfWork, actor: Actor, survey_id: UUID, *, lock: bool = False) -> Survey:
    survey = await uow.surveys.get(survey_id, lock=lock)
    if survey is None:
        raise not_found("survey", survey_id)
    access = await _access(uow, actor, survey.program_id)
    if not policies.can_read_survey(actor, access):
        raise not_found("survey", survey_id)
    policies.require(
        policies.can_manage_survey(actor, access),
        "survey_manage_forbidden",
        "Only the program's coordinators write, open and close its survey.",
    )
    return survey


async def _mix(uow: UnitOfWork, survey: Survey, *, closing: bool) -> None:
    waiting = await uow.surveys.ballots_waiting(survey.id)
    if should_mix(waiting, survey.k, closing=closing):
        ballots = await uow.surveys.take_ballots(survey.id)
        await uow.surveys.store_mixed(survey.id, mix(ballots, uow.clock.now().date()))


async def create_survey(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID,
    title: str,
    questions: Sequence[Question],
    k: int = 5,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> SurveyView:
    """Write a program's anonymous survey (a draft): questions of kind ``scale`` (1–5), ``single``
    or ``multiple`` choice, ``text``.

    - the program's coordinators (and admins), typically with the advisory committee, who can read it;
    - ``k`` (default 5, at least 5) is the smallest group of respondents any result shows;
    - ``opens_at`` / ``closes_at`` schedule the opening and closing (a job moves it on time, the
      closing mixing in what waits in the ballot box).
    """
    async with uow:
        access = await _access(uow, actor, program_id)
        policies.require(
            policies.can_manage_survey(actor, access),
            "survey_manage_forbidden",
            "Only the program's coordinators write, open and close its survey.",
        )
        survey = Survey.draft(
            id=uow.ids.new_id(),
            program_id=program_id,
            title=title,
            questions=questions,
            now=uow.clock.now(),
            k=k,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        uow.surveys.add(survey)
        schedule_moves(uow, survey)
        await uow.commit()
        return SurveyView(survey, 0, None)


async def revise_survey(
    uow: UnitOfWork,
    actor: Actor,
    *,
    survey_id: UUID,
    title: str | None = None,
    questions: Sequence[Question] | None = None,
    k: int | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    expected_version: int | None,
) -> SurveyView:
    """Change a draft survey's title, questions, k or schedule; an open survey's closing time.

    - the program's coordinators (and admins); questions are fixed once it opened.
    """
    async with uow:
        survey = await _managed(uow, actor, survey_id)
        ensure_version(survey, expected_version, "survey")
        survey.revise(title=title, questions=questions, k=k, opens_at=opens_at, closes_at=closes_at)
        if opens_at is not None or closes_at is not None:
            schedule_moves(uow, survey)
        await uow.commit()
        return SurveyView(survey, await uow.queries.survey_respondents(survey.id), None)


async def open_survey(uow: UnitOfWork, actor: Actor, *, survey_id: UUID, expected_version: int | None) -> SurveyView:
    """Open a draft survey to the program's participants (``survey.opened``).

    - the program's coordinators (and admins).
    """
    async with uow:
        survey = await _managed(uow, actor, survey_id)
        ensure_version(survey, expected_version, "survey")
        survey.open(uow.clock.now())
        await uow.commit()
        return SurveyView(survey, 0, None)


async def close_survey(uow: UnitOfWork, actor: Actor, *, survey_id: UUID, expected_version: int | None) -> SurveyView:
    """Close an open survey (``survey.closed``): its results can be read from now on.

    - the program's coordinators (and admins); closed is final;
    - the responses still in the ballot box are mixed in, in this transaction — no respondent's.
    """
    async with uow:
        survey = await _managed(uow, actor, survey_id, lock=True)
        ensure_version(survey, expected_version, "survey")
        await close_now(uow, survey)
        await uow.commit()
        return SurveyView(survey, await uow.queries.survey_respondents(survey.id), None)


async def close_now(uow: UnitOfWork, survey: Survey) -> None:
    """Close and mix what waits (shared by the coordinator's close and the scheduled one)."""
    survey.close(uow.clock.now())
    await _mix(uow, survey, closing=True)


SCHEDULE_JOB = "surveys.schedule"


def schedule_moves(uow: UnitOfWork, survey: Survey) -> None:
    """Ask for the ``surveys.schedule`` job at the survey's opening and closing times (a time moved
    later leaves a job that finds nothing to do; the dedupe key keeps one per survey and time)."""
    for at in (survey.opens_at, survey.closes_at):
        if at is not None:
            uow.jobs.enqueue(
                JobRequest(SCHEDULE_JOB, {"survey_id": str(survey.id)}, run_at=at, dedupe_key=f"{survey.id}@{at}")
            )


async def move_on_schedule(new_uow: Callable[[], UnitOfWork]) -> int:
    """The ``surveys.schedule`` job: open the drafts whose opening time came, close (and mix) the
    open surveys whose closing time came. Returns how many moved."""
    async with new_uow() as uow:
        now = uow.clock.now()
        due = await uow.surveys.on_schedule(now)
        for survey in due:
            if survey.due_move(now) == "open":
                survey.open(now)
            else:
                await close_now(uow, survey)
        await uow.commit()
        return len(due)


async def get_survey(uow: UnitOfWork, actor: Actor, *, survey_id: UUID) -> SurveyView:
    """Read a survey's questions and state.

    - the program's coordinators, admins and advisory committee (with the response count: how many
      answered, never who); the program's participants once it opened (with whether they answered);
      to anyone else it does not exist.
    """
    async with uow:
        survey = await uow.queries.survey(survey_id)
        if survey is None:
            raise not_found("survey", survey_id)
        access = await _access(uow, actor, survey.program_id)
        if policies.can_read_survey(actor, access):
            return SurveyView(survey, await uow.queries.survey_respondents(survey.id), None)
        me = actor.person_id
        if survey.status == "draft" or me is None or me not in await uow.queries.survey_population(survey.program_id):
            raise not_found("survey", survey_id)
        return SurveyView(survey, None, await uow.surveys.has_answered(survey.id, me))


async def list_surveys(uow: UnitOfWork, actor: Actor, *, program_id: UUID, page: PageRequest) -> Page[Survey]:
    """A program's surveys, oldest first.

    - the program's coordinators, admins and advisory committee; participants see them through
      ``GET /surveys/{id}`` once opened.
    """
    async with uow:
        access = await _access(uow, actor, program_id)
        policies.require(
            policies.can_read_survey(actor, access),
            "survey_read_forbidden",
            "The program's coordinators and advisory committee list its surveys.",
        )
        return await uow.queries.surveys(program_id, page)


async def respond_to_survey(uow: UnitOfWork, actor: Actor, *, survey_id: UUID, answers: Mapping[str, Any]) -> None:
    """Answer a survey, anonymously. Nothing is returned: not even the response's id.

    - the program's participants (matched or completed, or once in one of its active pairs), once
      each, while it is open;
    - what is kept: in a ledger, *that* you answered; apart from it, your answers with your role,
      department and generation (a group of fewer than k of the participants is stored as
      ``other``) — no id of yours, no time, no order: answers wait in a ballot box and are mixed
      into the responses in shuffled batches of at least k, stamped with the day only;
    - no event, no idempotency record and no log line carries them.
    """
    me = policies.require_person(actor)
    async with uow:
        survey = await uow.surveys.get(survey_id, lock=True)  # one submission at a time per survey
        population = await uow.queries.survey_population(survey.program_id) if survey is not None else {}
        if survey is None or survey.status == "draft" or me not in population:
            raise not_found("survey", survey_id)
        answers = survey.ballot(answers)
        if await uow.surveys.has_answered(survey.id, me):
            raise conflict("survey_already_answered", "You already answered this survey.")
        sizes = {dim: Counter(v for g in population.values() if (v := g[dim]) is not None) for dim in GROUP_DIMENSIONS}
        await uow.surveys.record_answered(survey.id, me)
        await uow.surveys.drop_ballot(survey.id, Ballot(answers, coarse_groups(population[me], sizes, survey.k)))
        await _mix(uow, survey, closing=False)
        await uow.commit()


async def survey_results(uow: UnitOfWork, actor: Actor, *, survey_id: UUID) -> SurveyResults:
    """A survey's results: aggregates only, after it closed, for groups of at least k.

    - the program's coordinators, admins and advisory committee;
    - nothing before the survey closed (no two readings ever differ by one response), nothing when
      fewer than k answered; breakdowns by role, department and generation show a cell only when it
      and its complement hold at least k, and withhold more cells if what they leave over is below
      k; free text only past k, shuffled, never broken down.
    """
    async with uow:
        survey = await uow.queries.survey(survey_id)
        if survey is None:
            raise not_found("survey", survey_id)
        access = await _access(uow, actor, survey.program_id)
        if not policies.can_read_survey(actor, access):
            raise not_found("survey", survey_id)
        found = await uow.queries.survey_responses(survey.id) if survey.status == "closed" else []
        return results(survey, found)
