"""People use cases: the HR directory, kept in sync with the HRIS."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from app.domain import directory, policies
from app.domain.actors import Actor
from app.domain.changes import UNSET, Unset
from app.domain.directory import PersonRecord, SyncOutcome
from app.domain.enrollments import LIVE
from app.domain.errors import conflict, invalid, not_found
from app.domain.people import Person, PersonChanges, PersonDetails, ensure_no_reporting_cycle, normalise_email
from app.domain.ports import EnrollmentFilter, Page, PageRequest, PeopleFilter, UnitOfWork
from app.services.common import ensure_version
from app.services.relationships import end_relationships_of_leaver


async def create_person(uow: UnitOfWork, actor: Actor, *, details: PersonDetails) -> Person:
    """Add a person to the directory.

    - admins and integrations only;
    - email and HRIS external id are unique;
    - the manager must exist.
    """
    policies.require(policies.can_manage_people(actor), "people_admin_only", "Only admins and the HRIS add people.")
    async with uow:
        await _ensure_unique(uow, email=details.email, external_id=details.external_id, person_id=None)
        if details.manager_id is not None and await uow.people.get(details.manager_id) is None:
            raise invalid("manager_unknown", f"No person {details.manager_id} to be the manager.", path="manager_id")
        person = Person.create(id=uow.ids.new_id(), details=details, now=uow.clock.now())
        uow.people.add(person)
        await uow.commit()
        return person


async def _ensure_unique(
    uow: UnitOfWork, *, email: str | Unset, external_id: str | Unset | None, person_id: UUID | None
) -> None:
    if not isinstance(email, Unset):
        holder = await uow.people.by_email(normalise_email(email))
        if holder is not None and holder.id != person_id:
            raise conflict("email_taken", f"{normalise_email(email)} belongs to another person.")
    if isinstance(external_id, str) and external_id:
        holder = (await uow.people.by_external_ids([external_id])).get(external_id)
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
    uow: UnitOfWork, actor: Actor, *, person_id: UUID, changes: PersonChanges, expected_version: int | None
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
        await _ensure_unique(uow, email=changes.email, external_id=changes.external_id, person_id=person_id)
        manager_id = changes.manager_id
        if isinstance(manager_id, UUID):
            if await uow.people.get(manager_id) is None:
                raise invalid("manager_unknown", f"No person {manager_id} to be the manager.", path="manager_id")
            ensure_no_reporting_cycle(person_id, manager_id, await uow.people.managers_above([manager_id]))
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
        person.deactivate(now=uow.clock.now())
        await _close_what_a_leaver_leaves(uow, person)
        await uow.commit()
        return person


async def _close_what_a_leaver_leaves(uow: UnitOfWork, person: Person) -> None:
    """A deactivated person's live relationships end (partners return to the pool) and their live
    enrollments are withdrawn."""
    await end_relationships_of_leaver(uow, person.id)
    live = await uow.enrollments.list(EnrollmentFilter(person_id=person.id, statuses=LIVE), PageRequest(limit=1000))
    for enrollment in live.items:
        enrollment.withdraw(reason="left the organisation", now=uow.clock.now())


async def update_my_consent(
    uow: UnitOfWork,
    actor: Actor,
    *,
    attributes: Mapping[str, str] | Unset = UNSET,
    matching_consent: bool | Unset = UNSET,
) -> Person:
    """State your self-identified attributes and whether matching may use them — your choice alone.

    - for yourself only; up to 20 attributes, names of up to 60 and values of up to 200 characters;
    - matching reads them only while you consent; nobody but you (and the HRIS that may supply
      them) ever reads them back.
    """
    person_id = policies.require_person(actor)
    async with uow:
        person = await uow.people.get(person_id)
        if person is None:
            raise not_found("person", person_id)
        person.state_attributes(attributes=attributes, matching_consent=matching_consent, now=uow.clock.now())
        await uow.commit()
        return person


async def upsert_people(uow: UnitOfWork, actor: Actor, *, records: Sequence[PersonRecord]) -> SyncOutcome:
    """The HRIS sync: create or update people by external id, all or nothing.

    - admins and integrations only; up to 5,000 records a call, external ids and emails unique in
      the batch;
    - the manager is given by external id, from this batch or already known;
    - a record with ``active: false`` deactivates the person (their live relationships end and their
      live enrollments are withdrawn); ``active: true`` reactivates a rehire;
    - any bad record (unknown manager, a reporting cycle, a taken email) rejects the whole batch
      (``upsert_rejected``) with the record's index in ``errors[]``, and nothing changes.
    """
    policies.require(policies.can_manage_people(actor), "people_admin_only", "Only admins and the HRIS sync people.")
    async with uow:
        named = [r.external_id for r in records] + [r.manager_external_id for r in records if r.manager_external_id]
        known = await uow.people.by_external_ids(named)
        holders = await uow.people.by_emails([r.email for r in records])
        # the reporting chains a loop could run through: above the known people and managers named
        chains = await uow.people.managers_above([p.id for p in known.values()])
        applied = directory.sync(
            records, known=known, email_holders=holders, managers=chains, new_id=uow.ids.new_id, now=uow.clock.now()
        )
        for person in applied.created:
            uow.people.add(person)
        for leaver in applied.leavers:
            await _close_what_a_leaver_leaves(uow, leaver)
        await uow.commit()
        return applied.outcome


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
    "SyncOutcome",
    "create_person",
    "deactivate_person",
    "get_person",
    "list_people",
    "me",
    "update_my_consent",
    "update_person",
    "upsert_people",
]
