"""Log lines as operators read them: no colour codes when the output is a file or a pipe, and the
server's own lines (uvicorn's) with a timestamp and a level like every other line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from app.logging import configure_logging
from app.settings import Settings


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    saved_config = structlog.get_config()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    yield
    structlog.configure(**saved_config)
    root.handlers, _ = saved
    root.setLevel(saved[1])


def test_console_lines_carry_no_colour_codes_when_redirected() -> None:
    out = io.StringIO()  # not a terminal
    configure_logging(Settings(log_format="console", log_level="info"), stream=out)
    structlog.get_logger("turnabout.test").info("request", path="/healthz", status=200)
    logging.getLogger("uvicorn.error").info("Uvicorn running on http://127.0.0.1:8000")
    text = out.getvalue()
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert len(lines) == 2
    assert all(line[:4].isdigit() and "T" in line[:20] for line in lines), lines  # ISO timestamp first
    assert "Uvicorn running" in lines[1] and "info" in lines[1]


def test_json_lines_for_the_server_itself_too() -> None:
    out = io.StringIO()
    configure_logging(Settings(log_format="json", log_level="info"), stream=out)
    logging.getLogger("uvicorn.error").warning("Shutting down")
    record = json.loads(out.getvalue().splitlines()[-1])
    assert record["event"] == "Shutting down"
    assert record["level"] == "warning"
    assert record["timestamp"].endswith("Z")
