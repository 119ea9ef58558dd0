"""How resolvers reach the use cases: reads through the services (the rules of who may see what
stay in one place) and nested fields through the request's DataLoaders."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from app.domain.errors import DomainError
from app.graphql.context import Info, P, UseCase
from app.graphql.errors import query_error

if TYPE_CHECKING:
    from app.graphql.types.people import Person

T = TypeVar("T")


async def query(info: Info, use_case: UseCase[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """A read use case; a refusal becomes a GraphQL error carrying REST's problem code."""
    try:
        return await info.context.run(use_case, *args, **kwargs)
    except DomainError as error:
        raise query_error(error) from error


async def one(info: Info, use_case: UseCase[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
    """A single read: ``null`` when it does not exist or is hidden from the caller (REST's 404)."""
    try:
        return await info.context.run(use_case, *args, **kwargs)
    except DomainError as error:
        if error.kind == "not_found":
            return None
        raise query_error(error) from error


async def people_of(info: Info, ids: Sequence[UUID]) -> list[Person | None]:
    """People by id, ``None`` for those the caller may not see (one query for the whole request)."""
    from app.graphql.types.people import Person

    found = await info.context.loaders.person.load_many(list(ids))
    return [None if person is None else Person.of(person, info.context.actor) for person in found]


def domain_value(member: Enum) -> Any:
    """A GraphQL enum member as the domain's value (the enums mirror the domain's sets exactly)."""
    return member.value


def domain_values(members: Sequence[Enum] | None) -> frozenset[Any]:
    return frozenset(member.value for member in members or ())
