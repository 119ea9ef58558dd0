"""What every resolver of one GraphQL request shares: the caller, the request's one transaction, the
DataLoaders, and the one door through which resolvers run use cases.

Resolvers of sibling fields run concurrently, but a database session serves one statement at a time:
every use case and every DataLoader batch therefore runs under the request's lock, one after the
other, on the one session of the request's transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from app.adapters.persistence.transaction import RequestTransaction
from app.bootstrap import Container
from app.domain.actors import Actor
from app.domain.errors import DomainError
from app.domain.ports import UnitOfWork

if TYPE_CHECKING:
    from app.graphql.loaders import Loaders

P = ParamSpec("P")
T = TypeVar("T")

UseCase = Callable[Concatenate[UnitOfWork, Actor, P], Awaitable[T]]


class Context(BaseContext):
    def __init__(self, container: Container, actor: Actor | None) -> None:
        super().__init__()
        from app.graphql.loaders import Loaders  # the loaders read through this context

        self.container = container
        self._actor = actor
        self.refusal: DomainError | None = None  # why the caller was not authenticated, if they were not
        self.transaction: RequestTransaction | None = None
        self.lock = asyncio.Lock()
        self.loaders: Loaders = Loaders(self)

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            raise DomainError(code="unauthenticated", detail="Send a bearer token.", kind="unauthorized")
        return self._actor

    @property
    def caller(self) -> Actor | None:
        """The caller if authenticated (the root-field scope check runs before anything else)."""
        return self._actor

    def authenticated_as(self, actor: Actor) -> None:
        """A subscription's caller, known once its connection was initialised."""
        self._actor = actor

    def uow(self) -> UnitOfWork:
        """A unit of work in the request's transaction (a subscription's short reads own theirs)."""
        if self.transaction is not None:
            return self.container.uow(transaction=self.transaction)
        return self.container.uow(read_only=True)

    async def run(self, use_case: UseCase[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a use case of ``app.services`` for the caller — the very function REST calls."""
        async with self.lock:
            return await use_case(self.uow(), self.actor, *args, **kwargs)

    async def read(self, read: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """A batch read through the read side (DataLoaders): visibility is applied in SQL."""
        async with self.lock:
            uow = self.uow()
            async with uow:
                return await read(uow)

    def changed(self) -> None:
        """After a mutation: what the loaders remember may be stale now."""
        self.loaders.clear()


Info = StrawberryInfo[Context, Any]
