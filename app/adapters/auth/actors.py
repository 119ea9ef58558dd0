"""Turn a bearer token into an Actor, cheaply: verified claims and identity links are cached.

The hot path of every authenticated request does no database write and, once warm, no database read:
- a token's verified claims are kept until it expires (bounded), so its signature is checked once;
- the identity → person link is kept for a short TTL (bounded), and dropped at once, in this process,
  when a committed change makes it stale (a person deactivated, reactivated, updated or created, an
  identity unlinked). Other processes see such a change within the TTL.

A person is linked by issuer + subject; on first login by e-mail, under the rules of
:mod:`app.domain.identities` (a verified e-mail, and never onto a person who already has an identity at
that issuer) — the only write, done in a short transaction of its own, once per identity.

A token carrying the integration role is an IdP service client (client credentials): never a person,
its scopes from the token's scope claim.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from threading import Lock
from uuid import UUID

from cachetools import TLRUCache, TTLCache

from app.adapters.auth.tokens import TokenValidator, VerifiedClaims
from app.domain import identities
from app.domain.actors import Actor, ActorKind, Role, Scope
from app.domain.errors import DomainError
from app.domain.events import (
    DomainEvent,
    IdentityUnlinked,
    PersonCreated,
    PersonDeactivated,
    PersonReactivated,
    PersonUpdated,
)
from app.domain.ports import UnitOfWork

_Identity = tuple[str, str]
_KNOWN_SCOPES = frozenset(s.value for s in Scope)


class ActorResolver:
    def __init__(
        self,
        validator: TokenValidator,
        *,
        identity_ttl_seconds: float = 30.0,
        max_entries: int = 10_000,
        emails_authoritative: bool = False,
    ) -> None:
        self.validator = validator
        self.emails_authoritative = emails_authoritative
        self._claims: TLRUCache[str, VerifiedClaims] = TLRUCache(
            maxsize=max_entries, ttu=_until_expiry, timer=time.time
        )
        self._people: TTLCache[_Identity, UUID | DomainError | None] = TTLCache(
            maxsize=max_entries, ttl=identity_ttl_seconds, timer=time.monotonic
        )
        self._lock = Lock()  # cachetools caches are not thread-safe; uvicorn runs one loop, tests may not

    async def claims(self, token: str) -> VerifiedClaims:
        """The token's verified claims (raises ``InvalidToken``); verified once per token."""
        with self._lock:
            cached = self._claims.get(token)
        if cached is not None:
            return cached
        verified = await self.validator.validate(token)
        with self._lock:
            self._claims[token] = verified
        return verified

    async def resolve(
        self, claims: VerifiedClaims, *, reader: Callable[[], UnitOfWork], linker: Callable[[], UnitOfWork]
    ) -> Actor:
        """On a cache miss ``reader`` makes a read-only unit of work for the look-up, and ``linker`` a
        writing one for the one write a first login makes. Both run before the request's own
        transaction opens, so neither waits on it. Raises ``identity_not_linked`` (403) for an
        identity that may not be linked to the person with its e-mail."""
        if claims.is_service_client:
            return Actor(
                subject=claims.subject,
                issuer=claims.issuer,
                roles=frozenset({Role.INTEGRATION}),
                kind=ActorKind.SERVICE_CLIENT,
                scopes=claims.scopes & _KNOWN_SCOPES,
            )
        identity = (claims.issuer, claims.subject)
        with self._lock:
            known = identity in self._people
            linked = self._people.get(identity)
        if not known:
            try:
                linked = await self._look_up(claims, reader, linker)
            except DomainError as refusal:
                linked = refusal
            with self._lock:
                self._people[identity] = linked
        if isinstance(linked, DomainError):
            raise linked
        return Actor(
            subject=claims.subject, issuer=claims.issuer, email=claims.email, person_id=linked, roles=claims.roles
        )

    async def _look_up(
        self, claims: VerifiedClaims, reader: Callable[[], UnitOfWork], linker: Callable[[], UnitOfWork]
    ) -> UUID | None:
        async with reader() as uow:
            person = await uow.people.by_identity(issuer=claims.issuer, subject=claims.subject)
            if person is not None:
                return person.id if person.active else None
            if not claims.email:
                return None
            by_email = await uow.people.by_email(claims.email)
            if by_email is None or not by_email.active:
                return None
            existing = await uow.people.identities_of(by_email.id)
        announced = identities.link_by_email(
            person_id=by_email.id,
            issuer=claims.issuer,
            subject=claims.subject,
            email_verified=claims.email_verified,
            emails_authoritative=self.emails_authoritative,
            existing=existing,
        )
        async with linker() as uow:
            if await uow.people.link_identity(
                issuer=claims.issuer, subject=claims.subject, person_id=by_email.id, now=uow.clock.now()
            ):
                uow.record(announced)  # a concurrent first request may have linked it already
            await uow.commit()
        return by_email.id

    def observe(self, events: list[DomainEvent]) -> None:
        """A commit listener: drop links that committed changes made stale."""
        stale: set[UUID] = set()
        new_people = False
        for event in events:
            if isinstance(event, PersonDeactivated | PersonReactivated | PersonUpdated | IdentityUnlinked):
                stale.add(event.person_id)
            new_people = new_people or isinstance(
                event, PersonCreated | PersonReactivated | PersonUpdated | IdentityUnlinked
            )
        if not stale and not new_people:
            return
        with self._lock:
            for identity, linked in list(self._people.items()):
                if (linked in stale) if isinstance(linked, UUID) else new_people:
                    self._people.pop(identity, None)

    def clear(self) -> None:
        with self._lock:
            self._claims.clear()
            self._people.clear()


def _until_expiry(_token: str, claims: VerifiedClaims, now: float) -> float:
    expires = claims.raw.get("exp")
    return float(expires) if isinstance(expires, int | float) else now
