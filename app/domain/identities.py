"""Sign-in identities: which IdP account (issuer + subject) is which person.

A person is found by issuer + subject. An unknown identity is linked to the person with the same
e-mail only when that cannot hand one person's data to another account:
- the IdP vouches for the e-mail (``email_verified``, or the IdP's e-mails are declared authoritative);
- it is the person's first sign-in at that issuer: a person who already has a linked identity there is
  never linked to a second one by e-mail (a second account carrying their e-mail, or an e-mail an admin
  re-pointed, must not read their private reflections). An admin unlinks the old identity first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from app.domain.errors import DomainError, not_found
from app.domain.events import IdentityLinked, IdentityUnlinked


@dataclass(frozen=True)
class LinkedIdentity:
    issuer: str
    subject: str
    person_id: UUID
    created_at: datetime


def identity_not_linked(detail: str) -> DomainError:
    return DomainError(code="identity_not_linked", detail=detail, kind="forbidden")


def link_by_email(
    *,
    person_id: UUID,
    issuer: str,
    subject: str,
    email_verified: bool,
    emails_authoritative: bool,
    existing: list[LinkedIdentity],
) -> IdentityLinked:
    """Link an unknown identity to the person with its e-mail, or raise ``identity_not_linked``.
    ``existing`` are the person's linked identities."""
    if not (email_verified or emails_authoritative):
        raise identity_not_linked(
            "Your identity provider does not vouch for your e-mail address (email_verified is not true), so "
            "this sign-in cannot be linked to a person; verify your e-mail there, or ask an admin."
        )
    if any(identity.issuer == issuer for identity in existing):
        raise identity_not_linked(
            "The person with this e-mail address already signs in with another account at this identity "
            "provider; ask an admin to unlink that account if it is no longer used."
        )
    return IdentityLinked(person_id=person_id, issuer=issuer, subject=subject)


def unlink(
    existing: list[LinkedIdentity], *, person_id: UUID, issuer: str, subject: str, by: UUID | None
) -> IdentityUnlinked:
    """Unlink one of the person's identities (``identity_not_found`` if it is not theirs)."""
    if not any(i.issuer == issuer and i.subject == subject and i.person_id == person_id for i in existing):
        raise not_found("identity", f"{issuer} {subject}")
    return IdentityUnlinked(person_id=person_id, issuer=issuer, subject=subject, unlinked_by=by)
