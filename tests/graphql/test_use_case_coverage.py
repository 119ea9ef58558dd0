"""Both doors open onto every room: each use case of ``app.services`` (an ``async def f(uow, actor,
*, …)``) is called by at least one REST route and by at least one GraphQL field, query or mutation.
A new use case without its route or its field fails here."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import app.api.routes
import app.graphql
import app.services


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        yield importlib.import_module(info.name)


def use_cases() -> set[tuple[str, str]]:
    found = set()
    for module in _modules(app.services):
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.iscoroutinefunction(value) or value.__module__ != module.__name__:
                continue
            params = list(inspect.signature(value).parameters.values())
            if [p.name for p in params[:2]] == ["uow", "actor"] and all(
                p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[2:]
            ):
                found.add((module.__name__, name))
    return found


def called(body: list[ast.stmt], names: dict[str, Any]) -> set[tuple[str, str]]:
    """The use cases a function body refers to (``module_alias.function``), decorators left out."""
    found = set()
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                target = names.get(node.value.id)
                if inspect.ismodule(target) and target.__name__.startswith("app.services."):
                    found.add((target.__name__, node.attr))
    return found


def _bodies(tree: ast.AST) -> Iterator[list[ast.stmt]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.body


def calls_from(package: ModuleType) -> set[tuple[str, str]]:
    """Every use case the functions of a package call."""
    found = set()
    for module in _modules(package):
        tree = ast.parse(inspect.getsource(module))
        for body in _bodies(tree):
            found |= called(body, vars(module))
    return found


def rest_calls() -> set[tuple[str, str]]:
    return calls_from(app.api.routes)


def graphql_calls() -> set[tuple[str, str]]:
    return calls_from(app.graphql)


def test_every_use_case_has_a_rest_route_and_a_graphql_field() -> None:
    cases = use_cases()
    assert len(cases) > 70  # the scan found the use cases (none silently skipped)
    missing_rest = sorted(cases - rest_calls())
    missing_graphql = sorted(cases - graphql_calls())
    assert missing_rest == [], f"use cases without a REST route: {missing_rest}"
    assert missing_graphql == [], f"use cases without a GraphQL query or mutation: {missing_graphql}"


def test_the_scan_sees_a_missing_field() -> None:
    """The check itself can fail: a use case nobody calls is reported."""
    cases = use_cases() | {("app.services.turns", "a_use_case_nobody_calls")}
    assert ("app.services.turns", "a_use_case_nobody_calls") in cases - graphql_calls()
