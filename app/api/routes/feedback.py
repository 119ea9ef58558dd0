"""Check-ins, anonymous surveys and confidential concerns."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends
from fastapi.responses import JSONResponse

from app.api.deps import ActorDep, UowDep
from app.api.etag import expected_version
from app.api.idempotency import IdempotencyDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.feedback import (
    CheckinIn,
    CheckinList,
    CheckinOut,
    ConcernClose,
    ConcernCreate,
    ConcernList,
    ConcernOut,
    SurveyAnswers,
    SurveyCreate,
    SurveyList,
    SurveyOut,
    SurveyReceived,
    SurveyResultsOut,
    SurveyUpdate,
)
from app.domain.checkins import CheckIn
from app.domain.concerns import Concern
from app.services import checkins, concerns, surveys
from app.services.surveys import SurveyView

router = api_router(tags=["feedback"])
IfMatch = Annotated[int | None, Depends(expected_version)]
STATE_CHANGE = {200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)}


def _checkin(checkin: CheckIn, status: int = 200, location: str | None = None) -> JSONResponse:
    return resource(CheckinOut.of(checkin), version=checkin.version, status=status, location=location)


def _survey(view: SurveyView, status: int = 200, location: str | None = None) -> JSONResponse:
    return resource(SurveyOut.of(view), version=view.survey.version, status=status, location=location)


def _concern(concern: Concern, status: int = 200, location: str | None = None) -> JSONResponse:
    return resource(ConcernOut.of(concern), version=concern.version, status=status, location=location)


# --- check-ins ----------------------------------------------------------------------------------
@router.post(
    "/relationships/{relationship_id}/check-ins",
    status_code=201,
    response_model=CheckinOut,
    summary="Check in on your relationship",
    description=checkins.submit_checkin.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 422)},
)
async def submit_checkin(
    relationship_id: UUID, body: CheckinIn, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def submit() -> JSONResponse:
        checkin = await checkins.submit_checkin(
            uow,
            actor,
            relationship_id=relationship_id,
            rating=body.rating,
            going_well=body.going_well,
            not_going_well=body.not_going_well,
        )
        return _checkin(checkin, 201, f"/api/v1/check-ins/{checkin.id}")

    return await idempotency.run(body.model_dump(mode="json"), submit)


@router.get(
    "/check-ins",
    response_model=CheckinList,
    summary="List check-ins",
    description=checkins.list_checkins.__doc__,
    responses=problem_responses(401, 422),
)
async def list_checkins(
    actor: ActorDep,
    uow: UowDep,
    page: PageDep,
    program_id: UUID | None = None,
    relationship_id: UUID | None = None,
    person_id: UUID | None = None,
) -> CheckinList:
    result = await checkins.list_checkins(
        uow, actor, program_id=program_id, relationship_id=relationship_id, person_id=person_id, page=page
    )
    return CheckinList(items=[CheckinOut.of(c) for c in result.items], next_cursor=encode_cursor(result.next_after))


@router.get(
    "/check-ins/{checkin_id}",
    response_model=CheckinOut,
    summary="Get a check-in",
    description=checkins.get_checkin.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_checkin(checkin_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    return _checkin(await checkins.get_checkin(uow, actor, checkin_id=checkin_id))


# --- surveys ------------------------------------------------------------------------------------
@router.post(
    "/programs/{program_id}/surveys",
    status_code=201,
    response_model=SurveyOut,
    summary="Write a program's anonymous survey",
    description=surveys.create_survey.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 422)},
)
async def create_survey(
    program_id: UUID, body: SurveyCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        view = await surveys.create_survey(
            uow,
            actor,
            program_id=program_id,
            title=body.title,
            questions=[q.question() for q in body.questions],
            k=body.k,
            opens_at=body.opens_at,
            closes_at=body.closes_at,
        )
        return _survey(view, 201, f"/api/v1/surveys/{view.survey.id}")

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/programs/{program_id}/surveys",
    response_model=SurveyList,
    summary="List a program's surveys",
    description=surveys.list_surveys.__doc__,
    responses=problem_responses(401, 403, 404, 422),
)
async def list_surveys(program_id: UUID, actor: ActorDep, uow: UowDep, page: PageDep) -> SurveyList:
    result = await surveys.list_surveys(uow, actor, program_id=program_id, page=page)
    return SurveyList(
        items=[SurveyOut.of(SurveyView(s, None, None)) for s in result.items],
        next_cursor=encode_cursor(result.next_after),
    )


@router.get(
    "/surveys/{survey_id}",
    response_model=SurveyOut,
    summary="Get a survey",
    description=surveys.get_survey.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_survey(survey_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    return _survey(await surveys.get_survey(uow, actor, survey_id=survey_id))


@router.patch(
    "/surveys/{survey_id}",
    response_model=SurveyOut,
    summary="Revise a survey",
    description=surveys.revise_survey.__doc__,
    responses=STATE_CHANGE,
)
async def revise_survey(
    survey_id: UUID, body: SurveyUpdate, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    view = await surveys.revise_survey(
        uow,
        actor,
        survey_id=survey_id,
        title=body.title,
        questions=None if body.questions is None else [q.question() for q in body.questions],
        k=body.k,
        opens_at=body.opens_at,
        closes_at=body.closes_at,
        expected_version=if_match,
    )
    return _survey(view)


@router.post(
    "/surveys/{survey_id}/open",
    response_model=SurveyOut,
    summary="Open a survey",
    description=surveys.open_survey.__doc__,
    responses=STATE_CHANGE,
)
async def open_survey(survey_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _survey(await surveys.open_survey(uow, actor, survey_id=survey_id, expected_version=if_match))


@router.post(
    "/surveys/{survey_id}/close",
    response_model=SurveyOut,
    summary="Close a survey",
    description=surveys.close_survey.__doc__,
    responses=STATE_CHANGE,
)
async def close_survey(survey_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _survey(await surveys.close_survey(uow, actor, survey_id=survey_id, expected_version=if_match))


@router.post(
    "/surveys/{survey_id}/responses",
    status_code=202,
    response_model=SurveyReceived,
    summary="Answer a survey anonymously",
    description=(surveys.respond_to_survey.__doc__ or "")
    + "\n`Idempotency-Key` is not honoured here: an idempotency record would tie the answers to you.",
    responses=problem_responses(401, 404, 409, 422),
)
async def respond_to_survey(survey_id: UUID, body: SurveyAnswers, actor: ActorDep, uow: UowDep) -> SurveyReceived:
    await surveys.respond_to_survey(uow, actor, survey_id=survey_id, answers=body.answers)
    return SurveyReceived(received=True)


@router.get(
    "/surveys/{survey_id}/results",
    response_model=SurveyResultsOut,
    summary="A survey's k-anonymous results",
    description=surveys.survey_results.__doc__,
    responses=problem_responses(401, 404),
)
async def survey_results(survey_id: UUID, actor: ActorDep, uow: UowDep) -> SurveyResultsOut:
    return SurveyResultsOut.of(await surveys.survey_results(uow, actor, survey_id=survey_id))


# --- concerns -----------------------------------------------------------------------------------
@router.post(
    "/concerns",
    status_code=201,
    response_model=ConcernOut,
    summary="Raise a confidential concern",
    description=concerns.raise_concern.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 422)},
)
async def raise_concern(body: ConcernCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep) -> JSONResponse:
    async def create() -> JSONResponse:
        concern = await concerns.raise_concern(
            uow,
            actor,
            program_id=body.program_id,
            kind=body.kind,
            text=body.text,
            relationship_id=body.relationship_id,
            rematch=body.rematch,
        )
        return _concern(concern, 201, f"/api/v1/concerns/{concern.id}")

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/concerns",
    response_model=ConcernList,
    summary="List concerns",
    description=concerns.list_concerns.__doc__,
    responses=problem_responses(401, 422),
)
async def list_concerns(actor: ActorDep, uow: UowDep, page: PageDep, program_id: UUID | None = None) -> ConcernList:
    result = await concerns.list_concerns(uow, actor, program_id=program_id, page=page)
    return ConcernList(items=[ConcernOut.of(c) for c in result.items], next_cursor=encode_cursor(result.next_after))


@router.get(
    "/concerns/{concern_id}",
    response_model=ConcernOut,
    summary="Get a concern",
    description=concerns.get_concern.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_concern(concern_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    return _concern(await concerns.get_concern(uow, actor, concern_id=concern_id))


@router.post(
    "/concerns/{concern_id}/close",
    response_model=ConcernOut,
    summary="Close a concern (resolve, approve or decline a rematch)",
    description=concerns.close_concern.__doc__,
    responses=STATE_CHANGE,
)
async def close_concern(
    concern_id: UUID, body: ConcernClose, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    concern = await concerns.close_concern(
        uow, actor, concern_id=concern_id, outcome=body.outcome, note=body.note, expected_version=if_match
    )
    return _concern(concern)
