"""People: employees as the HRIS knows them, and the reporting line between them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from app.domain.errors import DomainError, conflict
from app.domain.events import DomainEvent, PersonDeactivated, PersonReactivated, PersonUpdated

# Fields a coordinator or admin may change through the API (and the HRIS sync).
EDITABLE_FIELDS = (
    "email",
    "given_name",
    "family_name",
    "department",
    "location",
    "job_title",
    "seniority",
    "manager_id",
    "hire_date",
    "generation",
    "external_id",
)


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

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def update(self, changes: Mapping[str, object], *, now: datetime) -> list[str]:
        """Apply the given field changes; returns the names that actually changed.

        - only the editable fields may change;
        - a person cannot be their own manager (cycles through others are checked by
          :func:`ensure_no_reporting_cycle`, which needs the tree).
        """
        changed: list[str] = []
        for name, value in changes.items():
            if name not in EDITABLE_FIELDS:
                raise DomainError(code="field_not_editable", detail=f"{name} cannot be changed.", kind="invalid")
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed.append(name)
        if self.manager_id == self.id:
            raise conflict("reporting_cycle", "A person cannot be their own manager.")
        if changed:
            self.updated_at = now
            self.events.append(PersonUpdated(person_id=self.id, fields=changed))
        return changed

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
