"""Per-request DataLoaders over the read side's batch reads: a nested field costs one query for the
whole response, however many parents ask for it. Visibility is applied by the read side in SQL, so
a loader answers ``None`` (or nothing) for what the caller may not see."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.domain.ports import UnitOfWork
from app.domain.relationships import Relationship
from app.domain.role_turns import MeetingEntry
from app.services.pairs import RelationshipView
from app.services.turns import TurnsView, turns_of

if TYPE_CHECKING:
    from app.graphql.context import Context

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Loaders:
    def __init__(self, context: Context) -> None:
        self._context = context
        self._made: list[DataLoader[object, object]] = []
        self.person = self._by_id(lambda uow, ids: uow.queries.people_by_ids(context.actor, ids))
        self.program = self._by_id(lambda uow, ids: uow.queries.programs_by_ids(ids))
        self.enrollment = self._by_id(lambda uow, ids: uow.queries.enrollments_by_ids(context.actor, ids))
        self.skill = self._by_id(lambda uow, ids: uow.queries.skills_by_ids(ids))
        self.relationship = self._by_id(self._relationship_views)
        self.meetings = self._lists(lambda uow, ids: uow.queries.meetings_of(context.actor, ids))
        self.goals = self._lists(lambda uow, ids: uow.queries.goals_of(context.actor, ids))
        self.turns: DataLoader[Relationship, TurnsView] = self._keep(
            DataLoader(self._turns, cache_key_fn=lambda relationship: relationship.id)
        )

    def clear(self) -> None:
        for loader in self._made:
            loader.clear_all()

    def _keep(self, loader: DataLoader[K, V]) -> DataLoader[K, V]:
        self._made.append(loader)  # type: ignore[arg-type]
        return loader

    def _by_id(
        self, read: Callable[[UnitOfWork, Sequence[UUID]], Awaitable[dict[UUID, V]]]
    ) -> DataLoader[UUID, V | None]:
        async def load(ids: list[UUID]) -> list[V | None]:
            found = await self._context.read(lambda uow: read(uow, ids))
            return [found.get(key) for key in ids]

        return self._keep(DataLoader(load))

    def _lists(
        self, read: Callable[[UnitOfWork, Sequence[UUID]], Awaitable[dict[UUID, list[V]]]]
    ) -> DataLoader[UUID, list[V]]:
        async def load(ids: list[UUID]) -> list[list[V]]:
            found = await self._context.read(lambda uow: read(uow, ids))
            return [found.get(key, []) for key in ids]

        return self._keep(DataLoader(load))

    async def _relationship_views(self, uow: UnitOfWork, ids: Sequence[UUID]) -> dict[UUID, RelationshipView]:
        """Relationships with their health as of now (judged like ``relationships.get_relationship``)."""
        found = await uow.queries.relationships_by_ids(self._context.actor, ids)
        held = await uow.queries.held_times(list(found))
        now = uow.clock.now()
        return {rid: RelationshipView(r, r.health(held[rid], now)) for rid, r in found.items()}

    async def _turns(self, relationships: list[Relationship]) -> list[TurnsView]:
        """The turn state of pairs already found visible (``turns.get_turns`` for many at once)."""

        async def read(uow: UnitOfWork) -> dict[UUID, list[MeetingEntry]]:
            return await uow.queries.meeting_entries_of([r.id for r in relationships])

        entries = await self._context.read(read)
        return [turns_of(r, entries[r.id]) for r in relationships]
