"""Who is calling: resolved from a token by the auth adapter, checked by policies."""

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


@dataclass(frozen=True)
class Actor:
    subject: str
    issuer: str
    email: str | None = None
    person_id: UUID | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_integration(self) -> bool:
        return Role.INTEGRATION in self.roles

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def key(self) -> str:
        """A stable identity for per-caller records (idempotency keys)."""
        return f"{self.issuer}|{self.subject}"
