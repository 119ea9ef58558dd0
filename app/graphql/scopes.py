"""Integrations on GraphQL: each root field an API key or service client may use, and its scope.

REST declares this per operation (``app.api.access``); here the same scopes per root field, checked
before the field resolves. A field not listed is for people only (an integration gets
``insufficient_scope``); the use cases' policies then apply as for everyone.

The check is a field extension on the root fields of queries and mutations only (subscriptions call
``check_root_field`` themselves): a schema extension's ``resolve`` hook would wrap every field of
every answer, and cost the nested "my relationship" screen most of its time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from app.domain.actors import Actor, ActorKind, Scope
from app.domain.errors import DomainError

ROOT_FIELD_SCOPES: Final[dict[str, Scope]] = {
    "people": Scope.PEOPLE_READ,
    "person": Scope.PEOPLE_READ,
    "createPerson": Scope.PEOPLE_WRITE,
    "updatePerson": Scope.PEOPLE_WRITE,
    "deactivatePerson": Scope.PEOPLE_WRITE,
    "upsertPeople": Scope.PEOPLE_WRITE,
    "programs": Scope.PROGRAMS_READ,
    "program": Scope.PROGRAMS_READ,
    "recordTraining": Scope.ENROLLMENTS_WRITE,
    "programMetrics": Scope.REPORTS_READ,
    "organisationMetrics": Scope.REPORTS_READ,
    **{
        field: Scope.WEBHOOKS_MANAGE
        for field in (
            "webhookEndpoint",
            "webhookSecret",
            "webhookEndpoints",
            "webhookMessages",
            "webhookMessage",
            "createWebhookEndpoint",
            "updateWebhookEndpoint",
            "deleteWebhookEndpoint",
            "rotateWebhookSecret",
            "sendWebhookTest",
            "redeliverWebhookMessage",
            "recoverWebhookMessages",
        )
    },
}


def check_root_field(actor: Actor | None, field: str) -> None:
    if actor is None or actor.kind is ActorKind.PERSON or field.startswith("__"):
        return
    scope = ROOT_FIELD_SCOPES.get(field)
    if scope is None or not actor.allows(scope):
        wanted = f"the `{scope.value}` scope" if scope else "a person's sign-in; no integration scope grants it"
        raise DomainError(code="insufficient_scope", detail=f"`{field}` needs {wanted}.", kind="forbidden")


class IntegrationScopes(FieldExtension):
    """Refuses a root field the caller's integration scopes do not grant, before it resolves."""

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        check_root_field(info.context.caller, info.field_name)
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any) -> Any:
        check_root_field(info.context.caller, info.field_name)
        return await next_(source, info, **kwargs)


def guard_root_fields(*root_types: type) -> None:
    """Put ``IntegrationScopes`` on every root field of these types (once, however many schemas)."""
    for root in root_types:
        for field in root.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            if not any(isinstance(extension, IntegrationScopes) for extension in field.extensions):
                field.extensions.append(IntegrationScopes())
