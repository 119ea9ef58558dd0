"""Webhook endpoints, secrets, test pings, redelivery and recovery: the use cases REST's
``/webhook-endpoints`` routes call."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON
from strawberry.types.unset import UNSET

from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.errors import AnyProblem, Conflict, Forbidden, IllegalTransition, Invalid, NotFound, StaleVersion
from app.graphql.results import mutate
from app.graphql.types.webhooks import (
    WebhookEndpoint,
    WebhookEndpointDeleted,
    WebhookMessage,
    WebhookRecovery,
    WebhookSecret,
)
from app.services import webhooks as service
from app.services.webhooks import EndpointChanges, EndpointDraft

Problems = NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid
WebhookEndpointResult = Annotated[WebhookEndpoint | Problems, strawberry.union("WebhookEndpointResult")]
WebhookSecretResult = Annotated[WebhookSecret | Problems, strawberry.union("WebhookSecretResult")]
WebhookMessageResult = Annotated[WebhookMessage | Problems, strawberry.union("WebhookMessageResult")]
WebhookRecoveryResult = Annotated[WebhookRecovery | Problems, strawberry.union("WebhookRecoveryResult")]
WebhookEndpointDeletedResult = Annotated[
    WebhookEndpointDeleted | Problems, strawberry.union("WebhookEndpointDeletedResult")
]


@strawberry.input
class WebhookEndpointInput:
    url: str
    event_types: list[str] = strawberry.field(default_factory=list)
    description: str | None = None
    enabled: bool = True
    rate_limit_per_second: int | None = None
    headers: JSON | None = None


@strawberry.input(description="Only the fields given change; `null` removes the description or the rate limit.")
class WebhookEndpointUpdateInput:
    url: str | None = UNSET
    event_types: list[str] | None = UNSET
    description: str | None = UNSET
    enabled: bool | None = UNSET
    rate_limit_per_second: int | None = UNSET
    headers: JSON | None = UNSET


def _headers(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _given(value: Any) -> Any:
    return None if value is UNSET else value


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(description=rules_of(service.create_webhook_endpoint))
    async def create_webhook_endpoint(self, info: Info, input: WebhookEndpointInput) -> WebhookEndpointResult:
        settings = info.context.container.settings
        draft = EndpointDraft(
            url=input.url,
            event_types=list(input.event_types),
            description=input.description,
            enabled=input.enabled,
            rate_limit_per_second=input.rate_limit_per_second,
            headers=_headers(input.headers),
        )
        return await mutate(
            info,
            lambda: info.context.run(
                service.create_webhook_endpoint,
                draft=draft,
                sender=info.context.container.webhook_sender,
                allow_http=settings.webhook_http_allowed,
            ),
            WebhookEndpoint.of,
        )

    @strawberry.mutation(description=rules_of(service.update_webhook_endpoint))
    async def update_webhook_endpoint(
        self, info: Info, id: UUID, input: WebhookEndpointUpdateInput, expected_version: int | None = None
    ) -> WebhookEndpointResult:
        changes = EndpointChanges(
            url=_given(input.url),
            event_types=_given(input.event_types),
            description=_given(input.description),
            clear_description=input.description is None,
            enabled=_given(input.enabled),
            rate_limit_per_second=_given(input.rate_limit_per_second),
            clear_rate_limit=input.rate_limit_per_second is None,
            headers=None if input.headers is UNSET or input.headers is None else _headers(input.headers),
        )
        return await mutate(
            info,
            lambda: info.context.run(
                service.update_webhook_endpoint,
                endpoint_id=id,
                changes=changes,
                expected_version=expected_version,
                sender=info.context.container.webhook_sender,
                allow_http=info.context.container.settings.webhook_http_allowed,
            ),
            WebhookEndpoint.of,
        )

    @strawberry.mutation(description=rules_of(service.delete_webhook_endpoint))
    async def delete_webhook_endpoint(
        self, info: Info, id: UUID, expected_version: int | None = None
    ) -> WebhookEndpointDeletedResult:
        return await mutate(
            info,
            lambda: info.context.run(
                service.delete_webhook_endpoint, endpoint_id=id, expected_version=expected_version
            ),
            lambda _: WebhookEndpointDeleted(id=id),
        )

    @strawberry.mutation(description=rules_of(service.rotate_webhook_secret))
    async def rotate_webhook_secret(self, info: Info, id: UUID, grace_seconds: int = 86400) -> WebhookSecretResult:
        return await mutate(
            info,
            lambda: info.context.run(
                service.rotate_webhook_secret, endpoint_id=id, grace=timedelta(seconds=grace_seconds)
            ),
            WebhookSecret.of,
        )

    @strawberry.mutation(description=rules_of(service.send_webhook_test))
    async def send_webhook_test(self, info: Info, id: UUID) -> WebhookMessageResult:
        return await mutate(
            info, lambda: info.context.run(service.send_webhook_test, endpoint_id=id), WebhookMessage.of
        )

    @strawberry.mutation(description=rules_of(service.redeliver_webhook_message))
    async def redeliver_webhook_message(self, info: Info, endpoint_id: UUID, id: UUID) -> WebhookMessageResult:
        return await mutate(
            info,
            lambda: info.context.run(service.redeliver_webhook_message, endpoint_id=endpoint_id, message_id=id),
            WebhookMessage.of,
        )

    @strawberry.mutation(description=rules_of(service.recover_webhook_messages))
    async def recover_webhook_messages(self, info: Info, id: UUID, since: datetime) -> WebhookRecoveryResult:
        return await mutate(
            info,
            lambda: info.context.run(service.recover_webhook_messages, endpoint_id=id, since=since),
            lambda queued: WebhookRecovery(queued=queued),
        )


__all__ = ["AnyProblem", "WebhookMutations"]
