"""Webhook endpoints, their secrets, the delivery log and recovery: the admin's use cases."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import conflict, not_found
from app.domain.events import event_types
from app.domain.ports import Page, PageRequest, UnitOfWork, WebhookAttempt, WebhookMessage, WebhookSender
from app.domain.webhooks import (
    DEFAULT_ROTATION_GRACE,
    PING_EVENT_TYPE,
    RATE_LIMIT,
    MessageStatus,
    WebhookEndpoint,
    delivery_requests,
    new_secret,
    validate_description,
    validate_event_types,
    validate_headers,
    validate_url,
)
from app.services.common import ensure_version


@dataclass(frozen=True)
class EndpointDraft:
    url: str
    event_types: list[str]
    description: str | None = None
    enabled: bool = True
    rate_limit_per_second: int | None = None
    headers: dict[str, str] | None = None


@dataclass(frozen=True)
class EndpointChanges:
    """``None`` leaves a field as it is (``clear_*`` empties a nullable one)."""

    url: str | None = None
    event_types: list[str] | None = None
    description: str | None = None
    clear_description: bool = False
    enabled: bool | None = None
    rate_limit_per_second: int | None = None
    clear_rate_limit: bool = False
    headers: dict[str, str] | None = None


@dataclass(frozen=True)
class MessageDetail:
    message: WebhookMessage
    attempts: list[WebhookAttempt]


def _require(actor: Actor) -> None:
    policies.require(
        policies.can_manage_webhooks(actor),
        "webhooks_admin_only",
        "Only admins and integrations with `webhooks:manage` manage webhook endpoints.",
    )


def _deliver_now(uow: UnitOfWork) -> None:
    """Ask for the delivery lanes (a lane already waiting makes this a no-op)."""
    for request in delivery_requests():
        uow.jobs.enqueue(request)


async def _endpoint(uow: UnitOfWork, endpoint_id: UUID) -> WebhookEndpoint:
    endpoint = await uow.webhook_endpoints.get(endpoint_id)
    if endpoint is None:
        raise not_found("webhook_endpoint", endpoint_id)
    return endpoint


async def create_webhook_endpoint(
    uow: UnitOfWork, actor: Actor, *, draft: EndpointDraft, sender: WebhookSender, allow_http: bool
) -> WebhookEndpoint:
    """Register a URL that receives events, signed with a secret the service generates.

    - admins only;
    - https only, unless the deployment allows http (never in production by default);
    - the URL may not resolve to a private, loopback, link-local, CGNAT, multicast or metadata address
      (checked now, and again when each delivery connects);
    - ``event_types``: exact types or prefixes such as ``relationship.*``; empty receives every event;
    - the endpoint receives the events that happen from its creation on.
    """
    _require(actor)
    url = validate_url(draft.url, allow_http=allow_http)
    types = validate_event_types(draft.event_types, event_types())
    headers = validate_headers(draft.headers or {})
    if draft.rate_limit_per_second is not None:
        RATE_LIMIT.check(draft.rate_limit_per_second, path="rate_limit_per_second")
    await sender.check_url(url)
    async with uow:
        now = uow.clock.now()
        endpoint = WebhookEndpoint(
            id=uow.ids.new_id(),
            url=url,
            description=validate_description(draft.description),
            event_types=types,
            enabled=draft.enabled,
            rate_limit_per_second=draft.rate_limit_per_second,
            headers=headers,
            secret=new_secret(os.urandom(32)),
            created_at=now,
            updated_at=now,
            disabled_reason=None if draft.enabled else "manual",
        )
        uow.webhook_endpoints.add(endpoint)
        await uow.commit()
        return endpoint


async def list_webhook_endpoints(uow: UnitOfWork, actor: Actor, *, page: PageRequest) -> Page[WebhookEndpoint]:
    """Every webhook endpoint, oldest first (admins only)."""
    _require(actor)
    async with uow:
        return await uow.webhook_endpoints.list(page)


async def get_webhook_endpoint(uow: UnitOfWork, actor: Actor, *, endpoint_id: UUID) -> WebhookEndpoint:
    """One endpoint with its secret (admins only: the secret is what a receiver verifies with)."""
    _require(actor)
    async with uow:
        return await _endpoint(uow, endpoint_id)


async def update_webhook_endpoint(
    uow: UnitOfWork,
    actor: Actor,
    *,
    endpoint_id: UUID,
    changes: EndpointChanges,
    expected_version: int | None,
    sender: WebhookSender,
    allow_http: bool,
) -> WebhookEndpoint:
    """Change an endpoint's URL, filter, description, headers, rate limit or enabled flag.

    - the same rules as on creation;
    - enabling a disabled endpoint starts its failure streak afresh (recover its failed messages
      with ``recover``); disabling it fails the messages still waiting.
    """
    _require(actor)
    url = None if changes.url is None else validate_url(changes.url, allow_http=allow_http)
    if url is not None:
        await sender.check_url(url)
    async with uow:
        endpoint = await _endpoint(uow, endpoint_id)
        ensure_version(endpoint, expected_version, "webhook endpoint")
        now = uow.clock.now()
        if url is not None:
            endpoint.url = url
        if changes.event_types is not None:
            endpoint.event_types = validate_event_types(changes.event_types, event_types())
        if changes.clear_description:
            endpoint.description = None
        elif changes.description is not None:
            endpoint.description = validate_description(changes.description)
        if changes.clear_rate_limit:
            endpoint.rate_limit_per_second = None
        elif changes.rate_limit_per_second is not None:
            RATE_LIMIT.check(changes.rate_limit_per_second, path="rate_limit_per_second")
            endpoint.rate_limit_per_second = changes.rate_limit_per_second
        if changes.headers is not None:
            endpoint.headers = validate_headers(changes.headers)
        if changes.enabled is True and not endpoint.enabled:
            endpoint.enable(now=now)
        elif changes.enabled is False and endpoint.enabled:
            endpoint.disable(reason="manual", now=now)
            await uow.webhook_messages.give_up_pending(endpoint.id)
        endpoint.updated_at = now
        await uow.commit()
        return endpoint


async def delete_webhook_endpoint(
    uow: UnitOfWork, actor: Actor, *, endpoint_id: UUID, expected_version: int | None
) -> None:
    """Remove an endpoint with its messages and delivery log."""
    _require(actor)
    async with uow:
        endpoint = await _endpoint(uow, endpoint_id)
        ensure_version(endpoint, expected_version, "webhook endpoint")
        await uow.webhook_endpoints.delete(endpoint_id)
        await uow.commit()


async def rotate_webhook_secret(
    uow: UnitOfWork,
    actor: Actor,
    *,
    endpoint_id: UUID,
    grace: timedelta = DEFAULT_ROTATION_GRACE,
) -> WebhookEndpoint:
    """Give the endpoint a new secret; the old one keeps signing for the grace period (0–7 days,
    24 hours unless asked), so deliveries carry two signatures until the receiver has switched."""
    _require(actor)
    async with uow:
        endpoint = await _endpoint(uow, endpoint_id)
        endpoint.rotate(new_secret(os.urandom(32)), now=uow.clock.now(), grace=grace)
        await uow.commit()
        return endpoint


async def send_webhook_test(uow: UnitOfWork, actor: Actor, *, endpoint_id: UUID) -> WebhookMessage:
    """Queue a ``webhook.ping`` message to the endpoint at once; its attempts show in the delivery log."""
    _require(actor)
    async with uow:
        endpoint = await _endpoint(uow, endpoint_id)
        if not endpoint.enabled:
            raise conflict("webhook_endpoint_disabled", "Enable the endpoint before testing it.")
        now = uow.clock.now()
        event_id = uow.ids.new_id()
        message = WebhookMessage(
            id=uow.ids.new_id(),
            endpoint_id=endpoint.id,
            event_id=event_id,
            event_type=PING_EVENT_TYPE,
            occurred_at=now,
            payload={"endpoint_id": str(endpoint.id)},
            status=MessageStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            last_attempt_at=None,
            delivered_at=None,
            created_at=now,
        )
        await uow.webhook_messages.add(message)
        _deliver_now(uow)
        await uow.commit()
        return message


async def list_webhook_messages(
    uow: UnitOfWork, actor: Actor, *, endpoint_id: UUID, status: MessageStatus | None, page: PageRequest
) -> Page[WebhookMessage]:
    """The endpoint's messages, oldest first, optionally only pending, delivered or failed ones."""
    _require(actor)
    async with uow:
        await _endpoint(uow, endpoint_id)
        return await uow.webhook_messages.list(endpoint_id, status=status, page=page)


