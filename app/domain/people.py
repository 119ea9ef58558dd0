"""People: employees as the HRIS knows them, and the reporting line between them.

Rules:
- an email is stored trimmed and in lower case; the seniority grade is within :data:`SENIORITY`;
- a person is never their own manager, nor above themself through others (``reporting_cycle``);
- self-identified attributes are the person's own: at most :data:`MAX_ATTRIBUTES`, names of up to
  :data:`ATTRIBUTE_NAME_LENGTH` and values of up to :data:`ATTRIBUTE_VALUE_LENGTH` characters
  (``attributes_too_large``), and matching uses them only with the person's consent;
- a deactivated person keeps their history; a rehire is reactivated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from app.domain.bounds import Bound
from app.domain.changes import UNSET, Unset, sent
from app.domain.errors import conflict, invalid
from app.domain.events import DomainEvent, PersonCreated, PersonDeactivated, PersonReactivated, PersonUpdated

SENIORITY = Bound(0, 100, "seniority_out_of_range", "A seniority grade is 0–100.")
MAX_ATTRIBUTES = 20
ATTRIBUTE_NAME_LENGTH = 60
ATTRIBUTE_VALUE_LENGTH = 200


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True, kw_only=True)
class PersonDetails:
    """A person's directory record as HR states it."""

    email: str
    given_name: str
    family_name: str
    external_id: str | None = None
    department: str | None = None
    location: str | None = None
    job_title: str | None = None
    seniority: int = 1
    manager_id: UUID | None = None
    hire_date: date | None = None
    generation: str | None = None


@dataclass(frozen=True, kw_only=True)
class PersonChanges:
    """The directory fields an edit changes (``None`` empties an optional one)."""

    email: str | Unset = UNSET
    given_name: str | Unset = UNSET
    family_name: str | Unset = UNSET
    external_id: str | Unset | None = UNSET
    department: str | Unset | None = UNSET
    location: str | Unset | None = UNSET
    job_title: str | Unset | None = UNSET
    seniority: int | Unset = UNSET
    manager_id: UUID | Unset | None = UNSET
    hire_date: date | Unset | None = UNSET
    generation: str | Unset | None = UNSET


@dataclass
class Person:
    id: UUID
    email: str
    given_name: str
    family_name: str
    created_at: datetime
    updated_at: datetime
    external_id: str | None = None
    department: str | None = None
    location: str | None = None
    job_title: str | None = None
    seniority: int = 1
    manager_id: UUID | None = None
    hire_date: date | None = None
    generation: str | None = None
    # Self-identified attributes, used for matching only with explicit consent.
    attributes: dict[str, str] = field(default_factory=dict)
    matching_consent: bool = False
    active: bool = True
    deactivated_at: datetime | None = None
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def create(cls, *, id: UUID, details: PersonDetails, now: datetime) -> Person:
        """A new person in the directory (uniqueness of email and external id is the directory's
        to check; cycles through others need the tree, see :func:`ensure_no_reporting_cycle`)."""
        SENIORITY.check(details.seniority, path="seniority")
        person = cls(
            id=id,
            email=normalise_email(details.email),
            given_name=details.given_name,
            family_name=details.family_name,
            created_at=now,
            updated_at=now,
            external_id=details.external_id,
            department=details.department,
            location=details.location,
            job_title=details.job_title,
            seniority=details.seniority,
            manager_id=details.manager_id,
            hire_date=details.hire_date,
            generation=details.generation,
        )
        person._refuse_self_management()
        person.events.append(PersonCreated(person_id=id, external_id=details.external_id))
        return person

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def update(self, changes: PersonChanges, *, now: datetime) -> list[str]:
        """Apply an edit of directory fields; returns the names that actually changed."""
        if not isinstance(changes.seniority, Unset):
            SENIORITY.check(changes.seniority, path="seniority")
        changed: list[str] = []
        for name, value in sent(changes).items():
            if name == "email" and isinstance(value, str):
                value = normalise_email(value)
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed.append(name)
        self._refuse_self_management()
        if changed:
            self.updated_at = now
            self.events.append(PersonUpdated(person_id=self.id, fields=changed))
        return changed

    def state_attributes(
        self, *, attributes: Mapping[str, str] | Unset = UNSET, matching_consent: bool | Unset = UNSET, now: datetime
    ) -> None:
        """The person states their self-identified attributes and whether matching may use them."""
        if not isinstance(attributes, Unset):
            if len(attributes) > MAX_ATTRIBUTES or any(
                len(k) > ATTRIBUTE_NAME_LENGTH or len(v) > ATTRIBUTE_VALUE_LENGTH for k, v in attributes.items()
            ):
                raise invalid(
                    "attributes_too_large",
                    f"Up to {MAX_ATTRIBUTES} attributes, names of up to {ATTRIBUTE_NAME_LENGTH} and values of "
                    f"up to {ATTRIBUTE_VALUE_LENGTH} characters.",
                    path="attributes",
                )
            self.attributes = dict(attributes)
        if not isinstance(matching_consent, Unset):
            self.matching_consent = matching_consent
        self.updated_at = now

    def _refuse_self_management(self) -> None:
        if self.manager_id == self.id:
            raise conflict("reporting_cycle", "A person cannot be their own manager.")

    def deactivate(self, *, now: datetime) -> None:
        """Deactivated people keep their history; services end their active relationships."""
        if not self.active:
            raise conflict("person_already_inactive", f"{self.display_name} is already inactive.")
        self.active = False
        self.deactivated_at = now
        self.updated_at = now
        self.events.append(PersonDeactivated(person_id=self.id))

    def reactivate(self, *, now: datetime) -> None:
        """A rehire: the person is active again (their old relationships stay ended)."""
        if self.active:
            raise conflict("person_already_active", f"{self.display_name} is already active.")
        self.active = True
        self.deactivated_at = None
        self.updated_at = now
        self.events.append(PersonReactivated(person_id=self.id))


def ensure_no_reporting_cycle(
    person_id: UUID, new_manager_id: UUID | None, managers: Mapping[UUID, UUID | None]
) -> None:
    """Refuse a manager that would put ``person_id`` above itself in the reporting line.

    ``managers`` maps person id → manager id for (at least) the chain above ``new_manager_id``.
    """
    seen: set[UUID] = set()
    current = new_manager_id
    while current is not None:
        if current == person_id:
            raise conflict(
                "reporting_cycle",
                "This manager would create a cycle in the reporting line.",
            )
        if current in seen:  # an existing cycle elsewhere; do not loop forever
            break
        seen.add(current)
        current = managers.get(current)


def manager_chain(person_id: UUID, managers: Mapping[UUID, UUID | None], depth: int) -> list[UUID]:
    """The person's managers, nearest first, up to ``depth`` levels."""
    chain: list[UUID] = []
    current = managers.get(person_id)
    while current is not None and len(chain) < depth and current not in chain:
        chain.append(current)
        current = managers.get(current)
    return chain
