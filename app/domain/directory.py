"""The HRIS sync: the organisation's system of record states who works here, and the directory
follows — all of a batch, or none of it.

Rules:
- people are matched by the HRIS external id; each appears once in a batch and no two records
  share an email; an email another person holds stays theirs (unless that person is in the batch);
- the manager is named by external id, from the batch or already known; nobody manages themself
  and no batch may close a loop in the reporting line, with the people already known included;
- each record's own fields are checked as any directory edit is (e.g. the seniority bound);
- every problem is reported at once, with the record's index (``people[3].manager_external_id``),
  and a batch with problems changes nothing (``upsert_rejected``);
- a record with ``active: false`` deactivates the person, one with ``active: true`` reactivates a
  rehire; each person changes once per batch, so each is announced once (created people with
  their manager, existing ones with every field that changed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from app.domain.errors import DomainError, FieldProblem
from app.domain.people import Person, PersonChanges, PersonDetails, ensure_no_reporting_cycle, normalise_email


@dataclass(frozen=True, kw_only=True)
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
class SyncOutcome:
    """Who the batch created, changed (reactivations included), left as they were and deactivated."""

    created: list[UUID] = field(default_factory=list)
    updated: list[UUID] = field(default_factory=list)
    unchanged: list[UUID] = field(default_factory=list)
    deactivated: list[UUID] = field(default_factory=list)


@dataclass
class DirectorySync:
    """A batch applied to the directory: the people to add, the leavers (already deactivated here;
    what they leave behind — relationships, enrollments — is the caller's to close) and the outcome."""

    created: list[Person] = field(default_factory=list)
    leavers: list[Person] = field(default_factory=list)
    outcome: SyncOutcome = field(default_factory=SyncOutcome)


def _rejected(problems: list[FieldProblem]) -> DomainError:
    return DomainError(
        code="upsert_rejected", detail="The batch has problems; nothing was changed.", kind="invalid", errors=problems
    )


def _batch_problems(records: Sequence[PersonRecord]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    external_ids: dict[str, int] = {}
    emails: dict[str, int] = {}
    for index, record in enumerate(records):
        if record.external_id in external_ids:
            problems.append(FieldProblem(f"people[{index}].external_id", "appears twice in this batch"))
        external_ids.setdefault(record.external_id, index)
        email = normalise_email(record.email)
        if email in emails:
            problems.append(FieldProblem(f"people[{index}].email", f"shared with people[{emails[email]}]"))
        emails.setdefault(email, index)
    return problems


def _details(record: PersonRecord) -> PersonDetails:
    return PersonDetails(
        email=record.email,
        given_name=record.given_name,
        family_name=record.family_name,
        external_id=record.external_id,
        department=record.department,
        location=record.location,
        job_title=record.job_title,
        seniority=record.seniority,
        hire_date=record.hire_date,
        generation=record.generation,
    )


def _changes(record: PersonRecord, manager_id: UUID | None) -> PersonChanges:
    return PersonChanges(
        email=record.email,
        given_name=record.given_name,
        family_name=record.family_name,
        department=record.department,
        location=record.location,
        job_title=record.job_title,
        seniority=record.seniority,
        hire_date=record.hire_date,
        generation=record.generation,
        manager_id=manager_id,
    )


def sync(
    records: Sequence[PersonRecord],
    *,
    known: Mapping[str, Person],
    email_holders: Mapping[str, Person],
    managers: Mapping[UUID, UUID | None],
    new_id: Callable[[], UUID],
    now: datetime,
) -> DirectorySync:
    """Apply a batch of HRIS records to the directory (see the module's rules).

    ``known``: the people already in the directory by external id, for every external id the batch
    names (people and managers); ``email_holders``: the people holding the batch's emails;
    ``managers``: person → manager for the reporting chains above the known people and managers the
    batch names (a loop is looked for through them).
    """
    problems = _batch_problems(records)
    if problems:
        raise _rejected(problems)
    in_batch = {record.external_id for record in records}
    people: dict[str, Person] = dict(known)
    created: dict[str, Person] = {}
    for index, record in enumerate(records):
        email = normalise_email(record.email)
        holder = email_holders.get(email)
        person = known.get(record.external_id)
        if holder is not None and (person is None or holder.id != person.id) and holder.external_id not in in_batch:
            problems.append(FieldProblem(f"people[{index}].email", f"{email} belongs to another person"))
            continue
        if person is None:
            try:
                person = Person.create(id=new_id(), details=_details(record), now=now)
            except DomainError as error:
                problems.extend(FieldProblem(f"people[{index}].{p.path}", p.message) for p in error.errors)
                continue
            people[record.external_id] = created[record.external_id] = person
    # Managers by external id; the reporting line with the batch's managers must stay loop-free.
    reporting: dict[UUID, UUID | None] = dict(managers)
    manager_of: dict[str, UUID | None] = {}
    for index, record in enumerate(records):
        person = people.get(record.external_id)
        if person is None:
            continue
        manager_id: UUID | None = None
        if record.manager_external_id:
            manager = people.get(record.manager_external_id)
            if manager is None:
                problems.append(
                    FieldProblem(f"people[{index}].manager_external_id", f"no person {record.manager_external_id}")
                )
                continue
            manager_id = manager.id
        if manager_id == person.id:
            problems.append(FieldProblem(f"people[{index}].manager_external_id", "a person cannot manage themself"))
            continue
        manager_of[record.external_id] = reporting[person.id] = manager_id
    for index, record in enumerate(records):
        person = people.get(record.external_id)
        if person is None or record.external_id not in manager_of:
            continue
        try:
            ensure_no_reporting_cycle(person.id, reporting.get(person.id), reporting)
        except DomainError:
            problems.append(FieldProblem(f"people[{index}].manager_external_id", "would create a reporting cycle"))
    if problems:
        raise _rejected(problems)
    return _apply(records, people, created, manager_of, now)


def _apply(
    records: Sequence[PersonRecord],
    people: Mapping[str, Person],
    created: Mapping[str, Person],
    manager_of: Mapping[str, UUID | None],
    now: datetime,
) -> DirectorySync:
    result = DirectorySync(created=list(created.values()))
    outcome = result.outcome
    problems: list[FieldProblem] = []
    for index, record in enumerate(records):
        person = people[record.external_id]
        if record.external_id in created:
            person.manager_id = manager_of[record.external_id]  # part of the creation, one event
            outcome.created.append(person.id)
            continue
        try:
            changed = person.update(_changes(record, manager_of[record.external_id]), now=now)
        except DomainError as error:
            problems.extend(FieldProblem(f"people[{index}].{p.path}", p.message) for p in error.errors)
            continue
        if changed:
            outcome.updated.append(person.id)
        if not record.active and person.active:
            person.deactivate(now=now)
            result.leavers.append(person)
            outcome.deactivated.append(person.id)
        elif record.active and not person.active:
            person.reactivate(now=now)  # a rehire
            if not changed:
                outcome.updated.append(person.id)
        elif not changed:
            outcome.unchanged.append(person.id)
    if problems:
        raise _rejected(problems)
    return result
