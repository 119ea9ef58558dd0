"""Integrations on GraphQL: each root field an API key or service client may use, and its scope.

REST declares this per operation (``app.api.access``); here the same scopes per root field, checked
before the field resolves. A field not listed is for people only (an integration gets
``insufficient_scope``); the use cases' policies then apply as for everyone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

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


class IntegrationScopes(SchemaExtension):
    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any
    ) -> Awaitable[Any] | Any:
        if info.path.prev is None:  # a root field
            check_root_field(getattr(info.context, "_actor", None), info.field_name)
        return _next(root, info, *args, **kwargs)
