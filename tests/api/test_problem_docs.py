"""The OpenAPI document tells a client, per operation, how it fails: the codes it returns, one
example per code under its own status, and rule lists that render as lists."""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

import httpx
import pytest

from app.api.operation_problems import OPERATION_CODES
from app.api.problem_codes import CATALOGUE
from app.api.router_tables import merge_tables


def operations(app: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, item in app.openapi()["paths"].items() for m, op in item.items()]


def test_every_operation_has_a_markdown_description(app) -> None:
    for method, path, operation in operations(app):
        text = operation.get("description", "")
        assert text.split("**Problem codes:**")[0].strip(), (method, path)
        assert "``" not in text, (method, path)
        assert not re.search(r"^ {4,}\S", text, re.M), (method, path, text)  # a code block in Markdown


def test_every_operation_lists_its_codes_each_under_its_own_status(app) -> None:
    assert set(OPERATION_CODES) == {op["operationId"] for _, _, op in operations(app)}
    for _, path, operation in operations(app):
        codes = operation["x-problem-codes"]
        assert codes == sorted(set(codes)) and set(codes) <= set(CATALOGUE)
        for code in codes:
            status = str(CATALOGUE[code][0])
            response = operation["responses"][status]
            assert f"`{code}`" in response["description"], (path, code)
            value = response["content"]["application/problem+json"]["examples"][code]["value"]
            assert (value["status"], value["code"]) == (CATALOGUE[code][0], code)
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")) and path != "/readyz":  # readiness answers its own body
                assert "application/json" not in response.get("content", {}), (path, status)


def test_an_operation_listed_in_two_router_modules_is_refused() -> None:
    first, second = ModuleType("first"), ModuleType("second")
    vars(first).update(CODES={"getThing": ("thing_not_found",), "listThings": ()})
    vars(second).update(CODES={"getThing": ()})
    assert merge_tables([first], "CODES") == {"getThing": ("thing_not_found",), "listThings": ()}
    with pytest.raises(ValueError, match="getThing is listed in both first and second"):
        merge_tables([first, second], "CODES")


def test_the_example_of_a_401_is_a_401(app) -> None:
    operation = app.openapi()["paths"]["/api/v1/programs"]["post"]
    examples = operation["responses"]["401"]["content"]["application/problem+json"]["examples"]
    assert {e["value"]["status"] for e in examples.values()} == {401}
    assert set(examples) == {"unauthenticated", "invalid_token"}
    assert "program_creator_not_in_directory" in operation["x-problem-codes"]


async def test_a_problem_the_document_does_not_list_fails_the_test_that_provoked_it(app) -> None:
    from tests.conftest import DocumentedProblems

    hook = DocumentedProblems(app)
    request = httpx.Request("GET", "http://test/api/v1/skills")
    undocumented = httpx.Response(
        404, headers={"content-type": "application/problem+json"}, json={"code": "meeting_not_found"}, request=request
    )
    with pytest.raises(AssertionError, match="listSkills answered `meeting_not_found`"):
        await hook(undocumented)
    documented = httpx.Response(
        401, headers={"content-type": "application/problem+json"}, json={"code": "unauthenticated"}, request=request
    )
    await hook(documented)
