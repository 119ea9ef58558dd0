"""The OpenAPI document's account of failure: for every operation, the problem codes it can return
(``x-problem-codes``, and per status in the response descriptions), one example per code, and
descriptions that render as Markdown.

Each operation's codes are its own (``operation_problems``) plus those that follow from what it
takes: a token, inputs, a JSON body, ``If-Match``, ``Idempotency-Key``, a cursor, a write.
"""

from __future__ import annotations

import re
from typing import Any

from app.api.operation_problems import OPERATION_CODES
from app.api.problem_codes import CATALOGUE
from app.api.problems import DESCRIPTIONS, PROBLEM_JSON, TITLES, TYPE_BASE

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
WRITES = {"post", "put", "patch", "delete"}
_RST_LITERAL = re.compile(r"``([^`]+)``")
_RST_ROLE = re.compile(r":(?:data|class|func|meth|attr):`~?([^`]+)`")


def markdown(text: str) -> str:
    """A docstring as Markdown: dedented (an indented rule list would render as a code block) and
    with reStructuredText literals (``x``) and roles turned into Markdown code spans."""
    lines = text.expandtabs().strip("\n").splitlines() or [""]
    # the docstring's own indentation; text appended to a docstring by a route is not indented
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.startswith(" ") and line.strip()]
    cut = min(indents, default=0)
    body = [line[cut:] if line.startswith(" " * cut) else line for line in lines[1:]]
    cleaned = "\n".join([lines[0].strip(), *body]).strip()
    return _RST_ROLE.sub(r"`\1`", _RST_LITERAL.sub(r"`\1`", cleaned))


def shared_codes(path: str, method: str, operation: dict[str, Any]) -> set[str]:
    parameters = operation.get("parameters", [])
    headers = {p["name"].lower() for p in parameters if p["in"] == "header"}
    codes = {"text_contains_nul", "internal_error"}  # NUL in a path or query reaches any operation
    if operation.get("security"):
        codes |= {
            "unauthenticated",
            "invalid_token",
            "identity_not_linked",
            "insufficient_scope",
            "too_many_authentication_failures",
            "identity_provider_unavailable",
        }
    if parameters or "requestBody" in operation:
        codes.add("validation_failed")
    if "application/json" in operation.get("requestBody", {}).get("content", {}):
        codes.add("malformed_body")
    if "if-match" in headers:
        codes.add("stale_version")
    if "idempotency-key" in headers:
        codes |= {"idempotency_key_reused", "idempotency_key_in_progress"}
    if any(p["in"] == "query" and p["name"] == "cursor" for p in parameters):
        codes.add("cursor_invalid")
    if method in WRITES and path.startswith("/api/"):
        codes.add("conflicts_with_existing_data")
    if path.startswith("/api/"):
        codes.add("database_unavailable")
    if "requestBody" in operation:
        codes.add("body_too_large")
    return codes


def example(code: str, path: str) -> dict[str, Any]:
    status, meaning = CATALOGUE[code]
    value: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": meaning,
        "code": code,
        "instance": path,
        "request_id": "0193b2c4-5d6e-7f80-9a1b-2c3d4e5f6a7b",
        "errors": [],
    }
    if code == "validation_failed":
        value["errors"] = [{"path": "body.name", "message": "String should have at least 1 character"}]
    return {"summary": meaning, "value": value}


def document_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    operation["description"] = markdown(operation.get("description") or "")
    codes = set(OPERATION_CODES.get(operation["operationId"], ())) | shared_codes(path, method, operation)
    by_status: dict[int, list[str]] = {}
    for code in sorted(codes):
        by_status.setdefault(CATALOGUE[code][0], []).append(code)
    responses = operation["responses"]
    for status, status_codes in sorted(by_status.items()):
        response = responses.setdefault(str(status), {})
        lead = DESCRIPTIONS.get(status, TITLES.get(status, "Error"))
        response["description"] = lead + " Codes: " + ", ".join(f"`{c}`" for c in status_codes) + "."
        response["content"] = {
            PROBLEM_JSON: {"schema": PROBLEM_REF, "examples": {c: example(c, path) for c in status_codes}}
        }
    for status_text, response in responses.items():
        content = response.get("content", {})
        if PROBLEM_JSON in content:
            content.pop("application/json", None)  # the declared model also added a plain JSON twin
            if int(status_text) not in by_status:  # declared by the route, no code of its own
                response["description"] = DESCRIPTIONS.get(int(status_text), TITLES.get(int(status_text), "Error"))
    operation["x-problem-codes"] = sorted(codes)
    listing = ", ".join(f"`{c}`" for c in sorted(codes))
    operation["description"] = (operation["description"] + f"\n\n**Problem codes:** {listing}.").strip()


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                document_operation(path, method, operation)
    schemas = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    return schema


def catalogue_markdown(schema: dict[str, Any]) -> str:
    """``docs/problems.md``: every code, its status, what it means, and the operations that return it."""
    returned_by: dict[str, list[str]] = {code: [] for code in CATALOGUE}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for code in operation.get("x-problem-codes", []):
                returned_by[code].append(operation["operationId"])
    lines = [
        "# Problem codes",
        "",
        "Every error is `application/problem+json` (RFC 9457) with a stable `code`. This page is generated",
        "from the service (`turnabout export-openapi`); each operation in `openapi/openapi.json` lists the",
        "codes it can return in `x-problem-codes`, with an example of each under its status.",
        "",
        "Codes every operation may return (by what it takes): `text_contains_nul`, `internal_error`;",
        "with a token `unauthenticated`, `invalid_token`, `identity_not_linked`, `insufficient_scope`,",
        "`too_many_authentication_failures`, `identity_provider_unavailable`; with inputs `validation_failed`;",
        "with a JSON body",
        "`malformed_body`; with `If-Match` `stale_version`; with `Idempotency-Key` `idempotency_key_reused`,",
        "`idempotency_key_in_progress`; with a cursor `cursor_invalid`; writes `conflicts_with_existing_data`;",
        "with a body `body_too_large`; under `/api` `database_unavailable`.",
        "",
        "| code | status | meaning | returned by |",
        "|---|---|---|---|",
    ]
    shared = len(schema.get("paths", {})) // 2
    for code, (status, meaning) in sorted(CATALOGUE.items(), key=lambda item: (item[1][0], item[0])):
        operations = sorted(returned_by[code])
        where = "many operations (see above)" if len(operations) > shared else ", ".join(operations) or "—"
        lines.append(f"| `{code}` | {status} | {meaning.replace('|', '/')} | {where} |")
    return "\n".join(lines) + "\n"
