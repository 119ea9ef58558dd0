"""Persisted queries, as an option for front ends (Apollo's automatic persisted queries protocol).

A client sends ``extensions.persistedQuery.sha256Hash`` instead of the query text; the first time the
service answers ``PERSISTED_QUERY_NOT_FOUND`` and the client sends hash and text together, which are
checked and remembered. Modes (``TURNABOUT_GRAPHQL_PERSISTED_QUERIES``):

- ``automatic`` (default): the protocol above, any query also accepted in full;
- ``registry``: only the queries of a registry file (``{"<sha256>": "<query>"}``, e.g. the
  ``persisted-documents.json`` GraphQL Code Generator writes for a front end) are executed, by hash
  or by identical text — an allow-list for production;
- ``off``: queries are sent in full; a persisted-query hash is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from cachetools import LRUCache
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

Mode = Literal["off", "automatic", "registry"]


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueryStore:
    """Queries by their SHA-256: a bounded memory of what clients sent, or a fixed registry."""

    def __init__(self, mode: Mode, *, registry: Path | None = None, size: int = 2000) -> None:
        self.mode = mode
        self._known: LRUCache[str, str] = LRUCache(maxsize=size)
        self._registry: dict[str, str] = {}
        if mode == "registry":
            if registry is None:
                raise ValueError("the persisted-query registry mode needs a registry file")
            entries = json.loads(registry.read_text())
            for digest, query in entries.items():
                if sha256(query) != digest:
                    raise ValueError(f"registry entry {digest[:12]}… is not the SHA-256 of its query")
            self._registry = dict(entries)

    def resolve(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The query to run, or a GraphQL error that tells the client what to send instead."""
        persisted = (extensions or {}).get("persistedQuery")
        digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if self.mode == "off":
            if digest is not None:
                raise _error("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
            return query
        if self.mode == "registry":
            if digest is None and query is not None:
                digest = sha256(query)
            if digest is None or digest not in self._registry:
                raise _error(
                    "Only the registered queries of this service's clients run here.", "persisted_query_required"
                )
            return self._registry[digest]
        if digest is None:
            return query
        if not isinstance(digest, str) or persisted.get("version", 1) != 1:  # type: ignore[union-attr]
            raise _error("Unsupported persisted query version or hash.", "PERSISTED_QUERY_INVALID")
        if query is None:
            known = self._known.get(digest)
            if known is None:
                raise _error("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
            return known
        if sha256(query) != digest:
            raise _error("provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH")
        self._known[digest] = query
        return query


def persisted_queries(store: PersistedQueryStore) -> type[SchemaExtension]:
    class PersistedQueries(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            context = self.execution_context
            context.query = store.resolve(context.query, context.operation_extensions)
            yield

    return PersistedQueries
