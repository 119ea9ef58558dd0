"""Outbound webhooks: endpoints, secrets, the delivery log, redelivery, recovery, test pings, and
the catalogue of event types."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Response
from fastapi.responses import JSONResponse

from app.api.deps import ActorDep, ContainerDep, UowDep, WebhookManagerDep
from app.api.etag import expected_version
from app.api.event_catalogue import catalogue, example_payload
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.webhooks import (
    EndpointCreate,
    EndpointCreated,
    EndpointList,
    EndpointOut,
    EndpointUpdate,
    EventTypeList,
    EventTypeOut,
    MessageDetailOut,
    MessageList,
    MessageOut,
    RecoverIn,
    RecoverOut,
    RotateIn,
    SecretOut,
)
from app.domain.webhooks import MessageStatus
from app.services import webhooks as service
from app.services.webhooks import EndpointChanges, EndpointDraft

router = api_router(tags=["webhooks"])
IfMatch = Annotated[int | None, Depends(expected_version)]
PREFIX = "/webhook-endpoints"


@router.post(
    PREFIX,
    status_code=201,
    response_model=EndpointCreated,
    summary="Register a webhook endpoint",
    description=service.create_webhook_endpoint.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 422)},
)
async def create_webhook_endpoint(
    body: EndpointCreate, actor: WebhookManagerDep, uow: UowDep, container: ContainerDep
) -> JSONResponse:
    endpoint = await service.create_webhook_endpoint(
        uow,
        actor,
        draft=EndpointDraft(
            url=body.url,
            event_types=body.event_types,
            description=body.description,
            enabled=body.enabled,
            rate_limit_per_second=body.rate_limit_per_second,
            headers=body.headers,
        ),
        sender=container.webhook_sender,
        allow_http=container.settings.webhook_http_allowed,
    )
    return resource(
        EndpointCreated.of(endpoint), version=endpoint.version, status=201, location=f"/api/v1{PREFIX}/{endpoint.id}"
    )


@router.get(
    PREFIX,
    response_model=EndpointList,
    summary="List webhook endpoints",
    description=service.list_webhook_endpoints.__doc__,
    responses=problem_responses(401, 403, 422),
)
async def list_webhook_endpoints(actor: WebhookManagerDep, uow: UowDep, page: PageDep) -> EndpointList:
    result = await service.list_webhook_endpoints(uow, actor, page=page)
    return EndpointList(items=[EndpointOut.of(e) for e in result.items], next_cursor=encode_cursor(result.next_after))


@router.get(
    PREFIX + "/{endpoint_id}",
    response_model=EndpointOut,
    summary="Get a webhook endpoint",
    description=service.get_webhook_endpoint.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404)},
)
async def get_webhook_endpoint(endpoint_id: UUID, actor: WebhookManagerDep, uow: UowDep) -> JSONResponse:
    endpoint = await service.get_webhook_endpoint(uow, actor, endpoint_id=endpoint_id)
    return resource(EndpointOut.of(endpoint), version=endpoint.version)


@router.get(
    PREFIX + "/{endpoint_id}/secret",
    response_model=SecretOut,
    summary="Show an endpoint's signing secret",
    description=service.get_webhook_endpoint.__doc__,
    responses=problem_responses(401, 403, 404),
)
async def get_webhook_secret(endpoint_id: UUID, actor: WebhookManagerDep, uow: UowDep) -> SecretOut:
    endpoint = await service.get_webhook_endpoint(uow, actor, endpoint_id=endpoint_id)
    return SecretOut.model_validate(endpoint)


@router.patch(
    PREFIX + "/{endpoint_id}",
    response_model=EndpointOut,
    summary="Update a webhook endpoint",
    description=service.update_webhook_endpoint.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)},
)
async def update_webhook_endpoint(
    endpoint_id: UUID,
    body: EndpointUpdate,
    actor: WebhookManagerDep,
    uow: UowDep,
    container: ContainerDep,
    if_match: IfMatch,
) -> JSONResponse:
    sent = body.model_fields_set
    changes = EndpointChanges(
        url=body.url,
        event_types=body.event_types,
        description=body.description,
        clear_description="description" in sent and body.description is None,
        enabled=body.enabled,
        rate_limit_per_second=body.rate_limit_per_second,
        clear_rate_limit="rate_limit_per_second" in sent and body.rate_limit_per_second is None,
        headers=body.headers,
    )
    endpoint = await service.update_webhook_endpoint(
        uow,
        actor,
        endpoint_id=endpoint_id,
        changes=changes,
        expected_version=if_match,
        sender=container.webhook_sender,
        allow_http=container.settings.webhook_http_allowed,
    )
    return resource(EndpointOut.of(endpoint), version=endpoint.version)


@router.delete(
    PREFIX + "/{endpoint_id}",
    status_code=204,
    summary="Delete a webhook endpoint",
    description=service.delete_webhook_endpoint.__doc__,
    responses=problem_responses(401, 403, 404, 412),
)
async def delete_webhook_endpoint(
    endpoint_id: UUID, actor: WebhookManagerDep, uow: UowDep, if_match: IfMatch
) -> Response:
    await service.delete_webhook_endpoint(uow, actor, endpoint_id=endpoint_id, expected_version=if_match)
    return Response(status_code=204)


@router.post(
    PREFIX + "/{endpoint_id}/rotate-secret",
    response_model=SecretOut,
    summary="Rotate an endpoint's signing secret",
    description=service.rotate_webhook_secret.__doc__,
    responses=problem_responses(401, 403, 404, 422),
)
async def rotate_webhook_secret(endpoint_id: UUID, body: RotateIn, actor: WebhookManagerDep, uow: UowDep) -> SecretOut:
    endpoint = await service.rotate_webhook_secret(
        uow, actor, endpoint_id=endpoint_id, grace=timedelta(seconds=body.grace_seconds)
    )
    return SecretOut.model_validate(endpoint)


@router.post(
    PREFIX + "/{endpoint_id}/test",
    status_code=202,
    response_model=MessageOut,
    summary="Send a test ping",
    description=service.send_webhook_test.__doc__,
    responses=problem_responses(401, 403, 404, 409),
)
async def send_webhook_test(endpoint_id: UUID, actor: WebhookManagerDep, uow: UowDep) -> MessageOut:
    return MessageOut.of(await service.send_webhook_test(uow, actor, endpoint_id=endpoint_id))


@router.get(
    PREFIX + "/{endpoint_id}/messages",
    response_model=MessageList,
    summary="The endpoint's delivery log",
    description=service.list_webhook_messages.__doc__,
    responses=problem_responses(401, 403, 404, 422),
)
async def list_webhook_messages(
    endpoint_id: UUID, actor: WebhookManagerDep, uow: UowDep, page: PageDep, status: MessageStatus | None = None
) -> MessageList:
    result = await service.list_webhook_messages(uow, actor, endpoint_id=endpoint_id, status=status, page=page)
    return MessageList(items=[MessageOut.of(m) for m in result.items], next_cursor=encode_cursor(result.next_after))


@router.get(
    PREFIX + "/{endpoint_id}/messages/{message_id}",
    response_model=MessageDetailOut,
    summary="A message and its attempts",
    description=service.get_webhook_message.__doc__,
    responses=problem_responses(401, 403, 404),
)
async def get_webhook_message(
    endpoint_id: UUID, message_id: UUID, actor: WebhookManagerDep, uow: UowDep
) -> MessageDetailOut:
    found = await service.get_webhook_message(uow, actor, endpoint_id=endpoint_id, message_id=message_id)
    return MessageDetailOut.detail(found.message, found.attempts)


@router.post(
    PREFIX + "/{endpoint_id}/messages/{message_id}/redeliver",
    status_code=202,
    response_model=MessageOut,
    summary="Send one message again",
    description=service.redeliver_webhook_message.__doc__,
    responses=problem_responses(401, 403, 404, 409),
)
async def redeliver_webhook_message(
    endpoint_id: UUID, message_id: UUID, actor: WebhookManagerDep, uow: UowDep
) -> MessageOut:
    message = await service.redeliver_webhook_message(uow, actor, endpoint_id=endpoint_id, message_id=message_id)
    return MessageOut.of(message)


@router.post(
    PREFIX + "/{endpoint_id}/recover",
    status_code=202,
    response_model=RecoverOut,
    summary="Send every failed message since a time again",
    description=service.recover_webhook_messages.__doc__,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def recover_webhook_messages(
    endpoint_id: UUID, body: RecoverIn, actor: WebhookManagerDep, uow: UowDep
) -> RecoverOut:
    queued = await service.recover_webhook_messages(uow, actor, endpoint_id=endpoint_id, since=body.since)
    return RecoverOut(queued=queued)


@router.get(
    "/webhook-event-types",
    response_model=EventTypeList,
    summary="The catalogue of webhook event types",
    description="Every event type a webhook can carry, with the JSON Schema of its `data` and an example.",
    responses=problem_responses(401),
)
async def list_webhook_event_types(actor: ActorDep) -> EventTypeList:
    items: list[EventTypeOut] = []
    for name, entry in catalogue().items():
        schema: dict[str, Any] = entry["payload"]
        items.append(
            EventTypeOut(
                type=name, description=entry["description"], payload_schema=schema, example=example_payload(schema)
            )
        )
    return EventTypeList(items=items)
