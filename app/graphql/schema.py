"""The GraphQL schema: the query, mutation and subscription roots, with the limits, the request
transaction, persisted queries and error masking, configured from the settings."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
import structlog
from graphql import ASTValidationRule, GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaskErrors, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from app.adapters.persistence.db import is_unavailable
from app.domain.errors import DomainError
from app.graphql.errors import query_error
from app.graphql.limits import cost_rule
from app.graphql.mutations.access import AccessMutations
from app.graphql.mutations.enrollments import EnrollmentMutations
from app.graphql.mutations.feedback import FeedbackMutations
from app.graphql.mutations.jobs import JobMutations
from app.graphql.mutations.matching import MatchingMutations
from app.graphql.mutations.meetings import MeetingMutations
from app.graphql.mutations.people import PeopleMutations
from app.graphql.mutations.programs import ProgramMutations
from app.graphql.mutations.relationships import RelationshipMutations
from app.graphql.mutations.webhooks import WebhookMutations
from app.graphql.persisted import PersistedQueryStore, persisted_queries
from app.graphql.queries import Query
from app.graphql.scopes import guard_root_fields
from app.graphql.subscriptions import Subscription
from app.graphql.text_guard import RefuseNul
from app.graphql.transaction import UNAVAILABLE, RequestTransaction
from app.settings import Settings

log = structlog.get_logger("turnabout.graphql")
DOCUMENT_CACHE = 1000  # distinct documents remembered (bounded: query texts come from anyone)


@strawberry.type(description="Every use case REST offers, as a mutation whose result is the change or a typed problem.")
class Mutation(
    ProgramMutations,
    AccessMutations,
    EnrollmentMutations,
    MatchingMutations,
    RelationshipMutations,
    MeetingMutations,
    PeopleMutations,
    FeedbackMutations,
    JobMutations,
    WebhookMutations,
):
    pass


class Failures(MaskErrors):
    """Never an internal message. A broken rule that escaped a resolver (e.g. a page size checked
    before the use case ran) carries its code like any other refusal; a failure that is not a rule (a
    bug, an outage) reaches the client as a short message with a code, and is logged in full."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._unexpected, error_message="Unexpected failure; nothing was changed.")

    @staticmethod
    def _unexpected(error: GraphQLError) -> bool:
        return error.original_error is not None and not isinstance(error.original_error, GraphQLError)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, DomainError):
            refusal = query_error(original)
            message, extensions = refusal.message, refusal.extensions
        elif original is not None and is_unavailable(original):
            message, extensions = UNAVAILABLE.message, UNAVAILABLE.extensions
        else:
            message, extensions = self.error_message, {"code": "internal_error"}
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Log what is a bug or an outage, in full; refusals and invalid queries are answers, not
        failures of the service."""
        for error in errors:
            original = error.original_error
            if original is not None and not isinstance(original, GraphQLError | DomainError):
                log.error("graphql_failure", path=error.path, exc_info=original)


def build_schema(settings: Settings) -> strawberry.Schema:
    # The rules are made once per schema: the validation cache keys on them, so every request with
    # the same document reuses the first one's verdict.
    rules: list[type[ASTValidationRule]] = [
        depth_rule(settings.graphql_max_depth, None),
        alias_rule(settings.graphql_max_aliases),
        cost_rule(settings.graphql_max_cost),
    ]
    if not settings.graphql_introspection_enabled:
        rules.append(NoSchemaIntrospectionCustomRule)
    store = PersistedQueryStore(
        settings.graphql_persisted_queries, registry=settings.graphql_persisted_queries_registry
    )
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        persisted_queries(store),
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: AddValidationRules(rules),
        # A front end sends the same few documents again and again: parse and validate each once.
        lambda: ParserCache(maxsize=DOCUMENT_CACHE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE),
        RefuseNul,
        RequestTransaction,
        Failures,
    ]
    guard_root_fields(Query, Mutation)
    return Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )


def schema_text(settings: Settings | None = None) -> str:
    """The schema in SDL, as exported to ``openapi/schema.graphql``."""
    return build_schema(settings or Settings()).as_str() + "\n"
