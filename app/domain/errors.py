"""One error hierarchy for every rule the domain enforces.

Each error has a stable ``code`` (part of the public contract: REST problem+json and GraphQL error
unions carry it) and a ``kind`` that the transports map to a status: ``not_found`` → 404,
``conflict`` → 409, ``forbidden`` → 403, ``invalid`` → 422 (a value that is well-formed but breaks a
domain rule about its shape, e.g. an objective target below zero), ``precondition`` → 412.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ErrorKind = Literal["not_found", "conflict", "forbidden", "invalid", "precondition", "unauthorized"]


@dataclass(frozen=True)
class FieldProblem:
    """One field that failed validation: a path into the payload and a message."""

    path: str
    message: str


@dataclass
class DomainError(Exception):
    """A broken rule: ``code`` is stable, ``detail`` is for humans."""

    code: str
    detail: str
    kind: ErrorKind = "conflict"
    errors: list[FieldProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.detail)

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"


def not_found(what: str, ident: object) -> DomainError:
    return DomainError(code=f"{what}_not_found", detail=f"No {what.replace('_', ' ')} {ident}.", kind="not_found")


def forbidden(code: str, detail: str) -> DomainError:
    return DomainError(code=code, detail=detail, kind="forbidden")


def conflict(code: str, detail: str) -> DomainError:
    return DomainError(code=code, detail=detail, kind="conflict")


def invalid(code: str, detail: str, *, path: str | None = None) -> DomainError:
    problems = [FieldProblem(path=path, message=detail)] if path else []
    return DomainError(code=code, detail=detail, kind="invalid", errors=problems)
