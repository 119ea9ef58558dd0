"""Who is calling: resolved from a token or an API key by the auth adapter, checked by policies."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID


class Role(StrEnum):
    """Organisation-wide roles carried by the identity provider's roles claim.

    Program coordinators and committee members are per program (stored on the program), not roles.
    ``coordinator`` here means HR staff who may create new programs.
    """

    EMPLOYEE = "employee"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    INTEGRATION = "integration"


class ActorKind(StrEnum):
    """A person signed in through the IdP, an API key, or an IdP service client (client credentials)."""

    PERSON = "person"
    API_KEY = "api_key"
    SERVICE_CLIENT = "service_client"


class Scope(StrEnum):
    """What an integration (API key or service client) may do. People are never limited by scopes:
    their roles and the policies decide."""

    PEOPLE_READ = "people:read"
    PEOPLE_WRITE = "people:write"
    PROGRAMS_READ = "programs:read"
    ENROLLMENTS_WRITE = "enrollments:write"
    METRICS_READ = "metrics:read"
    WEBHOOKS_MANAGE = "webhooks:manage"
    REPORTS_READ = "reports:read"


SCOPE_MEANINGS: dict[Scope, str] = {
    Scope.PEOPLE_READ: "List and read people (never their self-identified attributes).",
    Scope.PEOPLE_WRITE: "Create, update, deactivate and bulk-upsert people (the HRIS sync).",
    Scope.PROGRAMS_READ: "Read programs, their objectives and announcements.",
    Scope.ENROLLMENTS_WRITE: "Record training completion on enrollments (the LMS).",
    Scope.METRICS_READ: "Read /metrics when it is protected.",
    Scope.WEBHOOKS_MANAGE: "Manage webhook subscriptions.",
    Scope.REPORTS_READ: "Read programs' and the organisation's metrics and evaluation reports (aggregates only).",
}


@dataclass(frozen=True)
class Actor:
    subject: str
    issuer: str
    email: str | None = None
    person_id: UUID | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    kind: ActorKind = ActorKind.PERSON
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_integration(self) -> bool:
        """An API key, a service client, or (legacy) a token carrying the integration role."""
        return self.kind is not ActorKind.PERSON or Role.INTEGRATION in self.roles

    def has(self, role: Role) -> bool:
        return role in self.roles

    def allows(self, scope: Scope | str) -> bool:
        """Scopes bind integrations only (API keys and service clients); a person's roles decide."""
        return self.kind is ActorKind.PERSON or str(scope) in self.scopes

    @property
    def key(self) -> str:
        """A stable identity for per-caller records (idempotency keys)."""
        return f"{self.issuer}|{self.subject}"
