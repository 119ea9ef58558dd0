"""Tables kept one module per router (``operation_problems``, ``access``): each module of such a
package holds its router's operations in one dict, and the package merges them into one table."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from types import ModuleType
from typing import Any


def router_modules(package: str, path: Iterable[str], *, besides: frozenset[str] = frozenset()) -> list[ModuleType]:
    """Every module of ``package`` (``path`` is its ``__path__``) but those named in ``besides``,
    by name."""
    names = sorted(info.name for info in pkgutil.iter_modules(path) if info.name not in besides)
    return [importlib.import_module(f"{package}.{name}") for name in names]


def merge_tables(modules: Iterable[ModuleType], attribute: str) -> dict[str, Any]:
    """The modules' ``attribute`` dicts as one; an operation listed in two modules is refused."""
    merged: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for module in modules:
        table: dict[str, Any] = getattr(module, attribute)
        for operation, value in table.items():
            if operation in merged:
                raise ValueError(f"{operation} is listed in both {owner[operation]} and {module.__name__}")
            merged[operation] = value
            owner[operation] = module.__name__
    return merged
