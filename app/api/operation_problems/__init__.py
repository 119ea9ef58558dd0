"""The problem codes each operation can answer with, beyond those every operation shares.

Shared codes are added from what an operation takes (see ``problems.document_problems``): a token
(``unauthenticated``, ``invalid_token``), any input (``validation_failed``, ``text_contains_nul``), a
JSON body (``malformed_body``), ``If-Match`` (``stale_version``), ``Idempotency-Key``
(``idempotency_key_reused``, ``idempotency_key_in_progress``), a cursor (``cursor_invalid``).

The test suite holds this table to account: every problem a test provokes must be listed for the
operation that answered it (``tests/conftest.py``), and every operation has an entry.

Each router's operations are listed in a module of their own, named like the router in
``app/api/routes``; they are merged here, and an operation listed in two modules is refused at import.
"""

from __future__ import annotations

from typing import Final

from app.api.router_tables import merge_tables, router_modules

OPERATION_CODES: Final[dict[str, tuple[str, ...]]] = merge_tables(router_modules(__name__, __path__), "CODES")
