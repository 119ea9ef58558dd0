"""The personal iCalendar feed: managed under ``/api/v1/me``, read at a secret URL without a token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response

from app.api.deps import ActorDep, ContainerDep, UowDep
from app.api.problems import problem_responses
from app.api.routing import api_router
from app.api.schemas.base import Output
from app.services import calendar as service

router = api_router(tags=["calendar"])
feed_router = api_router(tags=["calendar"])


class CalendarFeedOut(Output):
    """The secret subscribe URL, shown this once: anyone holding it reads your meeting times."""

    url: str
    token: str


@router.post(
    "/me/calendar-feed",
    status_code=201,
    response_model=CalendarFeedOut,
    summary="Create or rotate my calendar feed URL",
    description=(service.create_feed.__doc__ or "")
    + "\n\nNo `Idempotency-Key`: a retry simply rotates again (the secret is never stored in clear).",
    responses=problem_responses(401, 403),
)
async def create_calendar_feed(actor: ActorDep, uow: UowDep, container: ContainerDep) -> CalendarFeedOut:
    token = await service.create_feed(uow, actor)
    base = container.settings.public_url.rstrip("/")
    return CalendarFeedOut(url=f"{base}/calendar/{token}.ics", token=token)


@router.delete(
    "/me/calendar-feed",
    status_code=204,
    summary="Revoke my calendar feed URL",
    description=service.revoke_feed.__doc__,
    responses=problem_responses(401, 403),
)
async def revoke_calendar_feed(actor: ActorDep, uow: UowDep) -> Response:
    await service.revoke_feed(uow, actor)
    return Response(status_code=204)


@feed_router.get(
    "/calendar/{token}.ics",
    summary="My meetings as an iCalendar feed (secret URL, no bearer token)",
    description=service.render_feed.__doc__,
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "RFC 5545 calendar"},
        **problem_responses(404),
    },
)
async def calendar_feed(
    token: Annotated[str, Path(max_length=200, description="The secret from `POST /api/v1/me/calendar-feed`.")],
    uow: UowDep,
) -> Response:
    body = await service.render_feed(uow, token=token)
    return Response(
        content=body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300", "Content-Disposition": 'inline; filename="turnabout.ics"'},
    )
