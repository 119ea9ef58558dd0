"""People and skills use cases, through the in-memory unit of work."""

from __future__ import annotations

from uuid import UUID

import pytest

from app.domain.actors import Actor, Role
from app.domain.changes import UNSET
from app.domain.directory import PersonRecord
from app.domain.errors import DomainError
from app.domain.people import PersonChanges, PersonDetails
from app.domain.skills import SkillCategory
from app.services import people, skills

ADMIN = Actor(subject="admin", issuer="tests", roles=frozenset({Role.ADMIN}))
HRIS = Actor(subject="hris", issuer="tests", roles=frozenset({Role.INTEGRATION}))
NOBODY = UUID(int=999_999)


async def test_admins_add_people_with_a_unique_email_and_a_known_manager(uow, store, cast) -> None:
    boss = await people.create_person(
        uow(), ADMIN, details=PersonDetails(email=" Boss@Example.com ", given_name="B", family_name="Oss")
    )
    assert (boss.email, store.people[boss.id].version) == ("boss@example.com", 1)
    report = await people.create_person(
        uow(), HRIS, details=PersonDetails(email="r@example.com", given_name="R", family_name="Ep", manager_id=boss.id)
    )
    assert store.people[report.id].manager_id == boss.id
    assert cast.announced() == ["person.created", "person.created"]
    for details, code in [
        (PersonDetails(email="BOSS@example.com", given_name="X", family_name="Y"), "email_taken"),
        (PersonDetails(email="x@example.com", given_name="X", family_name="Y", manager_id=NOBODY), "manager_unknown"),
    ]:
        with pytest.raises(DomainError) as refused:
            await people.create_person(uow(), ADMIN, details=details)
        assert refused.value.code == code
    employee = await cast.person("Sam Junior")
    with pytest.raises(DomainError) as refused:
        await people.create_person(
            uow(), employee, details=PersonDetails(email="z@e.com", given_name="Z", family_name="Z")
        )
    assert refused.value.code == "people_admin_only"
    assert len(store.people) == 3


async def test_an_edit_changes_only_what_was_sent_and_refuses_a_reporting_loop(uow, store, cast) -> None:
    top, middle = await cast.person("Top Boss"), await cast.person("Mid Dle")
    reports = PersonChanges(manager_id=top.person_id)
    await people.update_person(uow(), ADMIN, person_id=middle.person_id, changes=reports, expected_version=1)
    cast.announced()
    changed = await people.update_person(
        uow(),
        ADMIN,
        person_id=middle.person_id,
        changes=PersonChanges(department="Finance", location=None),
        expected_version=2,
    )
    assert (changed.department, changed.location, changed.manager_id, changed.version) == (
        "Finance",
        None,
        top.person_id,
        3,
    )
    assert cast.announced() == ["person.updated"]
    with pytest.raises(DomainError) as loop:
        await people.update_person(
            uow(),
            ADMIN,
            person_id=top.person_id,
            changes=PersonChanges(manager_id=middle.person_id),
            expected_version=None,
        )
    assert loop.value.code == "reporting_cycle"
    with pytest.raises(DomainError) as stale:
        await people.update_person(
            uow(), ADMIN, person_id=middle.person_id, changes=PersonChanges(department="X"), expected_version=2
        )
    assert stale.value.code == "stale_version"
    assert store.people[top.person_id].manager_id is None and cast.announced() == []


async def test_a_leaver_is_deactivated_and_leaves_their_pairs_and_enrollments(uow, store, cast) -> None:
    pair, junior, senior, _ = await cast.pair()
    cast.announced()
    await people.deactivate_person(uow(), ADMIN, person_id=junior.person_id, expected_version=None)
    assert not store.people[junior.person_id].active
    assert (store.relationships[pair.id].status, store.relationships[pair.id].end_reason) == (
        "ended",
        "left_organisation",
    )
    statuses = {e.person_id: e.status for e in store.enrollments.values()}
    assert (statuses[junior.person_id], statuses[senior.person_id]) == ("withdrawn", "ready")
    assert cast.announced() == [
        "person.deactivated",
        "relationship.ended",
        "enrollment.status_changed",
        "enrollment.status_changed",
    ]


async def test_a_person_states_their_own_attributes_and_consent_and_nobody_else_can(uow, store, cast) -> None:
    sam = await cast.person("Sam Junior")
    stated = await people.update_my_consent(uow(), sam, attributes={"pronouns": "they/them"}, matching_consent=True)
    assert (stated.attributes, stated.matching_consent) == ({"pronouns": "they/them"}, True)
    kept = await people.update_my_consent(uow(), sam, matching_consent=False)
    assert (kept.attributes, kept.matching_consent, kept.version) == ({"pronouns": "they/them"}, False, 3)
    with pytest.raises(DomainError) as too_many:
        await people.update_my_consent(uow(), sam, attributes={f"a{n}": "x" for n in range(21)}, matching_consent=UNSET)
    assert too_many.value.code == "attributes_too_large"
    assert store.people[sam.person_id].attributes == {"pronouns": "they/them"}
    with pytest.raises(DomainError) as nobody:
        await people.update_my_consent(uow(), ADMIN, attributes={})
    assert nobody.value.code == "actor_not_a_person"


def record(external_id: str, manager: str | None = None, **fields: object) -> PersonRecord:
    email = f"{external_id.lower()}@example.com"
    return PersonRecord(
        external_id=external_id,
        email=email,
        given_name=external_id,
        family_name="T",
        manager_external_id=manager,
        **fields,
    )  # type: ignore[arg-type]


async def test_the_hris_sync_applies_a_batch_all_or_nothing(uow, store, cast) -> None:
    first = await people.upsert_people(uow(), HRIS, records=[record("E-2", "E-1"), record("E-1")])
    assert len(first.created) == 2 and cast.announced() == ["person.created"] * 2
    by_external = {p.external_id: p for p in store.people.values()}
    assert by_external["E-2"].manager_id == by_external["E-1"].id

    with pytest.raises(DomainError) as refused:
        await people.upsert_people(uow(), HRIS, records=[record("E-1", "E-2"), record("E-3", "E-404")])
    assert {p.path for p in refused.value.errors} == {"people[0].manager_external_id", "people[1].manager_external_id"}
    assert len(store.people) == 2 and cast.announced() == []

    second = await people.upsert_people(uow(), HRIS, records=[record("E-2", "E-1", active=False), record("E-1")])
    assert (second.deactivated, second.unchanged) == ([by_external["E-2"].id], [by_external["E-1"].id])
    assert cast.announced() == ["person.deactivated"]
    with pytest.raises(DomainError) as forbidden:
        await people.upsert_people(
            uow(), await cast.person("Cora Ordinator", Role.COORDINATOR), records=[record("E-9")]
        )
    assert forbidden.value.code == "people_admin_only"


async def test_hr_staff_curate_the_skill_catalogue_without_duplicates(uow, store, cast) -> None:
    hana = await cast.person("Hana Hr", Role.COORDINATOR)
    made = await skills.create_skill(
        uow(), hana, name="  TikTok  ", category=SkillCategory.SOCIAL_MEDIA, description=None
    )
    assert store.skills[made.id].name == "TikTok"
    for actor, name, code in [
        (hana, "tiktok", "skill_exists"),
        (hana, "   ", "skill_name_required"),
        (await cast.person("Sam Junior"), "Excel", "skills_admin_only"),
    ]:
        with pytest.raises(DomainError) as refused:
            await skills.create_skill(uow(), actor, name=name, category=SkillCategory.TECHNOLOGY, description=None)
        assert refused.value.code == code
    assert len(store.skills) == 1
