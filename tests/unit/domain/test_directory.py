"""The HRIS sync as a pure domain function: a batch of records against the directory as it is."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count
from typing import Any
from uuid import UUID

import pytest

from app.domain.directory import PersonRecord, sync
from app.domain.errors import DomainError
from app.domain.events import PersonCreated, PersonDeactivated, PersonReactivated, PersonUpdated
from app.domain.people import Person, PersonDetails

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
_ids = count(1)


def new_id() -> UUID:
    return UUID(int=next(_ids))


def record(external_id: str, manager: str | None = None, **fields: Any) -> PersonRecord:
    values: dict[str, Any] = {
        "email": f"{external_id.lower()}@example.com", "given_name": external_id, "family_name": "Test",
        "manager_external_id": manager, **fields,
    }  # fmt: skip
    return PersonRecord(external_id=external_id, **values)


def known(external_id: str, manager: Person | None = None, **fields: Any) -> Person:
    details = PersonDetails(
        email=f"{external_id.lower()}@example.com",
        given_name=external_id,
        family_name="Test",
        external_id=external_id,
        manager_id=None if manager is None else manager.id,
        **fields,
    )
    person = Person.create(id=new_id(), details=details, now=NOW)
    person.events.clear()
    return person


def directory(*people: Person) -> dict[str, Any]:
    """The arguments the service reads for a batch: people by external id, by email, and the chains."""
    return {
        "known": {p.external_id: p for p in people if p.external_id},
        "email_holders": {p.email: p for p in people},
        "managers": {p.id: p.manager_id for p in people},
        "new_id": new_id,
        "now": NOW,
    }


def problems(records: list[PersonRecord], *people: Person) -> set[str]:
    with pytest.raises(DomainError) as refused:
        sync(records, **directory(*people))
    assert refused.value.code == "upsert_rejected"
    return {p.path for p in refused.value.errors}


def test_a_tree_given_in_any_order_is_created_with_its_managers_and_announced_once_each() -> None:
    applied = sync([record("E-3", "E-2"), record("E-2", "E-1"), record("E-1")], **directory())
    by_external = {p.external_id: p for p in applied.created}
    assert by_external["E-3"].manager_id == by_external["E-2"].id
    assert by_external["E-2"].manager_id == by_external["E-1"].id
    assert by_external["E-1"].manager_id is None
    assert applied.outcome.created == [by_external[e].id for e in ("E-3", "E-2", "E-1")]
    assert [[type(e) for e in p.events] for p in applied.created] == [[PersonCreated]] * 3


def test_every_problem_of_a_batch_is_reported_with_its_record() -> None:
    assert problems([record("E-1"), record("E-1", email="other@example.com")]) == {"people[1].external_id"}
    assert problems([record("E-1"), record("E-2", email="e-1@example.com")]) == {"people[1].email"}
    assert problems([record("E-1", "E-404"), record("E-2", seniority=101), record("E-3", "E-3")]) == {
        "people[0].manager_external_id",
        "people[1].seniority",
        "people[2].manager_external_id",
    }


def test_an_email_stays_with_its_holder_unless_the_holder_is_in_the_batch() -> None:
    holder = known("E-9")
    assert problems([record("E-1", email=holder.email)], holder) == {"people[0].email"}
    moved = sync([record("E-1", email=holder.email), record("E-9", email="new@example.com")], **directory(holder))
    assert holder.email == "new@example.com"
    assert moved.outcome.updated == [holder.id]


def test_a_loop_through_people_already_known_is_refused_and_nothing_changes() -> None:
    top = known("E-1")
    middle = known("E-2", top)
    bottom = known("E-3", middle)
    assert problems([record("E-1", "E-3")], top, middle, bottom) == {"people[0].manager_external_id"}
    assert (top.manager_id, top.events) == (None, [])


def test_leavers_rehires_changes_and_the_unchanged_are_told_apart() -> None:
    stays, moves, leaves, returns = known("E-1"), known("E-2"), known("E-3"), known("E-4")
    returns.deactivate(now=NOW)
    returns.events.clear()
    applied = sync(
        [record("E-1"), record("E-2", department="Finance"), record("E-3", active=False), record("E-4")],
        **directory(stays, moves, leaves, returns),
    )
    outcome = applied.outcome
    assert (outcome.unchanged, outcome.updated, outcome.deactivated) == (
        [stays.id],
        [moves.id, returns.id],
        [leaves.id],
    )
    assert applied.leavers == [leaves] and not leaves.active
    assert [type(e) for e in moves.events] == [PersonUpdated]
    assert [type(e) for e in leaves.events] == [PersonDeactivated]
    assert [type(e) for e in returns.events] == [PersonReactivated]
    assert stays.events == []
