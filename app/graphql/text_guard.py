"""NUL in any text a GraphQL request carries: refused before anything runs, as REST refuses it.

The domain's rule (``app.domain.text``): no text the service keeps or filters by may contain
U+0000 (PostgreSQL cannot store it, SQLite would). REST applies it to every body, path and query
string; this door applies it to every variable and every string literal of the document, before
execution, so a mutation never stores one and a filter never reaches the database with one. The
refusal is a GraphQL error carrying REST's code, ``text_contains_nul``, and the places it was found.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import DocumentNode, StringValueNode, Visitor, visit
from strawberry.extensions.base_extension import SchemaExtension

from app.domain.text import NUL, nul_paths, nul_refusal
from app.graphql.errors import query_error


class _Literals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        if NUL in node.value:
            where = node.loc.source.get_location(node.loc.start) if node.loc else None
            self.found.append(f"query (line {where.line}, column {where.column})" if where else "query")


def _literals_with_nul(document: DocumentNode | None) -> list[str]:
    if document is None:
        return []
    literals = _Literals()
    visit(document, literals)
    return literals.found


class RefuseNul(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        places = list(nul_paths(context.variables or {}, "variables")) + _literals_with_nul(context.graphql_document)
        if places:
            raise query_error(nul_refusal(places))
        yield
