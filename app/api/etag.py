"""ETags carry the aggregate's version; If-Match turns them back into an expected version.

If-Match is judged like the rest of the request: a malformed header is one more field error of the
422 that lists every input problem at once (path, query, body), and a well-formed one is compared
only once the resource is found (404 before 412). The comparison is RFC 9110's strong one: a weak
tag (``W/"v3"``) or a tag this API never gave out matches no version, so the change is refused with
412 ``stale_version``.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header

# RFC 9110 entity-tag: optional W/ prefix, then a quoted opaque string; or "*".
ENTITY_TAG = r'^\s*(\*|(W/)?"[\x21\x23-\x7e\x80-\xff]*")\s*$'
_OURS = re.compile(r'^"v(\d{1,12})"$')
NEVER_MATCHES = 0  # versions start at 1


def etag_for(version: int) -> str:
    return f'"v{version}"'


async def expected_version(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description='The `ETag` you read (e.g. `"v3"`); the change is refused (412 `stale_version`) if the '
            "resource changed since. Strong comparison: a weak tag (`W/…`) never matches. Omit it, or send `*`, "
            "to skip the check.",
            max_length=100,
            pattern=ENTITY_TAG,
            examples=['"v3"'],
        ),
    ] = None,
) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    ours = _OURS.match(if_match.strip())
    return int(ours.group(1)) if ours else NEVER_MATCHES
