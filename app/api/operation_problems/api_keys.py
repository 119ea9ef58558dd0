"""The problem codes of the operations in ``routes/api_keys.py``: API keys and sign-in identities."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "createApiKey": (
        "api_key_expiry_in_past",
        "api_key_name_invalid",
        "api_key_scopes_invalid",
        "api_keys_admin_only",
    ),
    "listApiKeys": ("api_keys_admin_only",),
    "listIdentities": ("identities_admin_only", "person_not_found"),
    "revokeApiKey": ("api_key_not_found", "api_key_revoked", "api_keys_admin_only"),
    "unlinkIdentity": ("identities_admin_only", "identity_not_found"),
}
