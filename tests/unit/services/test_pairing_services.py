"""Making pairs by hand and publishing matching runs, through the in-memory unit of work."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.actors import Actor, Role
from app.domain.enrollments import EnrollmentStatus
from app.domain.errors import DomainError
from app.domain.matching import solve
from app.domain.matching_runs import RunStatus
from app.domain.pairing import candidate
from app.domain.programs import Program, ProgramKind, ProgramStatus
from app.services import matching_runs, pairing, programs


async def matching_program(cast: Any, count: int, **settings: Any) -> tuple[Program, Actor, list[Any]]:
    """A reciprocal program in ``matching`` with ``count`` ready enrollments of new people."""
    hana = await cast.person("Hana Hr", Role.COORDINATOR)
    program = await cast.program(hana, status=ProgramStatus.ENROLLING, **settings)
    ready = [await cast.ready(await cast.person(f"Member {n}", seniority=1 + n), program, hana) for n in range(count)]
    await programs.transition_program(
        cast.uow(), hana, program_id=program.id, to=ProgramStatus.MATCHING, expected_version=None
    )
    return program, hana, ready


async def test_a_manual_pair_is_proposed_with_its_roles_and_both_enrollments_matched(uow, store, cast) -> None:
    program, hana, (junior, senior) = await matching_program(cast, 2)
    cast.announced()
    made = await pairing.create_relationship(uow(), hana, program_id=program.id, enrollment_ids=(junior.id, senior.id))
    pair = store.relationships[made.relationship.id]
    assert (pair.status, pair.source, pair.senior_member_id, pair.designated_mentor_id) == (
        "proposed",
        "manual",
        senior.person_id,
        senior.person_id,
    )
    assert pair.program_policy.to_str() == "alternate(1)"
    assert {store.enrollments[e.id].status for e in (junior, senior)} == {EnrollmentStatus.MATCHED}
    assert cast.announced() == ["relationship.proposed", "enrollment.status_changed", "enrollment.status_changed"]


async def test_capacity_and_hard_constraints_refuse_a_pair_with_every_reason(uow, store, cast) -> None:
    program, hana, (a, b, c) = await matching_program(cast, 3)
    await pairing.create_relationship(uow(), hana, program_id=program.id, enrollment_ids=(a.id, b.id))
    with pytest.raises(DomainError) as refused:
        await pairing.create_relationship(uow(), hana, program_id=program.id, enrollment_ids=(b.id, c.id))
    assert (refused.value.code, [p.path for p in refused.value.errors]) == ("pair_breaks_constraint", ["at_capacity"])
    with pytest.raises(DomainError) as refused:
        await pairing.create_relationship(uow(), hana, program_id=program.id, enrollment_ids=(c.id, c.id))
    assert refused.value.code == "same_enrollment_twice"
    sam = await cast.person("Sam Junior")
    with pytest.raises(DomainError) as refused:
        await pairing.create_relationship(uow(), sam, program_id=program.id, enrollment_ids=(a.id, c.id))
    assert refused.value.code == "pairing_forbidden"
    assert len(store.relationships) == 1


async def test_a_second_partner_is_judged_by_capacity_when_the_program_allows_several(uow, store, cast) -> None:
    program, hana, (a, b, c) = await matching_program(cast, 3, max_relationships_per_person=2)
    await pairing.create_relationship(uow(), hana, program_id=program.id, enrollment_ids=(a.id, b.id))
    await pairing.create_relationship(uow(), hana, program_id=program.id, enrollment_ids=(a.id, c.id))
    with pytest.raises(DomainError) as refused:
        await pairing.create_relationship(uow(), hana, program_id=program.id, enrollment_ids=(b.id, a.id))
    assert refused.value.code == "pair_breaks_constraint"
    assert [p.path for p in refused.value.errors] == ["at_capacity", "already_paired"]


async def completed_run(cast: Any, program: Program, hana: Actor) -> Any:
    run = await matching_runs.start_run(cast.uow(), hana, program_id=program.id, pins=[], forbids=[], based_on=None)
    async with cast.uow() as uow:
        stored = await uow.matching_runs.get(run.id)
        pool = [
            candidate(e, await uow.people.get(e.person_id), {}, 2)
            for e in cast.store.enrollments.values()
            if e.program_id == program.id and e.status is EnrollmentStatus.READY
        ]
        result = solve(pool, program.matching_settings())
        stored.start(pool_size=len(pool), now=uow.clock.now())
        stored.complete(result, now=uow.clock.now())
        await uow.matching_runs.save_result(run.id, result.pairs, result.unmatched, uow.ids.new_id)
        await uow.commit()
    return stored


async def test_publishing_a_run_proposes_every_pair_at_once_and_only_once(uow, store, cast) -> None:
    program, hana, ready = await matching_program(cast, 6)
    run = await completed_run(cast, program, hana)
    cast.announced()
    published = await matching_runs.publish_run(uow(), hana, run_id=run.id, expected_version=run.version)
    assert store.matching_runs[run.id].status is RunStatus.PUBLISHED and published.version == run.version + 1
    assert sorted(r.source for r in store.relationships.values()) == ["matching"] * 3
    assert {store.enrollments[e.id].status for e in ready} == {EnrollmentStatus.MATCHED}
    announced = cast.announced()
    assert (announced.count("relationship.proposed"), announced[-1]) == (3, "matching_run.published")
    with pytest.raises(DomainError) as again:
        await matching_runs.publish_run(uow(), hana, run_id=run.id, expected_version=None)
    assert again.value.code == "run_not_publishable"


async def test_a_run_whose_pair_broke_meanwhile_is_refused_whole(uow, store, cast) -> None:
    program, hana, _ = await matching_program(cast, 4)
    run = await completed_run(cast, program, hana)
    first_pair = store.proposals[run.id][0].enrollment_ids
    await pairing.create_relationship(uow(), hana, program_id=program.id, enrollment_ids=first_pair)
    cast.announced()
    with pytest.raises(DomainError) as refused:
        await matching_runs.publish_run(uow(), hana, run_id=run.id, expected_version=None)
    assert refused.value.code == "pair_breaks_constraint"
    assert [p.path for p in refused.value.errors] == ["at_capacity", "already_paired"]
    assert len(store.relationships) == 1 and store.matching_runs[run.id].status is RunStatus.COMPLETED
    assert cast.announced() == []


async def test_a_run_starts_only_for_the_program_s_staff_while_matching(uow, store, cast) -> None:
    program, hana, _ = await matching_program(cast, 2)
    run = await matching_runs.start_run(uow(), hana, program_id=program.id, pins=[], forbids=[], based_on=None)
    assert (store.matching_runs[run.id].status, run.pool_size) == (RunStatus.QUEUED, 2)
    with pytest.raises(DomainError) as refused:
        await matching_runs.start_run(
            uow(), await cast.person("Sam Junior"), program_id=program.id, pins=[], forbids=[], based_on=None
        )
    assert refused.value.code == "matching_forbidden"
    draft = await cast.program(hana, kind=ProgramKind.REVERSE)
    with pytest.raises(DomainError) as refused:
        await matching_runs.start_run(uow(), hana, program_id=draft.id, pins=[], forbids=[], based_on=None)
    assert refused.value.code == "program_not_matching"
