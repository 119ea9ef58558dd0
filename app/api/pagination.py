"""Opaque cursors over keyset pagination."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query

from app.domain.errors import invalid
from app.domain.ports import PageRequest


def encode_cursor(after: UUID | None) -> str | None:
    if after is None:
        return None
    return base64.urlsafe_b64encode(after.bytes).decode().rstrip("=")


def decode_cursor(cursor: str) -> UUID:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return UUID(bytes=raw)
    except (binascii.Error, ValueError) as error:
        raise invalid("cursor_invalid", "The cursor is not one this API gave out.", path="query.cursor") from error


async def page_request(
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page.")] = 50,
    cursor: Annotated[
        str | None,
        Query(max_length=64, description="`next_cursor` of the previous page; omit for the first page."),
    ] = None,
) -> PageRequest:
    return PageRequest(limit=limit, after=decode_cursor(cursor) if cursor else None)


PageDep = Annotated[PageRequest, Depends(page_request)]
