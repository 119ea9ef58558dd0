"""ETags carry the aggregate's version; If-Match turns them back into an expected version."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header

from app.domain.errors import DomainError

_TAG = re.compile(r'^(?:W/)?"v(\d{1,12})"$')


def etag_for(version: int) -> str:
    return f'"v{version}"'


async def expected_version(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description='The `ETag` you read (e.g. `"v3"`); the change is refused with 412 if the '
            "resource changed since. Omit to skip the check.",
            max_length=100,
        ),
    ] = None,
) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    match = _TAG.match(if_match.strip())
    if match is None:
        raise DomainError(
            code="if_match_invalid", detail='If-Match must be an ETag from this API, e.g. "v3".', kind="precondition"
        )
    return int(match.group(1))
