"""The access rules of the operations in ``routes/system.py``: health, metrics and the issuer's keys."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "healthz": "public",
    "readyz": "public",
    "jwks": "public",
    "openidConfiguration": "public",
    "metrics": "metrics",
}
