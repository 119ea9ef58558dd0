"""People use cases: the HR directory, kept in sync with the HRIS."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.enrollments import LIVE
from app.domain.errors import DomainError, FieldProblem, conflict, invalid, not_found
from app.domain.events import PersonCreated
from app.domain.people import Person, ensure_no_reporting_cycle
from app.domain.ports import EnrollmentFilter, Page, PageRequest, PeopleFilter, UnitOfWork
from app.services.common import ensure_version
from app.services.relationships import end_relationships_of_leaver


@dataclass(frozen=True)
class PersonRecord:
    """One person as the HRIS sends it; the manager is named by external id."""

    external_id: str
    email: str
    given_name: str
    family_name: str
    department: str | None = None
    location: str | None = None
    job_title: str | None = None
    seniority: int = 1
    manager_external_id: str | None = None
    hire_date: date | None = None
    generation: str | None = None
    active: bool = True


@dataclass
class UpsertOutcome:
    created: list[UUID] = field(default_factory=list)
    updated: list[UUID] = field(default_factory=list)
    unchanged: list[UUID] = field(default_factory=list)
    deactivated: list[UUID] = field(default_factory=list)


async def create_person(uow: UnitOfWork, actor: Actor, *, fields: Mapping[str, Any]) -> Person:
    """Add a person to the directory.

    - admins and integrations only;
    - email and HRIS external id are unique;
    - the manager must exist.
    """
    policies.require(policies.can_manage_people(actor), "people_admin_only", "Only admins and the HRIS add people.")
    async with uow:
        now = uow.clock.now()
        email = str(fields["email"]).strip().lower()
        await _ensure_unique(uow, email=email, external_id=fields.get("external_id"), person_id=None)
        manager_id = fields.get("manager_id")
        if manager_id is not None and await uow.people.get(manager_id) is None:
            raise invalid("manager_unknown", f"No person {manager_id} to be the manager.", path="manager_id")
        person = Person(id=uow.ids.new_id(), created_at=now, updated_at=now, **{**fields, "email": email})
        uow.people.add(person)
        uow.record(PersonCreated(person_id=person.id, external_id=person.external_id))
        await uow.commit()
        return person


async def _ensure_unique(uow: UnitOfWork, *, email: str | None, external_id: Any, person_id: UUID | None) -> None:
    if email is not None:
        holder = await uow.people.by_email(email)
        if holder is not None and holder.id != person_id:
            raise conflict("email_taken", f"{email} belongs to another person.")
    if external_id:
        holders = await uow.people.by_external_ids([str(external_id)])
        holder = holders.get(str(external_id))
        if holder is not None and holder.id != person_id:
            raise conflict("external_id_taken", f"External id {external_id} belongs to another person.")


async def get_person(uow: UnitOfWork, actor: Actor, *, person_id: UUID) -> Person:
    """Read a person: yourself, HR staff and admins; participants also see the work profile of the
    people they are (or were) paired with."""
    async with uow:
        person = await uow.queries.person(actor, person_id)
        if person is None:
            raise not_found("person", person_id)
        return person


async def list_people(uow: UnitOfWork, actor: Actor, *, flt: PeopleFilter, page: PageRequest) -> Page[Person]:
    """Browse the directory: HR staff, admins and integrations."""
    policies.require(
        policies.can_browse_directory(actor), "directory_restricted", "Only HR staff browse the directory."
    )
    async with uow:
        return await uow.queries.people(flt, page)


async def update_person(
    uow: UnitOfWork, actor: Actor, *, person_id: UUID, changes: Mapping[str, Any], expected_version: int | None
) -> Person:
    """Change a person's directory fields.

    - admins and integrations only;
    - a new manager must exist and must not create a cycle in the reporting line;
    - email and external id stay unique.
    """
    policies.require(policies.can_manage_people(actor), "people_admin_only", "Only admins and the HRIS change people.")
    async with uow:
        person = await uow.people.get(person_id)
        if person is None:
            raise not_found("person", person_id)
        ensure_version(person, expected_version, "person")
        changes = dict(changes)
        if "email" in changes:
            changes["email"] = str(changes["email"]).strip().lower()
        await _ensure_unique(
            uow, email=changes.get("email"), external_id=changes.get("external_id"), person_id=person_id
        )
        if changes.get("manager_id") is not None:
            if await uow.people.get(changes["manager_id"]) is None:
                raise invalid(
                    "manager_unknown", f"No person {changes['manager_id']} to be the manager.", path="manager_id"
                )
            chain = await uow.people.managers_above([changes["manager_id"]])
            ensure_no_reporting_cycle(person_id, changes["manager_id"], chain)
        person.update(changes, now=uow.clock.now())
        await uow.commit()
        return person


async def deactivate_person(uow: UnitOfWork, actor: Actor, *, person_id: UUID, expected_version: int | None) -> Person:
    """Deactivate a person who left: history is kept; their proposed, active and paused
    relationships end (``left_organisation``, partners return to the pool) and their live
    enrollments are withdrawn."""
    policies.require(
        policies.can_manage_people(actor), "people_admin_only", "Only admins and the HRIS deactivate people."
    )
    async with uow:
        person = await uow.people.get(person_id)
        if person is None:
            raise not_found("person", person_id)
        ensure_version(person, expected_version, "person")
        await _deactivate(uow, person)
        await uow.commit()
        return person


async def _deactivate(uow: UnitOfWork, person: Person) -> None:
    now = uow.clock.now()
    person.deactivate(now=now)
    await end_relationships_of_leaver(uow, person.id)  # partners return to the pool
    live = await uow.enrollments.list(EnrollmentFilter(person_id=person.id, statuses=LIVE), PageRequest(limit=1000))
    for enrollment in live.items:
        enrollment.withdraw(reason="left the organisation", now=now)


async def update_my_consent(
    uow: UnitOfWork, actor: Actor, *, attributes: Mapping[str, str] | None, matching_consent: bool | None
) -> Person:
    """A person states self-identified attributes and whether matching may use them (their choice alone)."""
    person_id = policies.require_person(actor)
    async with uow:
        person = await uow.people.get(person_id)
        if person is None:
            raise not_found("person", person_id)
        if attributes is not None:
            if len(attributes) > 20 or any(len(k) > 60 or len(v) > 200 for k, v in attributes.items()):
                raise invalid("attributes_too_large", "Up to 20 attributes of modest length.", path="attributes")
            person.attributes = dict(attributes)
        if matching_consent is not None:
            person.matching_consent = matching_consent
        person.updated_at = uow.clock.now()
        await uow.commit()
        return person


async def upsert_people(uow: UnitOfWork, actor: Actor, *, records: Sequence[PersonRecord]) -> UpsertOutcome:
    """The HRIS sync: create or update people by external id, all or nothing.

    - admins and integrations only; up to 5,000 records a call, external ids unique in the batch;
    - the manager is given by external id, from this batch or already known;
    - a record with ``active: false`` deactivates the person (their live enrollments are withdrawn);
    - any bad record (unknown manager, a reporting cycle, a taken email) rejects the whole batch with
      the record's index in the error, and nothing changes.
    """
    policies.require(policies.can_manage_people(actor), "people_admin_only", "Only admins and the HRIS sync people.")
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if record.external_id in seen:
            problems.append(FieldProblem(f"people[{index}].external_id", "appears twice in this batch"))
        seen[record.external_id] = index
    if problems:
        raise DomainError(
            code="upsert_rejected",
            detail="The batch has problems; nothing was changed.",
            kind="invalid",
            errors=problems,
        )
    outcome = UpsertOutcome()
    async with uow:
        now = uow.clock.now()
        wanted = [r.external_id for r in records] + [r.manager_external_id for r in records if r.manager_external_id]
        known = await uow.people.by_external_ids(wanted)
        by_external: dict[str, Person] = dict(known)
        emails = {r.email.strip().lower(): i for i, r in enumerate(records)}
        if len(emails) != len(records):
            raise DomainError(code="upsert_rejected", detail="Two records share an email.", kind="invalid")
        # First pass: every new person exists; existing people's own fields are collected so that
        # each person changes once (one ``person.updated`` event, not one per pass).
        pending: dict[UUID, dict[str, Any]] = {}
        holders = await uow.people.by_emails(list(emails))
        for index, record in enumerate(records):
            email = record.email.strip().lower()
            holder = holders.get(email)
            person = by_external.get(record.external_id)
            if holder is not None and (person is None or holder.id != person.id) and holder.external_id not in seen:
                problems.append(FieldProblem(f"people[{index}].email", f"{email} belongs to another person"))
                continue
            own: dict[str, Any] = {
                "email": email,
                "given_name": record.given_name,
                "family_name": record.family_name,
                "department": record.department,
                "location": record.location,
                "job_title": record.job_title,
                "seniority": record.seniority,
                "hire_date": record.hire_date,
                "generation": record.generation,
            }
            if person is None:
                person = Person(
                    id=uow.ids.new_id(), external_id=record.external_id, created_at=now, updated_at=now, **own
                )
                uow.people.add(person)
                uow.record(PersonCreated(person_id=person.id, external_id=record.external_id))
                by_external[record.external_id] = person
                outcome.created.append(person.id)
            else:
                pending[person.id] = own
        # Second pass: managers by external id, then the whole tree must be free of cycles.
        managers = await uow.people.manager_map()
        for index, record in enumerate(records):
            person = by_external.get(record.external_id)
            if person is None:
                continue
            manager_id: UUID | None = None
            if record.manager_external_id:
                manager = by_external.get(record.manager_external_id)
                if manager is None:
                    problems.append(
                        FieldProblem(f"people[{index}].manager_external_id", f"no person {record.manager_external_id}")
                    )
                    continue
                manager_id = manager.id
            if manager_id == person.id:  # reported with the batch's other problems, not on its own
                problems.append(FieldProblem(f"people[{index}].manager_external_id", "a person cannot manage themself"))
                continue
            if person.id in pending:
                pending[person.id]["manager_id"] = manager_id
            else:  # created in this batch: the manager is part of its creation
                person.manager_id = manager_id
            managers[person.id] = manager_id
        for index, record in enumerate(records):
            person = by_external.get(record.external_id)
            if person is None:
                continue
            try:
                ensure_no_reporting_cycle(person.id, managers.get(person.id), managers)
            except DomainError:
                problems.append(FieldProblem(f"people[{index}].manager_external_id", "would create a reporting cycle"))
        if problems:
            raise DomainError(
                code="upsert_rejected",
                detail="The batch has problems; nothing was changed.",
                kind="invalid",
                errors=problems,
            )
        by_id = {p.id: p for p in by_external.values()}
        for person_id, changes in pending.items():
            if by_id[person_id].update(changes, now=now):
                outcome.updated.append(person_id)
        for record in records:
            person = by_external[record.external_id]
            if not record.active and person.active:
                await _deactivate(uow, person)
                outcome.deactivated.append(person.id)
            elif record.active and not person.active:
                person.reactivate(now=now)  # rehired
                if person.id not in outcome.updated:
                    outcome.updated.append(person.id)
            elif person.id not in outcome.created and person.id not in outcome.updated:
                outcome.unchanged.append(person.id)
        await uow.commit()
        return outcome


async def me(uow: UnitOfWork, actor: Actor) -> Person:
    """The caller's own person record."""
    person_id = policies.require_person(actor)
    async with uow:
        person = await uow.queries.person(actor, person_id)
        if person is None:
            raise not_found("person", person_id)
        return person


__all__ = [
    "PersonRecord",
    "UpsertOutcome",
    "create_person",
    "deactivate_person",
    "get_person",
    "list_people",
    "me",
    "update_my_consent",
    "update_person",
    "upsert_people",
]
