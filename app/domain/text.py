"""Text the service keeps: any Unicode except NUL (U+0000).

PostgreSQL cannot store a NUL in text and SQLite silently keeps it (so the same request would
behave differently per database); no name, note or filter needs one. One rule, one code
(``text_contains_nul``), whatever door the text comes through: a body field, a path or a query.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.errors import DomainError, FieldProblem

NUL = "\x00"


def nul_paths(value: object, path: str = "") -> Iterable[str]:
    """The paths of the strings (values and keys) inside a JSON-like value that contain a NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and NUL in key:
                yield here
            yield from nul_paths(item, here)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from nul_paths(item, f"{path}[{index}]")


def nul_refusal(places: Iterable[str]) -> DomainError:
    """The refusal of text with a NUL, naming every place it was found."""
    return DomainError(
        code="text_contains_nul",
        detail="Text cannot contain the NUL character (U+0000).",
        kind="invalid",
        errors=[FieldProblem(path=p, message="contains the NUL character (U+0000)") for p in places],
    )


def refuse_nul(value: object, path: str) -> None:
    """Refuse a value that carries a NUL anywhere, naming every place it was found."""
    found = list(nul_paths(value, path))
    if found:
        raise nul_refusal(found)