async def get_webhook_message(uow: UnitOfWork, actor: Actor, *, endpoint_id: UUID, message_id: UUID) -> MessageDetail:
    """One message with every attempt: time, outcome, status, latency, the first 1 KB of the response."""
    _require(actor)
    async with uow:
        message = await uow.webhook_messages.get(message_id)
        if message is None or message.endpoint_id != endpoint_id:
            raise not_found("webhook_message", message_id)
        return MessageDetail(message, await uow.webhook_messages.attempts(message_id))


async def redeliver_webhook_message(
    uow: UnitOfWork, actor: Actor, *, endpoint_id: UUID, message_id: UUID
) -> WebhookMessage:
    """Send one message again now, whatever happened to it before (same ``webhook-id``)."""
    _require(actor)
    async with uow:
        endpoint = await _endpoint(uow, endpoint_id)
        if not endpoint.enabled:
            raise conflict("webhook_endpoint_disabled", "Enable the endpoint before redelivering to it.")
        message = await uow.webhook_messages.get(message_id)
        if message is None or message.endpoint_id != endpoint_id:
            raise not_found("webhook_message", message_id)
        await uow.webhook_messages.retry(message_id, now=uow.clock.now())
        _deliver_now(uow)
        await uow.commit()
        found = await uow.webhook_messages.get(message_id)
        assert found is not None
        return found


async def recover_webhook_messages(uow: UnitOfWork, actor: Actor, *, endpoint_id: UUID, since: datetime) -> int:
    """Send again every failed message of the endpoint created since a time; how many were queued."""
    _require(actor)
    async with uow:
        endpoint = await _endpoint(uow, endpoint_id)
        if not endpoint.enabled:
            raise conflict("webhook_endpoint_disabled", "Enable the endpoint before recovering its messages.")
        count = await uow.webhook_messages.retry_failed_since(endpoint_id, since=since, now=uow.clock.now())
        if count:
            _deliver_now(uow)
        await uow.commit()
        return count
