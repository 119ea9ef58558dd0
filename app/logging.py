"""structlog set-up: JSON lines in production, readable console lines in development — colours only
on a terminal — and the standard library's records (uvicorn's, SQLAlchemy's, Alembic's) rendered
the same way, with a timestamp and a level, so that one process writes one log format."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog

from app.settings import Settings


class _CurrentStderr:
    """``sys.stderr`` as it is when a line is written, not as it was when logging was set up: a
    stream swapped later (a test's capture, a supervisor's redirection) is followed, and one closed
    since is never written to."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()

    def isatty(self) -> bool:
        return sys.stderr.isatty()


def configure_logging(settings: Settings, *, stream: TextIO | None = None) -> None:
    out: TextIO = stream or _CurrentStderr()  # type: ignore[assignment]
    json_logs = settings.log_format == "json" or (settings.log_format == "auto" and settings.is_production)
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if json_logs
        else structlog.dev.ConsoleRenderer(colors=out.isatty())  # no escape codes in files and pipes
    )
    level = getattr(logging, settings.log_level.upper())
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(out),
        cache_logger_on_first_use=False,
    )
    # Records of the standard library (uvicorn, SQLAlchemy, Alembic) through the same renderer.
    handler = logging.StreamHandler(out)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder()],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):  # uvicorn's own handlers would print a second, plain copy
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
        logging.getLogger(name).setLevel(logging.NOTSET)  # our level, whatever a uvicorn.Config set before
    logging.getLogger("uvicorn.access").disabled = True  # our middleware logs each request
