"""Shared metadata with a naming convention, so constraint names are stable across databases."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlmodel import Field, SQLModel

from app.adapters.persistence.types import JSONValue, UTCDateTime

metadata = SQLModel.metadata
metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_column(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_type=UTCDateTime, nullable=nullable, index=index)


def json_column(default_factory: Any = list) -> Any:
    return Field(sa_type=JSONValue, default_factory=default_factory, nullable=False)


def fk(target: str, *, nullable: bool = False, index: bool = True, ondelete: str | None = None) -> Any:
    if ondelete is None:
        return Field(foreign_key=target, nullable=nullable, index=index)
    return Field(foreign_key=target, nullable=nullable, index=index, ondelete=ondelete)  # type: ignore[call-overload]


__all__ = ["UUID", "Field", "SQLModel", "datetime", "fk", "json_column", "metadata", "utc_column"]
