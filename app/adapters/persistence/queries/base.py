"""What every part of the read side shares: the session, and pages in id order."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.persistence.repositories.base import page_of, paginate
from app.domain.ports import Page, PageRequest

T = TypeVar("T")


class Reads:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rows(self, stmt: Select[Any]) -> Sequence[Mapping[str, Any]]:
        rows: Sequence[Mapping[str, Any]] = (await self.session.execute(stmt)).mappings().all()
        return rows

    async def page(
        self, stmt: Select[Any], id_column: Any, page: PageRequest, build: Callable[[Mapping[str, Any]], T]
    ) -> tuple[list[T], Page[T]]:
        """One page in id order (keyset); the built items are returned too, for loading children."""
        items = [build(row) for row in await self.rows(paginate(stmt, id_column, page))]
        result = page_of(items, page, key=lambda item: getattr(item, "id"))  # noqa: B009
        return result.items, result


def chunks(ids: Sequence[UUID], size: int = 500) -> list[list[UUID]]:
    """IN lists kept well under SQLite's variable limit."""
    unique = list(dict.fromkeys(ids))
    return [unique[start : start + size] for start in range(0, len(unique), size)]
