"""A person's sign-in identities (IdP accounts): listed and unlinked by admins, audited by an event."""

from __future__ import annotations

from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import not_found
from app.domain.identities import LinkedIdentity, unlink
from app.domain.ports import UnitOfWork

_ADMINS_ONLY = "Only admins, signed in as themselves, see and unlink sign-in identities."


async def list_identities(uow: UnitOfWork, actor: Actor, person_id: UUID) -> list[LinkedIdentity]:
    """The accounts (issuer and subject) that sign in as this person. Admins only."""
    policies.require(policies.can_manage_identities(actor), "identities_admin_only", _ADMINS_ONLY)
    async with uow:
        if await uow.people.get(person_id) is None:
            raise not_found("person", person_id)
        return await uow.people.identities_of(person_id)


async def unlink_identity(uow: UnitOfWork, actor: Actor, person_id: UUID, *, issuer: str, subject: str) -> None:
    """Unlink an account from a person: it no longer signs in as them (at once in this process, within
    the identity cache time elsewhere). The person's next sign-in at that issuer may link a new account
    by verified e-mail. Admins only; audited by a `person.identity_unlinked` event."""
    policies.require(policies.can_manage_identities(actor), "identities_admin_only", _ADMINS_ONLY)
    async with uow:
        existing = await uow.people.identities_of(person_id)
        announced = unlink(existing, person_id=person_id, issuer=issuer, subject=subject, by=actor.person_id)
        await uow.people.unlink_identity(issuer=issuer, subject=subject, person_id=person_id)
        uow.record(announced)
        await uow.commit()
