"""Relay-style cursor connections over the same keyset pages as REST's lists.

A cursor is the id of an item, encoded exactly as REST encodes ``next_cursor``: REST's
``next_cursor`` works as ``after`` here and ``pageInfo.endCursor`` works as REST's ``cursor``.
Pages go forward only (``first``/``after``), in the same stable order as REST (oldest first).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar
from uuid import UUID

import strawberry

from app.domain.errors import DomainError, FieldProblem
from app.domain.ports import Page, PageRequest

Node = TypeVar("Node")
Item = TypeVar("Item")

DEFAULT_PAGE = 50
MAX_PAGE = 200


def encode_cursor(item_id: UUID) -> str:
    return base64.urlsafe_b64encode(item_id.bytes).decode().rstrip("=")


def _not_a_cursor() -> DomainError:
    return DomainError(
        code="cursor_invalid",
        detail="The cursor is not one this API gave out.",
        kind="invalid",
        errors=[FieldProblem(path="after", message="not a cursor of this API")],
    )


def decode_cursor(cursor: str) -> UUID:
    if len(cursor) > 64:
        raise _not_a_cursor()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return UUID(bytes=raw)
    except (binascii.Error, ValueError) as error:
        raise _not_a_cursor() from error


def page_request(first: int | None, after: str | None) -> PageRequest:
    """``first`` (1–200, default 50) items after the ``after`` cursor — the bounds of REST's ``limit``."""
    limit = DEFAULT_PAGE if first is None else first
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(
            code="validation_failed",
            detail=f"`first` must be between 1 and {MAX_PAGE}.",
            kind="invalid",
            errors=[FieldProblem(path="first", message=f"must be between 1 and {MAX_PAGE}")],
        )
    return PageRequest(limit=limit, after=decode_cursor(after) if after else None)


@strawberry.type(description="Where a page ends and whether another follows (forward paging only).")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; the same value as REST's `next_cursor`."
    )


@strawberry.type
class Edge(Generic[Node]):
    cursor: str
    node: Node


@strawberry.type
class Connection(Generic[Node]):
    edges: list[Edge[Node]]
    page_info: PageInfo

    @strawberry.field(description="The page's items, without their cursors.")
    def nodes(self) -> list[Node]:
        return [edge.node for edge in self.edges]

    @classmethod
    def of(cls, page: Page[Item], build: Callable[[Item], Node], key: Callable[[Item], UUID]) -> Connection[Node]:
        return cls.of_items(page.items, page.next_after, build, key)

    @classmethod
    def of_items(
        cls,
        items: Sequence[Item],
        next_after: UUID | None,
        build: Callable[[Item], Node],
        key: Callable[[Item], UUID],
    ) -> Connection[Node]:
        edges = [Edge(cursor=encode_cursor(key(item)), node=build(item)) for item in items]
        end = encode_cursor(next_after) if next_after is not None else (edges[-1].cursor if edges else None)
        return cls(edges=edges, page_info=PageInfo(has_next_page=next_after is not None, end_cursor=end))


@strawberry.type(
    description="A page of items whose positions are not ids (a run's proposals): page on with `pageInfo`."
)
class Slice(Generic[Node]):
    nodes: list[Node]
    page_info: PageInfo

    @classmethod
    def of(cls, page: Page[Item], build: Callable[[Item], Node]) -> Slice[Node]:
        end = None if page.next_after is None else encode_cursor(page.next_after)
        return cls(
            nodes=[build(item) for item in page.items],
            page_info=PageInfo(has_next_page=end is not None, end_cursor=end),
        )
