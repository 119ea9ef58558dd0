"""The field rules of inputs, with the bounds and the code REST answers for the same payload.

REST checks the shape of a body (lengths, ranges, patterns) before a use case runs and answers
``validation_failed`` with the field paths; the rules beyond shape live in the domain and answer
their own codes through both doors. This door checks the same shape with the same bounds, so a
client gets the same code for the same mistake whichever door it uses
(``tests/graphql/test_errors.py`` sends the same bad payloads through both). Text is stripped of
surrounding whitespace first, as REST does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from pydantic import EmailStr, TypeAdapter, ValidationError
from strawberry.types.unset import UnsetType

from app.domain.errors import DomainError, FieldProblem

T = TypeVar("T")

TURN_POLICY = re.compile(r"^(fixed|primary_with_exchange|alternate\(\d{1,2}\)|senior_first\(\d{1,2}\))$")
SLOT = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)-(am|pm)$")
_EMAIL: TypeAdapter[str] = TypeAdapter(EmailStr)


class Checks:
    """Collects every problem of one input, then refuses them all at once (as REST lists them all)."""

    def __init__(self, root: str = "input") -> None:
        self.root = root
        self.problems: list[FieldProblem] = []

    def _path(self, name: str) -> str:
        return f"{self.root}.{name}" if self.root else name

    def fail(self, name: str, message: str) -> None:
        self.problems.append(FieldProblem(path=self._path(name), message=message))

    def text(self, name: str, value: str, *, max_length: int, min_length: int = 0) -> str:
        stripped = value.strip()
        if len(stripped) < min_length:
            self.fail(name, f"must have at least {min_length} character(s)")
        elif len(stripped) > max_length:
            self.fail(name, f"must have at most {max_length} characters")
        return stripped

    def optional_text(self, name: str, value: str | None, *, max_length: int, min_length: int = 0) -> str | None:
        return None if value is None else self.text(name, value, max_length=max_length, min_length=min_length)

    def number(self, name: str, value: T, *, low: float | None = None, high: float | None = None) -> T:
        number = float(value)  # type: ignore[arg-type]
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = (
                f"between {low:g} and {high:g}"
                if low is not None and high is not None
                else (f"at least {low:g}" if low is not None else f"at most {high:g}")
            )
            self.fail(name, f"must be {bounds}")
        return value

    def items(self, name: str, values: Sequence[T], *, max_items: int, min_items: int = 0) -> list[T]:
        if len(values) < min_items:
            self.fail(name, f"must have at least {min_items} item(s)")
        elif len(values) > max_items:
            self.fail(name, f"must have at most {max_items} items")
        return list(values)

    def texts(
        self, name: str, values: Sequence[str], *, max_items: int, max_length: int, min_length: int = 0
    ) -> list[str]:
        self.items(name, values, max_items=max_items)
        return [
            self.text(f"{name}[{i}]", v, max_length=max_length, min_length=min_length) for i, v in enumerate(values)
        ]

    def pattern(self, name: str, value: str, pattern: re.Pattern[str], *, max_length: int, hint: str) -> str:
        value = self.text(name, value, max_length=max_length)
        if not pattern.match(value):
            self.fail(name, f"must be {hint}")
        return value

    def turn_policy(self, name: str, value: str) -> str:
        return self.pattern(
            name,
            value,
            TURN_POLICY,
            max_length=60,
            hint="`fixed`, `alternate(N)`, `senior_first(K)` or `primary_with_exchange`",
        )

    def email(self, name: str, value: str) -> str:
        try:
            return _EMAIL.validate_python(value.strip())
        except ValidationError as error:
            self.fail(name, error.errors()[0]["msg"])
            return value

    def aware(self, name: str, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail(name, "must carry a timezone offset")
        return value

    def not_null(self, name: str, value: Any) -> None:
        """An update may leave a field out, but null clears only the fields that may be empty."""
        if value is None:
            self.fail(name, "cannot be null")

    def done(self) -> None:
        if self.problems:
            raise DomainError(
                code="validation_failed", detail="The request is not valid.", kind="invalid", errors=self.problems
            )


def camel(name: str) -> str:
    """A field's name as clients spell it (``cycle_start`` → ``cycleStart``)."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def given(value: T | UnsetType) -> bool:
    """Whether an update's field was sent (``null`` included)."""
    return not isinstance(value, UnsetType)
