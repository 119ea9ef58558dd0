"""The access rules of the operations in ``routes/jobs.py``: background jobs."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "listJobs": "admin",
    "getJob": "admin",
    "retryJob": "admin",
}
