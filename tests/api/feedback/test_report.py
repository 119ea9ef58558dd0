"""The evaluation report: one self-contained HTML page that headless Chromium renders, offline, with
its charts drawn; small groups withheld."""

from __future__ import annotations

import asyncio
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

from tests.api.feedback.test_metrics import seed
from tests.api.mentoring.conftest import World

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
BLUE, GREEN = (0x2F, 0x6F, 0xDE), (0x3F, 0x91, 0x42)


def pixels(png: bytes) -> list[tuple[int, int, int]]:
    """The RGB pixels of an 8-bit RGB or RGBA PNG (the kind Chromium writes), row after row."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, data, width, height, channels = 8, b"", 0, 0, 0
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            data += body
        at += 12 + length
    raw, stride, rows, previous = zlib.decompress(data), width * channels, [], bytearray(width * channels)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), left), (abs(guess - up), up), (abs(guess - corner), corner))[1]
                line[i] = (line[i] + near) & 0xFF
        rows.append(bytes(line))
        previous = line
    return [(r[i], r[i + 1], r[i + 2]) for r in rows for i in range(0, stride, channels)]


async def test_the_report_is_self_contained_and_renders_its_charts_offline(
    world: World, clock: Any, tmp_path: Path
) -> None:
    await seed(world, clock)
    response = await world.client.get(
        f"/api/v1/programs/{world.program['id']}/report", headers=world.coordinator.headers
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert not re.search(r"(src|href)\s*=|url\(|@import|<script|<link|<img", page, re.IGNORECASE)
    assert "80% of 5" in page and "40% of 5" in page  # trained vs untrained, with their group sizes
    assert "withheld (a group of 2, fewer than k)" in page  # goal achievement over 2 goals
    assert page.count("<svg") >= 6

    if CHROMIUM is None:
        pytest.skip("no Chromium on this machine to render the report")
    source = tmp_path / "report.html"
    source.write_text(page, encoding="utf-8")
    shot = tmp_path / "report.png"
    offline = ["--headless", "--no-sandbox", "--disable-gpu", "--no-proxy-server", "--proxy-server=127.0.0.1:9"]
    await asyncio.to_thread(
        subprocess.run,
        [CHROMIUM, *offline, f"--screenshot={shot}", "--window-size=1000,2600", source.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    seen = pixels(shot.read_bytes())
    assert sum(1 for p in seen if p == BLUE) > 2000  # the bar charts
    assert sum(1 for p in seen if p == GREEN) > 200  # the monthly columns
