"""The access rules of the operations in ``routes/metrics.py``: program and organisation metrics."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "programMetrics": "program_metrics",
    "programMetricsCsv": "program_metrics",
    "programReport": "program_metrics",
    "organisationMetrics": "organisation_metrics",
}
