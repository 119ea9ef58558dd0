"""The problem codes of the operations in ``routes/system.py``: health, metrics and the issuer's keys."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "healthz": (),
    "jwks": ("jwks_not_found",),
    "metrics": (
        "unauthenticated",
        "invalid_token",
        "identity_not_linked",
        "insufficient_scope",
        "metrics_protected",
        "too_many_authentication_failures",
        "identity_provider_unavailable",
    ),
    "openidConfiguration": ("openid_configuration_not_found",),
    "readyz": (),
}
