"""One transaction per GraphQL operation, opened once the operation is known to be valid.

A query runs read-only (on SQLite it never takes the write lock); a mutation's fields each run their
use case in a savepoint of the one transaction, which commits once, after the whole response is
ready. If the commit fails the client gets an error and no data — never a success for a change that
was not saved. A subscription opens no request transaction: each of its reads is short and its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.adapters.persistence.db import is_unavailable
from app.graphql.context import Context

log = structlog.get_logger("turnabout.graphql")

UNAVAILABLE = GraphQLError(
    "The database cannot be reached right now; nothing was changed. Retry shortly.",
    extensions={"code": "database_unavailable"},
)


class RequestTransaction(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        operation = self.execution_context.operation_type
        if not isinstance(context, Context) or operation is OperationType.SUBSCRIPTION:
            yield
            return
        container = context.container
        try:
            async with container.transaction(read_only=operation is OperationType.QUERY) as transaction:
                context.transaction = transaction
                try:
                    yield
                    await transaction.complete()
                finally:
                    context.transaction = None
        except Exception as error:
            if is_unavailable(error):
                if container.database.mark_down():
                    log.warning("database_unavailable", error=type(getattr(error, "orig", None) or error).__name__)
                raise UNAVAILABLE from error
            raise
        if transaction.used and (outage := container.database.mark_up()) is not None:
            log.warning("database_recovered", after_seconds=round(outage, 1))
