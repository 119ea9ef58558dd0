"""Errors as data: a broken rule is a typed member of the mutation's result union, carrying the very
``code`` REST puts in its problem document (``stale_version``, ``illegal_program_transition``, …).

One ``DomainError`` kind, one GraphQL type: ``not_found`` → ``NotFound``, ``forbidden`` →
``Forbidden``, ``invalid`` → ``Invalid`` (with field paths), ``precondition`` → ``StaleVersion``,
``conflict`` → ``IllegalTransition`` for a move a lifecycle does not allow
(``illegal_*_transition``), else ``Conflict``. Queries
answer ``null`` for something absent or hidden, and a GraphQL error with ``extensions.code`` for the
rest — the same codes again.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError

from app.domain.errors import DomainError


@strawberry.interface(description="A rule the change broke; nothing was changed. `code` is REST's problem code.")
class Problem:
    code: str = strawberry.field(description="Stable machine code, the same as REST's problem `code`.")
    message: str = strawberry.field(description="For humans; may change wording.")


@strawberry.type(description="No such thing, or the caller may not know it exists.")
class NotFound(Problem):
    pass


@strawberry.type(description="The caller may not do this.")
class Forbidden(Problem):
    pass


@strawberry.type(description="The expected version is stale: reload and try again.")
class StaleVersion(Problem):
    pass


@strawberry.type(description="The thing is not in a state that allows this move.")
class IllegalTransition(Problem):
    pass


@strawberry.type(description="A business rule refused the change.")
class Conflict(Problem):
    pass


@strawberry.type(description="One input field and what is wrong with it.")
class FieldProblem:
    path: str = strawberry.field(description="Where in the input, e.g. `input.cycleEnd` or `skills_offered[0]`.")
    message: str


@strawberry.type(description="The input breaks a field rule; `fields` lists which.")
class Invalid(Problem):
    fields: list[FieldProblem]


AnyProblem = NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid


def problem_of(error: DomainError) -> AnyProblem:
    """The typed error for a broken rule (authentication never reaches a mutation: it is checked
    before the request is read)."""
    if error.kind == "not_found":
        return NotFound(code=error.code, message=error.detail)
    if error.kind in ("forbidden", "unauthorized"):
        return Forbidden(code=error.code, message=error.detail)
    if error.kind == "precondition":
        return StaleVersion(code=error.code, message=error.detail)
    if error.kind == "invalid":
        fields = [FieldProblem(path=p.path, message=p.message) for p in error.errors]
        return Invalid(code=error.code, message=error.detail, fields=fields)
    if error.code.startswith("illegal_") and error.code.endswith("_transition"):
        # a move the lifecycle does not allow (``illegal_program_transition`` …): clients show it
        # differently from other business conflicts
        return IllegalTransition(code=error.code, message=error.detail)
    return Conflict(code=error.code, message=error.detail)


def query_error(error: DomainError) -> GraphQLError:
    """A refused read as a GraphQL error: the message for humans, the code for programs."""
    extensions: dict[str, Any] = {"code": error.code, "kind": error.kind}
    if error.errors:
        extensions["fields"] = [{"path": p.path, "message": p.message} for p in error.errors]
    return GraphQLError(error.detail, extensions=extensions)
