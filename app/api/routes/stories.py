"""Success stories and recognitions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Response
from fastapi.responses import JSONResponse

from app.api.deps import ActorDep, UowDep
from app.api.etag import expected_version
from app.api.idempotency import IdempotencyDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.stories import (
    RecognitionCreate,
    RecognitionList,
    RecognitionOut,
    StoryConsent,
    StoryCreate,
    StoryList,
    StoryOut,
)
from app.domain.stories import Recognition, Story
from app.services import stories as service

router = api_router(tags=["stories"])
IfMatch = Annotated[int | None, Depends(expected_version)]
STATE_CHANGE = {200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)}


def _story(story: Story, status: int = 200, location: str | None = None) -> JSONResponse:
    return resource(StoryOut.of(story), version=story.version, status=status, location=location)


def _recognition(recognition: Recognition, status: int = 200, location: str | None = None) -> JSONResponse:
    return resource(RecognitionOut.of(recognition), version=recognition.version, status=status, location=location)


@router.post(
    "/stories",
    status_code=201,
    response_model=StoryOut,
    summary="Write a success story",
    description=service.write_story.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 422)},
)
async def write_story(body: StoryCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep) -> JSONResponse:
    async def create() -> JSONResponse:
        story = await service.write_story(
            uow,
            actor,
            program_id=body.program_id,
            title=body.title,
            text=body.text,
            relationship_id=body.relationship_id,
            names_partner=body.names_partner,
        )
        return _story(story, 201, f"/api/v1/stories/{story.id}")

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/stories",
    response_model=StoryList,
    summary="List stories",
    description=service.list_stories.__doc__,
    responses=problem_responses(401, 422),
)
async def list_stories(actor: ActorDep, uow: UowDep, page: PageDep, program_id: UUID | None = None) -> StoryList:
    result = await service.list_stories(uow, actor, program_id=program_id, page=page)
    return StoryList(items=[StoryOut.of(s) for s in result.items], next_cursor=encode_cursor(result.next_after))


@router.get(
    "/stories/{story_id}",
    response_model=StoryOut,
    summary="Get a story",
    description=service.get_story.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_story(story_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    return _story(await service.get_story(uow, actor, story_id=story_id))


@router.post(
    "/stories/{story_id}/consent",
    response_model=StoryOut,
    summary="Consent to (or decline) a story that names you",
    description=service.consent_to_story.__doc__,
    responses=STATE_CHANGE,
)
async def consent_to_story(
    story_id: UUID, body: StoryConsent, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    story = await service.consent_to_story(
        uow, actor, story_id=story_id, consent=body.consent, expected_version=if_match
    )
    return _story(story)


@router.post(
    "/stories/{story_id}/publish",
    response_model=StoryOut,
    summary="Approve and publish a story",
    description=service.publish_story.__doc__,
    responses=STATE_CHANGE,
)
async def publish_story(story_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _story(await service.publish_story(uow, actor, story_id=story_id, expected_version=if_match))


@router.post(
    "/stories/{story_id}/unpublish",
    response_model=StoryOut,
    summary="Take a story down",
    description=service.unpublish_story.__doc__,
    responses=STATE_CHANGE,
)
async def unpublish_story(story_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _story(await service.unpublish_story(uow, actor, story_id=story_id, expected_version=if_match))


@router.delete(
    "/stories/{story_id}",
    status_code=204,
    summary="Delete a story",
    description=service.delete_story.__doc__,
    responses=problem_responses(401, 403, 404),
)
async def delete_story(story_id: UUID, actor: ActorDep, uow: UowDep) -> Response:
    await service.delete_story(uow, actor, story_id=story_id)
    return Response(status_code=204)


@router.post(
    "/relationships/{relationship_id}/recognitions",
    status_code=201,
    response_model=RecognitionOut,
    summary="Recognise a participant",
    description=service.grant_recognition.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 422)},
)
async def grant_recognition(
    relationship_id: UUID, body: RecognitionCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def grant() -> JSONResponse:
        recognition = await service.grant_recognition(
            uow,
            actor,
            relationship_id=relationship_id,
            person_id=body.person_id,
            incentive=body.incentive,
            note=body.note,
        )
        return _recognition(recognition, 201)

    return await idempotency.run(body.model_dump(mode="json"), grant)


@router.get(
    "/recognitions",
    response_model=RecognitionList,
    summary="List recognitions",
    description=service.list_recognitions.__doc__,
    responses=problem_responses(401, 422),
)
async def list_recognitions(
    actor: ActorDep, uow: UowDep, page: PageDep, program_id: UUID | None = None, person_id: UUID | None = None
) -> RecognitionList:
    result = await service.list_recognitions(uow, actor, program_id=program_id, person_id=person_id, page=page)
    return RecognitionList(
        items=[RecognitionOut.of(r) for r in result.items], next_cursor=encode_cursor(result.next_after)
    )
