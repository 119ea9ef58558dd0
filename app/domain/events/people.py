"""Events of the directory: people, their linked identities and API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from app.domain.events.base import DomainEvent


# --- people -------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class PersonCreated(DomainEvent):
    event_type: ClassVar[str] = "person.created"
    person_id: UUID
    external_id: str | None


@dataclass(frozen=True, kw_only=True)
class PersonUpdated(DomainEvent):
    event_type: ClassVar[str] = "person.updated"
    person_id: UUID
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class PersonDeactivated(DomainEvent):
    event_type: ClassVar[str] = "person.deactivated"
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class PersonReactivated(DomainEvent):
    event_type: ClassVar[str] = "person.reactivated"
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class IdentityLinked(DomainEvent):
    """A sign-in identity was linked to a person by e-mail, on the person's first sign-in at the issuer."""

    event_type: ClassVar[str] = "person.identity_linked"
    person_id: UUID
    issuer: str
    subject: str


@dataclass(frozen=True, kw_only=True)
class IdentityUnlinked(DomainEvent):
    """An admin unlinked a sign-in identity from a person: it no longer signs in as them."""

    event_type: ClassVar[str] = "person.identity_unlinked"
    person_id: UUID
    issuer: str
    subject: str
    unlinked_by: UUID | None


# --- API keys -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ApiKeyCreated(DomainEvent):
    """An admin created an API key for an integration (the secret is never part of any event)."""

    event_type: ClassVar[str] = "api_key.created"
    api_key_id: UUID
    prefix: str
    scopes: list[str]
    expires_at: datetime | None
    created_by: UUID | None


@dataclass(frozen=True, kw_only=True)
class ApiKeyRevoked(DomainEvent):
    """An admin revoked an API key: it stops working at once in this process, within seconds elsewhere."""

    event_type: ClassVar[str] = "api_key.revoked"
    api_key_id: UUID
    prefix: str
    revoked_by: UUID | None
