from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import EmailStr, Field, StrictBool

from app.api.bounds import at_most, within
from app.api.schemas.base import Input, Output, PatchInput
from app.domain.people import ATTRIBUTE_NAME_LENGTH, ATTRIBUTE_VALUE_LENGTH, SENIORITY, Person

Name = Annotated[str, Field(min_length=1, max_length=200)]
Optional200 = Annotated[str | None, Field(default=None, max_length=200)]
Seniority = Annotated[int, within(SENIORITY), Field(description="Grade in the organisation; higher is more senior.")]


class PersonCreate(Input):
    email: EmailStr
    given_name: Name
    family_name: Name
    external_id: Annotated[str | None, Field(default=None, min_length=1, max_length=200)] = None
    department: Optional200 = None
    location: Optional200 = None
    job_title: Optional200 = None
    seniority: Seniority = 1
    manager_id: UUID | None = None
    hire_date: date | None = None
    generation: Annotated[str | None, Field(default=None, max_length=40)] = None

    model_config = Input.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "email": "amara.osei@example.com",
                    "given_name": "Amara",
                    "family_name": "Osei",
                    "external_id": "E-10442",
                    "department": "Marketing",
                    "location": "Leeds",
                    "job_title": "Social Media Associate",
                    "seniority": 2,
                }
            ]
        }
    }


class PersonUpdate(PatchInput):
    NULLABLE = frozenset(
        {"external_id", "department", "location", "job_title", "manager_id", "hire_date", "generation"}
    )

    email: EmailStr | None = None
    given_name: Name | None = None
    family_name: Name | None = None
    external_id: Annotated[str | None, Field(default=None, min_length=1, max_length=200)] = None
    department: Optional200 = None
    location: Optional200 = None
    job_title: Optional200 = None
    seniority: Seniority | None = None
    manager_id: UUID | None = None
    hire_date: date | None = None
    generation: Annotated[str | None, Field(default=None, max_length=40)] = None


class PersonRecordIn(Input):
    external_id: Annotated[str, Field(min_length=1, max_length=200)]
    email: EmailStr
    given_name: Name
    family_name: Name
    department: Optional200 = None
    location: Optional200 = None
    job_title: Optional200 = None
    seniority: Seniority = 1
    manager_external_id: Annotated[str | None, Field(default=None, max_length=200)] = None
    hire_date: date | None = None
    generation: Annotated[str | None, Field(default=None, max_length=40)] = None
    active: StrictBool = True


class PeopleUpsert(Input):
    people: Annotated[list[PersonRecordIn], Field(min_length=1, max_length=5000)]


class UpsertResult(Output):
    created: list[UUID]
    updated: list[UUID]
    unchanged: list[UUID]
    deactivated: list[UUID]


class ConsentUpdate(Input):
    attributes: (
        dict[Annotated[str, at_most(ATTRIBUTE_NAME_LENGTH)], Annotated[str, at_most(ATTRIBUTE_VALUE_LENGTH)]] | None
    ) = None
    matching_consent: StrictBool | None = None


class PersonOut(Output):
    id: UUID
    external_id: str | None
    email: str
    given_name: str
    family_name: str
    display_name: str
    department: str | None
    location: str | None
    job_title: str | None
    seniority: int
    manager_id: UUID | None
    hire_date: date | None
    generation: str | None
    active: bool
    deactivated_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    attributes: dict[str, str] | None = Field(
        default=None, description="Self-identified attributes; shown only to the person themself."
    )
    matching_consent: bool | None = Field(default=None, description="Shown only to the person themself.")

    @classmethod
    def of(cls, person: Person, *, private: bool) -> PersonOut:
        out = cls.model_validate(person)
        if not private:
            out.attributes = None
            out.matching_consent = None
        return out


class PersonList(Output):
    items: list[PersonOut]
    next_cursor: str | None
