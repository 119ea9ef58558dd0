"""The directory (people, HRIS sync, consent), the skill catalogue and the personal calendar feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types.unset import UNSET

from app.domain import people as domain
from app.domain import skills as skill_domain
from app.domain.changes import UNSET as LEFT_AS_IT_IS
from app.domain.changes import Unset
from app.domain.directory import PersonRecord, SyncOutcome
from app.graphql.checks import Checks, camel, given
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.enums import SkillCategory
from app.graphql.results import (
    CalendarFeedResult,
    CalendarFeedRevoked,
    CalendarFeedRevokedResult,
    PersonResult,
    SkillResult,
    UpsertResult,
    mutate,
)
from app.graphql.types.base import build
from app.graphql.types.people import CalendarFeed, Person, Skill, UpsertOutcome
from app.services import calendar, people, skills

_OPTIONAL_200 = ("department", "location", "job_title")


def _directory_fields(checks: Checks, source: Any, names: tuple[str, ...], *, root: str = "") -> dict[str, Any]:
    """The directory fields present in ``source``, checked with REST's bounds."""
    rules: dict[str, Callable[[Any], Any]] = {
        "email": lambda v: checks.email(f"{root}email", v),
        "given_name": lambda v: checks.text(f"{root}givenName", v, min_length=1, max_length=200),
        "family_name": lambda v: checks.text(f"{root}familyName", v, min_length=1, max_length=200),
        "external_id": lambda v: checks.text(f"{root}externalId", v, min_length=1, max_length=200),
        "manager_external_id": lambda v: checks.text(f"{root}managerExternalId", v, max_length=200),
        "department": lambda v: checks.text(f"{root}department", v, max_length=200),
        "location": lambda v: checks.text(f"{root}location", v, max_length=200),
        "job_title": lambda v: checks.text(f"{root}jobTitle", v, max_length=200),
        "seniority": lambda v: checks.number(f"{root}seniority", v, low=0, high=100),
        "generation": lambda v: checks.text(f"{root}generation", v, max_length=40),
    }
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(source, name)
        if not given(value):
            continue
        if value is None:
            values[name] = None
        elif name in rules:
            values[name] = rules[name](value)
        else:
            values[name] = value
    return values


_PERSON_FIELDS = (
    "email",
    "given_name",
    "family_name",
    "external_id",
    *_OPTIONAL_200,
    "seniority",
    "manager_id",
    "hire_date",
    "generation",
)


@strawberry.input(description="A person to add to the directory.")
class PersonInput:
    email: str
    given_name: str
    family_name: str
    external_id: str | None = None
    department: str | None = None
    location: str | None = None
    job_title: str | None = None
    seniority: int = strawberry.field(
        default=1, description="Grade in the organisation (0–100); higher is more senior."
    )
    manager_id: UUID | None = None
    hire_date: date | None = None
    generation: str | None = None

    def details(self) -> domain.PersonDetails:
        checks = Checks()
        values = _directory_fields(checks, self, _PERSON_FIELDS)
        checks.done()
        return domain.PersonDetails(**values)


@strawberry.input(description="Only the fields sent change; null clears the optional ones.")
class PersonUpdateInput:
    email: str | None = UNSET
    given_name: str | None = UNSET
    family_name: str | None = UNSET
    external_id: str | None = UNSET
    department: str | None = UNSET
    location: str | None = UNSET
    job_title: str | None = UNSET
    seniority: int | None = UNSET
    manager_id: UUID | None = UNSET
    hire_date: date | None = UNSET
    generation: str | None = UNSET

    REQUIRED = frozenset({"email", "given_name", "family_name", "seniority"})

    def changes(self) -> domain.PersonChanges:
        checks = Checks()
        values = _directory_fields(checks, self, _PERSON_FIELDS)
        for name in self.REQUIRED & values.keys():
            checks.not_null(camel(name), values[name])
        checks.done()
        return domain.PersonChanges(**values)


@strawberry.input(description="One person as the HRIS sends it; the manager is named by external id.")
class PersonRecordInput:
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


@strawberry.input(description="One self-identified attribute.")
class AttributeInput:
    name: str
    value: str


@strawberry.input(description="A skill for the catalogue.")
class SkillInput:
    name: str
    category: SkillCategory
    description: str | None = None


