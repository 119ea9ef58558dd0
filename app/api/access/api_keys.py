"""The access rules of the operations in ``routes/api_keys.py``: API keys and sign-in identities."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "listIdentities": "admin",
    "unlinkIdentity": "admin",
    "createApiKey": "admin",
    "listApiKeys": "admin",
    "revokeApiKey": "admin",
}
