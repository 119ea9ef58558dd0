"""The modules that register job kinds. Each feature adds its own module in this package and one
line in the import below (alphabetical order, one module per line, so that branches merge cleanly)."""

from app.workers.kinds import (
    feedback,  # noqa: F401
    housekeeping,  # noqa: F401
    matching,  # noqa: F401
    relationships,  # noqa: F401
    webhooks,  # noqa: F401
)
