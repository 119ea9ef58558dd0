"""Who may call what: every operation's access rule, declared here and nowhere else.

Each operation (by ``operationId``) names a rule. A rule says, in a sentence and per kind of caller,
what the caller gets — ``allowed``, ``401``, ``403`` or ``404`` (a resource hidden from the caller is
"not found": existence is private too) — and which scope admits an integration (an API key or an IdP
service client). The OpenAPI document carries it as ``x-turnabout-access`` and as a sentence in the
description; the request path enforces the scope (``app.api.deps.check_scope``) before the body is
read; the use cases' policies enforce the rest; and ``tests/api/test_authorization_matrix.py`` calls
every operation as every kind of caller and holds each answer to this table. An operation missing
here fails that test.

The callers, on one seeded organisation: ``anonymous`` (no token), ``employee`` (in the directory,
in no program), ``participant`` and ``partner`` (the two members of a relationship; the participant is its
junior member, the one whose records the paths name and who asked for the turn swap), ``coordinator``
(of this program, HR staff),
``other_coordinator`` (HR staff coordinating another program), ``committee_member`` (of this program's
review committee), ``admin``, ``integration`` (an API key with the operation's scope) and
``integration_without_scope`` (an API key with every other scope).

Each router's operations are listed in a module of their own, named like the router in ``app/api/routes``;
they are merged here, and an operation listed in two modules is refused at import. The callers and the rules
are in ``rules.py``.
"""

from __future__ import annotations

from typing import Any, Final

from app.api.access.rules import CALLERS, HR, MEMBERS, OUTSIDERS, PEOPLE, RULES, STAFF, Outcome, Rule
from app.api.router_tables import merge_tables, router_modules

__all__ = [
    "CALLERS",
    "HR",
    "MEMBERS",
    "OPERATION_ACCESS",
    "OUTSIDERS",
    "PEOPLE",
    "RULES",
    "STAFF",
    "Outcome",
    "Rule",
    "document_access",
    "operation_id",
    "rule_of",
]


OPERATION_ACCESS: Final[dict[str, str]] = merge_tables(
    router_modules(__name__, __path__, besides=frozenset({"rules"})), "ACCESS"
)


def operation_id(route_name: str) -> str:
    """A route's operation id: its handler's name in camelCase (stable, for client generators)."""
    head, *rest = route_name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def rule_of(operation_id: str) -> Rule | None:
    name = OPERATION_ACCESS.get(operation_id)
    return RULES[name] if name is not None else None


def document_access(schema: dict[str, Any]) -> dict[str, Any]:
    """``x-turnabout-access`` and an **Access** sentence on every operation that has a rule."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            rule = rule_of(operation["operationId"])
            if rule is None:
                continue
            operation["x-turnabout-access"] = rule.extension()
            lead = f"**Access:** {rule.sentence}"
            operation["description"] = f"{lead}\n\n{operation.get('description') or ''}".strip()
    return schema
