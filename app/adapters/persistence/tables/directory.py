"""People, their identities at the IdP, and the skill catalogue."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, func
from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import fk, json_column, utc_column


class PersonRow(SQLModel, table=True):
    __tablename__ = "people"
    __table_args__ = (Index("ix_people_department_location", "department", "location"),)

    id: UUID = Field(primary_key=True)
    external_id: str | None = Field(default=None, max_length=200, unique=True)
    email: str = Field(max_length=320, unique=True)
    given_name: str = Field(max_length=200)
    family_name: str = Field(max_length=200)
    department: str | None = Field(default=None, max_length=200)
    location: str | None = Field(default=None, max_length=200, index=True)
    job_title: str | None = Field(default=None, max_length=200)
    seniority: int = 1
    manager_id: UUID | None = fk("people.id", nullable=True, ondelete="SET NULL")
    hire_date: date | None = None
    generation: str | None = Field(default=None, max_length=40)
    attributes: dict[str, str] = json_column(dict)
    matching_consent: bool = False
    active: bool = Field(default=True, index=True)
    deactivated_at: datetime | None = utc_column(nullable=True)
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
    version: int = 1


class IdentityRow(SQLModel, table=True):
    """Links an IdP identity (issuer + subject) to a person, made on first login."""

    __tablename__ = "identities"

    issuer: str = Field(primary_key=True, max_length=500)
    subject: str = Field(primary_key=True, max_length=255)
    person_id: UUID = fk("people.id", ondelete="CASCADE")
    created_at: datetime = utc_column()


class SkillRow(SQLModel, table=True):
    __tablename__ = "skills"
    __table_args__ = (Index("uq_skills_name_lower", func.lower("name"), unique=True),)

    id: UUID = Field(primary_key=True)
    name: str = Field(max_length=120)
    category: str = Field(max_length=40, index=True)
    description: str | None = Field(default=None, max_length=2000)
    created_at: datetime = utc_column()
    version: int = 1