@strawberry.type
class PeopleMutations:
    @strawberry.mutation(description=rules_of(people.create_person))
    async def create_person(self, info: Info, input: PersonInput) -> PersonResult:
        return await mutate(
            info,
            lambda: info.context.run(people.create_person, details=input.details()),
            lambda p: Person.of(p, info.context.actor),
        )

    @strawberry.mutation(description=rules_of(people.update_person))
    async def update_person(
        self, info: Info, id: UUID, input: PersonUpdateInput, expected_version: int | None = None
    ) -> PersonResult:
        return await mutate(
            info,
            lambda: info.context.run(
                people.update_person, person_id=id, changes=input.changes(), expected_version=expected_version
            ),
            lambda p: Person.of(p, info.context.actor),
        )

    @strawberry.mutation(description=rules_of(people.deactivate_person))
    async def deactivate_person(self, info: Info, id: UUID, expected_version: int | None = None) -> PersonResult:
        return await mutate(
            info,
            lambda: info.context.run(people.deactivate_person, person_id=id, expected_version=expected_version),
            lambda p: Person.of(p, info.context.actor),
        )

    @strawberry.mutation(description=rules_of(people.update_my_consent))
    async def update_my_consent(
        self,
        info: Info,
        attributes: Annotated[
            list[AttributeInput] | None,
            strawberry.argument(
                description="Replaces all your attributes (names up to 60, values up to 200 characters)."
            ),
        ] = None,
        matching_consent: bool | None = None,
    ) -> PersonResult:
        async def act() -> domain.Person:
            checks = Checks("")
            stated: dict[str, str] | Unset = LEFT_AS_IT_IS
            if attributes is not None:
                stated = {
                    checks.text(f"attributes[{i}].name", a.name, max_length=60): checks.text(
                        f"attributes[{i}].value", a.value, max_length=200
                    )
                    for i, a in enumerate(attributes)
                }
            checks.done()
            consent: bool | Unset = LEFT_AS_IT_IS if matching_consent is None else matching_consent
            return await info.context.run(people.update_my_consent, attributes=stated, matching_consent=consent)

        return await mutate(info, act, lambda p: Person.of(p, info.context.actor))

    @strawberry.mutation(description=rules_of(people.upsert_people))
    async def upsert_people(self, info: Info, records: list[PersonRecordInput]) -> UpsertResult:
        async def act() -> SyncOutcome:
            checks = Checks("")
            checks.items("records", records, min_items=1, max_items=5000)
            found = []
            for i, record in enumerate(records):
                names = (*_PERSON_FIELDS[:-3], "manager_external_id", "hire_date", "generation", "active")
                values = _directory_fields(checks, record, names, root=f"records[{i}].")
                found.append(PersonRecord(**values))
            checks.done()
            return await info.context.run(people.upsert_people, records=found)

        return await mutate(info, act, lambda o: build(UpsertOutcome, o))

    @strawberry.mutation(description=rules_of(skills.create_skill))
    async def create_skill(self, info: Info, input: SkillInput) -> SkillResult:
        async def act() -> skill_domain.Skill:
            checks = Checks()
            name = checks.text("name", input.name, min_length=1, max_length=120)
            description = checks.optional_text("description", input.description, max_length=2000)
            checks.done()
            category = skill_domain.SkillCategory(input.category.value)
            return await info.context.run(skills.create_skill, name=name, category=category, description=description)

        return await mutate(info, act, Skill.of)

    @strawberry.mutation(description=rules_of(calendar.create_feed))
    async def create_calendar_feed(self, info: Info) -> CalendarFeedResult:
        base = info.context.container.settings.public_url.rstrip("/")
        return await mutate(
            info,
            lambda: info.context.run(calendar.create_feed),
            lambda token: CalendarFeed(token=token, url=f"{base}/calendar/{token}.ics"),
        )

    @strawberry.mutation(description=rules_of(calendar.revoke_feed))
    async def revoke_calendar_feed(self, info: Info) -> CalendarFeedRevokedResult:
        return await mutate(
            info, lambda: info.context.run(calendar.revoke_feed), lambda _: CalendarFeedRevoked(revoked=True)
        )
