"""The unit of work on a real database: all or nothing, the outbox written in the same transaction,
and optimistic concurrency between two units of work touching the same aggregate."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError

from app.adapters.persistence.tables import OutboxRow, PersonRow, ProgramRow, ProposalCommentRow
from app.domain.actors import Actor, Role
from app.domain.enrollments import Enrollment, Profile, RolePreference
from app.domain.errors import DomainError
from app.domain.events import DomainEvent
from app.domain.people import Person, PersonChanges, PersonDetails
from app.domain.programs import ProgramChanges, ProgramDraft, ProgramKind, ProgramStatus
from app.domain.proposals import ProposalComment
from app.services import enrollments as enrollment_service
from app.services import programs as program_service

outbox = OutboxRow.__table__  # type: ignore[attr-defined]
people = PersonRow.__table__  # type: ignore[attr-defined]
programs = ProgramRow.__table__  # type: ignore[attr-defined]
comments = ProposalCommentRow.__table__  # type: ignore[attr-defined]
ADMIN = Actor(subject="uow-admin", issuer="test", roles=frozenset({Role.ADMIN}))


class Boom(Exception):
    pass


async def rows(container: Any, table: Any) -> list[dict[str, Any]]:
    async with container.engine.connect() as connection:
        result = await connection.execute(select(table).order_by(table.c.id))
        return [dict(row) for row in result.mappings()]


async def count(container: Any, table: Any) -> int:
    async with container.engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(table)))


async def forget_events(container: Any) -> None:
    """Set-up raised events too; each test looks only at what its own use case writes."""
    async with container.engine.begin() as connection:
        await connection.execute(outbox.delete())


async def draft_program(container: Any, org: Any) -> UUID:
    coordinator = await org.person("Hana Coordinator")
    program = await program_service.create_program(
        container.uow(),
        replace(ADMIN, person_id=coordinator),  # programs are proposed by people in the directory
        kind=ProgramKind.RECIPROCAL,
        draft=ProgramDraft(name="Exchange", cycle_start=date(2027, 1, 11), cycle_end=date(2027, 6, 30),
                         coordinator_ids=[coordinator]),
    )  # fmt: skip
    return program.id


def new_person(uow: Any, email: str) -> Person:
    details = PersonDetails(email=email, given_name="New", family_name="Person")
    return Person.create(id=uow.ids.new_id(), details=details, now=uow.clock.now())


# --- all or nothing -----------------------------------------------------------------------------------
async def test_a_use_case_that_raises_after_changes_leaves_no_row_and_no_event(container, org) -> None:
    sam = await org.person("Sam Junior")
    program_id = await draft_program(container, org)
    await forget_events(container)
    people_before = await count(container, people)

    async def use_case(uow: Any) -> None:
        async with uow:
            person = new_person(uow, "kim@example.com")
            uow.people.add(person)
            existing = await uow.people.get(sam)
            existing.update(PersonChanges(department="Finance"), now=uow.clock.now())
            program = await uow.programs.get(program_id)
            comment = program.comment(comment_id=uow.ids.new_id(), author_id=sam, body="Hi", now=uow.clock.now())
            await uow.programs.add_comment(comment)  # this one reaches the database at once
            raise Boom

    with pytest.raises(Boom):
        await use_case(container.uow())

    assert await count(container, people) == people_before
    assert await count(container, comments) == 0
    assert await rows(container, outbox) == []
    async with container.uow() as check:
        assert (await check.people.get(sam)).department == "Engineering"


async def test_leaving_without_commit_discards_everything(container, org) -> None:
    program_id = await draft_program(container, org)
    await forget_events(container)
    async with container.uow() as uow:
        program = await uow.programs.get(program_id)
        program.transition(ProgramStatus.CLOSED, now=uow.clock.now())
    async with container.uow() as uow:
        assert (await uow.programs.get(program_id)).status is ProgramStatus.DRAFT
    assert await rows(container, outbox) == []


async def test_a_commit_that_fails_half_way_writes_nothing(container, org, sql) -> None:
    await org.person("Sam Junior")
    await forget_events(container)
    people_before = await count(container, people)

    async with container.uow() as uow:
        kim = new_person(uow, "kim@example.com")
        uow.people.add(kim)  # inserted first at commit ...
        orphan = Enrollment.apply(  # ... then this insert breaks a foreign key (no such program)
            enrollment_id=uow.ids.new_id(),
            program_id=uow.ids.new_id(),
            kind=ProgramKind.RECIPROCAL,
            person_id=kim.id,
            profile=Profile(role_preference=RolePreference.BOTH),
            now=uow.clock.now(),
        )
        uow.enrollments.add(orphan)
        with sql() as seen, pytest.raises(IntegrityError) as failure:
            await uow.commit()
    assert "foreign key" in str(failure.value.orig).lower()
    assert [kind for kind, _ in seen.table_writes("people") + seen.table_writes("enrollments")] == ["INSERT"] * 2
    assert await count(container, people) == people_before
    assert await rows(container, outbox) == []


# --- the outbox ------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Unwritable(DomainEvent):
    event_type: ClassVar[str] = "test.unwritable"

    def payload(self) -> dict[str, Any]:
        return {"not_json": object()}


async def test_when_the_events_cannot_be_written_the_change_is_not_written_either(container, org, sql) -> None:
    program_id = await draft_program(container, org)
    await forget_events(container)

    async with container.uow() as uow:
        program = await uow.programs.get(program_id)
        program.transition(ProgramStatus.CLOSED, now=uow.clock.now())
        uow.record(Unwritable())
        with sql() as seen, pytest.raises(StatementError) as failure:
            await uow.commit()
    assert "not JSON serializable" in str(failure.value)
    assert seen.table_writes("programs") == [("UPDATE", 1)], "the change was written before the events failed"
    [row] = await rows(container, programs)
    assert (row["status"], row["version"]) == ("draft", 1)
    assert await rows(container, outbox) == []


async def test_a_committed_use_case_leaves_exactly_its_events_in_order(container, org) -> None:
    program_id = await draft_program(container, org)
    await forget_events(container)

    async with container.uow() as uow:
        program = await uow.programs.get(program_id)
        program.update(
            ProgramChanges(name="Exchange 2027", cadence_days=21), now=uow.clock.now(), new_id=uow.ids.new_id
        )
        program.transition(ProgramStatus.ENROLLING, now=uow.clock.now())
        program.transition(ProgramStatus.MATCHING, now=uow.clock.now())
        await uow.commit()

    written = await rows(container, outbox)
    pid = str(program_id)
    assert [(r["event_type"], r["payload"]) for r in written] == [
        ("program.updated", {"program_id": pid, "fields": ["name", "cadence_days"]}),
        ("program.status_changed", {"program_id": pid, "from_status": "draft", "to_status": "enrolling"}),
        ("program.status_changed", {"program_id": pid, "from_status": "enrolling", "to_status": "matching"}),
    ]
    assert all(r["dispatched_at"] is None and r["occurred_at"] is not None for r in written)
    assert len({r["id"] for r in written}) == 3


async def test_services_announce_what_they_changed(container, org) -> None:
    """Through the real use cases: an approval that makes an enrollment ready raises two moves."""
    sam = await org.person("Sam Junior")
    program_id = await draft_program(container, org)
    staff = Actor(subject="s", issuer="test", roles=frozenset({Role.ADMIN}))
    await program_service.transition_program(
        container.uow(), staff, program_id=program_id, to=ProgramStatus.ENROLLING, expected_version=None
    )
    me = Actor(subject="sam", issuer="test", person_id=sam, roles=frozenset({Role.EMPLOYEE}))
    enrollment = await enrollment_service.enrol(
        container.uow(), me, program_id=program_id, person_id=None, profile=Profile(role_preference=RolePreference.BOTH)
    )
    [applied] = [r for r in await rows(container, outbox) if r["event_type"].startswith("enrollment.")]
    assert applied["payload"] == {
        "program_id": str(program_id),
        "enrollment_id": str(enrollment.id),
        "person_id": str(sam),
    }
    await forget_events(container)

    await enrollment_service.approve(
        container.uow(), staff, program_id=program_id, enrollment_id=enrollment.id, expected_version=None
    )
    moves = [
        (r["event_type"], r["payload"]["from_status"], r["payload"]["to_status"]) for r in await rows(container, outbox)
    ]
    assert moves == [
        ("enrollment.status_changed", "applied", "approved"),
        ("enrollment.status_changed", "approved", "ready"),
    ]


async def test_a_refused_use_case_announces_nothing(container, org) -> None:
    program_id = await draft_program(container, org)
    await forget_events(container)
    with pytest.raises(DomainError) as refused:
        await program_service.transition_program(
            container.uow(), ADMIN, program_id=program_id, to=ProgramStatus.ACTIVE, expected_version=None
        )
    assert refused.value.code == "illegal_program_transition"
    assert await rows(container, outbox) == []


# --- optimistic concurrency ---------------------------------------------------------------------------------
async def test_a_unit_of_work_that_read_before_another_wrote_cannot_overwrite(container, org) -> None:
    program_id = await draft_program(container, org)
    await forget_events(container)

    late = container.uow()
    async with late:
        stale_copy = await late.programs.get(program_id)
        await late.rollback()  # its read is over; the database is free for the other writer

        async with container.uow() as early:
            (await early.programs.get(program_id)).update(
                ProgramChanges(name="Early"), now=early.clock.now(), new_id=early.ids.new_id
            )
            await early.commit()

        stale_copy.update(ProgramChanges(description="Late"), now=late.clock.now(), new_id=late.ids.new_id)
        with pytest.raises(DomainError) as lost:
            await late.commit()
    assert lost.value.code == "stale_version"

    [row] = await rows(container, programs)
    assert (row["name"], row["description"], row["version"]) == ("Early", "", 2)
    assert [r["event_type"] for r in await rows(container, outbox)] == ["program.updated"]


async def test_concurrent_updates_of_the_same_program_never_lose_one(container, org, backend) -> None:
    """PostgreSQL reads without locking: both units of work load version 1, the second to write gets
    ``stale_version``. SQLite takes the write lock at BEGIN: the second waits, reads version 2, and
    both changes survive. Either way nothing is silently overwritten."""
    program_id = await draft_program(container, org)
    first, second = container.uow(), container.uow()

    if backend == "postgresql":
        async with first, second:
            a = await first.programs.get(program_id)
            b = await second.programs.get(program_id)
            assert a.version == b.version == 1
            a.update(ProgramChanges(name="First"), now=first.clock.now(), new_id=first.ids.new_id)
            await first.commit()
            b.update(ProgramChanges(description="Second"), now=second.clock.now(), new_id=second.ids.new_id)
            with pytest.raises(DomainError) as lost:
                await second.commit()
        assert lost.value.code == "stale_version"
        [row] = await rows(container, programs)
        assert (row["name"], row["description"], row["version"]) == ("First", "", 2)
        return

    async def second_use_case() -> int:
        async with second:
            b = await second.programs.get(program_id)
            seen = b.version
            b.update(ProgramChanges(description="Second"), now=second.clock.now(), new_id=second.ids.new_id)
            await second.commit()
            return seen

    async with first:
        a = await first.programs.get(program_id)
        waiting = asyncio.create_task(second_use_case())
        await asyncio.sleep(0.1)
        assert not waiting.done(), "the second writer should wait for the first"
        a.update(ProgramChanges(name="First"), now=first.clock.now(), new_id=first.ids.new_id)
        await first.commit()
    assert await waiting == 2
    [row] = await rows(container, programs)
    assert (row["name"], row["description"], row["version"]) == ("First", "Second", 3)


async def test_a_commit_with_several_aggregates_is_atomic_under_a_version_conflict(container, org) -> None:
    """A new person and a stale program update in one unit of work: neither is written."""
    program_id = await draft_program(container, org)
    await forget_events(container)
    people_before = await count(container, people)

    late = container.uow()
    async with late:
        stale_copy = await late.programs.get(program_id)
        await late.rollback()
        async with container.uow() as early:
            (await early.programs.get(program_id)).update(
                ProgramChanges(name="Early"), now=early.clock.now(), new_id=early.ids.new_id
            )
            await early.commit()
        kim = new_person(late, "kim@example.com")
        late.people.add(kim)
        stale_copy.transition(ProgramStatus.CLOSED, now=late.clock.now())
        with pytest.raises(DomainError) as lost:
            await late.commit()
    assert (lost.value.code, lost.value.kind) == ("stale_version", "precondition")

    assert await count(container, people) == people_before
    [row] = await rows(container, programs)
    assert (row["status"], row["name"]) == ("draft", "Early")
    assert [r["event_type"] for r in await rows(container, outbox)] == ["program.updated"]


async def test_comment_rows_and_their_event_commit_together(container, org) -> None:
    sam = await org.person("Sam Junior")
    program_id = await draft_program(container, org)
    await forget_events(container)
    me = Actor(subject="sam", issuer="test", person_id=sam, roles=frozenset({Role.EMPLOYEE}))
    comment: ProposalComment = await program_service.comment_on_proposal(
        container.uow(), me, program_id=program_id, body="Count me in"
    )
    [stored] = await rows(container, comments)
    assert stored["id"] == comment.id
    [event] = await rows(container, outbox)
    assert (event["event_type"], event["payload"]) == (
        "program.proposal_commented",
        {"program_id": str(program_id), "comment_id": str(comment.id)},
    )
