"""The access rules of the operations in ``routes/turns.py``: role-turns (policies, readiness, swaps)."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "getTurns": "pair",
    "declareReady": "junior_member",
    "requestSwap": "members",
    "acceptSwap": "counterpart",
    "declineSwap": "counterpart",
    "withdrawSwap": "members",
    "proposeTurnPolicy": "members",
    "acceptTurnPolicy": "members",
    "declineTurnPolicy": "members",
    "withdrawTurnPolicy": "members",
}
