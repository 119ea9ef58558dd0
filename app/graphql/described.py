"""Descriptions from the same docstrings REST puts in ``/docs``: a use case's rules, as bullets."""

from __future__ import annotations

import inspect


def rules_of(use_case: object, *, then: str = "") -> str | None:
    """The use case's docstring, dedented (and ``then`` appended), as a field's description."""
    doc = inspect.getdoc(use_case)
    if doc is None:
        return then or None
    return doc + (f"\n\n{then}" if then else "")
