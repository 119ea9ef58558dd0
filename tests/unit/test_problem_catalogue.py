"""The public catalogue of problem codes equals the codes the source raises, with the status their
kind maps to — so a new rule cannot ship an undocumented code, and no documented code is dead."""

from __future__ import annotations

import ast
from pathlib import Path

from app.api.problem_codes import CATALOGUE
from app.api.problems import STATUS_BY_KIND

APP = Path(__file__).resolve().parents[2] / "app"
KINDS = {"invalid": "invalid", "conflict": "conflict", "forbidden": "forbidden"}
# Raised through variables or tables, where a source scan cannot see the literal.
INDIRECT = {"relationship_not_found": 404, "route_not_found": 404, "method_not_allowed": 405}


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def raised_codes() -> dict[str, int | None]:
    """code -> status (None when the raise site does not say: transport-level problems)."""
    found: dict[str, int | None] = {}
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            keywords = {k.arg: k.value for k in node.keywords}
            if name == "DomainError" and _literal(keywords.get("code")):
                kind = _literal(keywords.get("kind")) or "conflict"
                found[str(_literal(keywords["code"]))] = STATUS_BY_KIND[kind]  # type: ignore[index]
            elif name == "AuthenticationRefused" and _literal(keywords.get("code")):  # a refusal at the door
                status = keywords.get("status")
                kind = _literal(keywords.get("kind")) or "conflict"
                found[str(_literal(keywords["code"]))] = (
                    status.value if isinstance(status, ast.Constant) else STATUS_BY_KIND[kind]  # type: ignore[index]
                )
            elif name in KINDS and node.args and _literal(node.args[0]):
                found[str(_literal(node.args[0]))] = STATUS_BY_KIND[KINDS[name]]  # type: ignore[index]
            elif name == "not_found" and node.args and _literal(node.args[0]):
                found[f"{_literal(node.args[0])}_not_found"] = 404
            elif name == "Bound" and len(node.args) >= 3 and _literal(node.args[2]):
                found[str(_literal(node.args[2]))] = STATUS_BY_KIND["invalid"]  # a domain bound refuses as invalid
            elif name == "require" and len(node.args) >= 2 and _literal(node.args[1]):
                found[str(_literal(node.args[1]))] = 403
            elif name in ("problem", "_answer") and _literal(keywords.get("code")):
                found[str(_literal(keywords["code"]))] = None
    return found


def test_every_raised_code_is_in_the_catalogue_with_its_status() -> None:
    raised = raised_codes()
    missing = sorted(set(raised) - set(CATALOGUE))
    assert not missing, f"add these to app/api/problem_codes.py: {missing}"
    wrong = {c: (CATALOGUE[c][0], s) for c, s in raised.items() if s is not None and CATALOGUE[c][0] != s}
    assert not wrong, wrong


def test_the_catalogue_lists_no_code_that_nothing_raises() -> None:
    dead = sorted(set(CATALOGUE) - set(raised_codes()) - set(INDIRECT))
    assert not dead, f"nothing raises these any more: {dead}"
    for code, status in INDIRECT.items():
        assert CATALOGUE[code][0] == status


def test_every_entry_explains_itself() -> None:
    for code, (status, meaning) in CATALOGUE.items():
        assert 400 <= status < 600, code
        assert len(meaning) > 15 and meaning.endswith((".", ")")), code
