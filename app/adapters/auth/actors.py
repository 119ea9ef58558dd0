"""Turn verified claims into an Actor, linking the identity to a person on first sight."""

from __future__ import annotations

from app.adapters.auth.tokens import VerifiedClaims
from app.domain.actors import Actor
from app.domain.ports import UnitOfWork


async def resolve_actor(uow: UnitOfWork, claims: VerifiedClaims) -> Actor:
    """A person is linked by issuer + subject; on first login by email, and the link is remembered
    so that a later email change at the IdP does not lose the person."""
    async with uow:
        person = await uow.people.by_identity(issuer=claims.issuer, subject=claims.subject)
        if person is None and claims.email:
            person = await uow.people.by_email(claims.email)
            if person is not None and person.active:
                await uow.people.link_identity(
                    issuer=claims.issuer, subject=claims.subject, person_id=person.id, now=uow.clock.now()
                )
                await uow.commit()
        person_id = person.id if person is not None and person.active else None
        return Actor(
            subject=claims.subject, issuer=claims.issuer, email=claims.email, person_id=person_id, roles=claims.roles
        )
