"""The GraphQL schema: the query, mutation and subscription roots, with the limits, the request
transaction, persisted queries and error masking, configured from the settings."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import ASTValidationRule, GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.schema.config import StrawberryConfig

from app.adapters.persistence.db import is_unavailable
from app.graphql.limits import cost_rule
from app.graphql.mutations.enrollments import EnrollmentMutations
from app.graphql.mutations.matching import MatchingMutations
from app.graphql.mutations.meetings import MeetingMutations
from app.graphql.mutations.people import PeopleMutations
from app.graphql.mutations.programs import ProgramMutations
from app.graphql.mutations.relationships import RelationshipMutations
from app.graphql.persisted import PersistedQueryStore, persisted_queries
from app.graphql.queries import Query
from app.graphql.subscriptions import Subscription
from app.graphql.transaction import UNAVAILABLE, RequestTransaction
from app.settings import Settings


@strawberry.type(description="Every use case REST offers, as a mutation whose result is the change or a typed problem.")
class Mutation(
    ProgramMutations,
    EnrollmentMutations,
    MatchingMutations,
    RelationshipMutations,
    MeetingMutations,
    PeopleMutations,
):
    pass


class Failures(MaskErrors):
    """Never an internal message: a failure that is not a GraphQL error (a bug, an outage) reaches
    the client as a short message with a code; the full error is logged by the schema."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._unexpected, error_message="Unexpected failure; nothing was changed.")

    @staticmethod
    def _unexpected(error: GraphQLError) -> bool:
        return error.original_error is not None and not isinstance(error.original_error, GraphQLError)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        unavailable = error.original_error is not None and is_unavailable(error.original_error)
        return GraphQLError(
            message=UNAVAILABLE.message if unavailable else self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "database_unavailable" if unavailable else "internal_error"},
        )


def build_schema(settings: Settings) -> strawberry.Schema:
    rules: list[type[ASTValidationRule]] = [cost_rule(settings.graphql_max_cost)]
    if not settings.graphql_introspection_enabled:
        rules.append(NoSchemaIntrospectionCustomRule)
    store = PersistedQueryStore(
        settings.graphql_persisted_queries, registry=settings.graphql_persisted_queries_registry
    )
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        persisted_queries(store),
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: QueryDepthLimiter(max_depth=settings.graphql_max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
        lambda: AddValidationRules(rules),
        RequestTransaction,
        Failures,
    ]
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )


def schema_text(settings: Settings | None = None) -> str:
    """The schema in SDL, as exported to ``openapi/schema.graphql``."""
    return build_schema(settings or Settings()).as_str() + "\n"
