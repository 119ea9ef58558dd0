"""Numeric bounds as domain rules: one definition, one error code, whichever door a value came
through (REST, GraphQL, the CLI). Request schemas show these bounds in the API description and
leave the check to the domain, so a breach always answers with the rule's own code."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.errors import invalid


@dataclass(frozen=True)
class Bound:
    """An inclusive range (``None``: open on that side) and the error that refuses a value outside."""

    minimum: int | None
    maximum: int | None
    code: str
    detail: str

    def check(self, value: float, *, path: str) -> None:
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise invalid(self.code, self.detail, path=path)
