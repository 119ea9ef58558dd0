"""A browser signs in through /docs: headless Chromium drives Swagger UI's "Authorize" (authorization
code + PKCE) against the development issuer — the login page in the pop-up, the redirect back, the
code exchanged for a token — and then calls the API with the token Swagger UI got.

Chromium is driven over the DevTools protocol (no extra package). Skipped, saying so, only when
Chromium is not installed (``make docs-offline`` installs it; so does CI).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from app.adapters.persistence.migrations import upgrade
from app.bootstrap import build_container
from app.domain.people import PersonDetails
from app.services import people
from app.settings import Settings
from tests.conftest import ADMIN

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: the /docs sign-in test needs it")
EMAIL = "hana.hr@example.com"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("docs-sign-in")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TURNABOUT_DATABASE_URL": f"sqlite+aiosqlite:///{work / 'docs.db'}",
        "TURNABOUT_DEV_SIGNING_KEY_PATH": str(work / "key.json"),
        "TURNABOUT_PUBLIC_URL": base,
        "TURNABOUT_LOG_LEVEL": "warning",
        "TURNABOUT_ENVIRONMENT": "development",
    }
    upgrade(env["TURNABOUT_DATABASE_URL"])

    async def seed() -> None:
        container = build_container(Settings(database_url=env["TURNABOUT_DATABASE_URL"], log_level="warning"))
        details = PersonDetails(email=EMAIL, given_name="Hana", family_name="Coordinator")
        await people.create_person(container.uow(), ADMIN, details=details)
        await container.aclose()

    asyncio.run(seed())
    cli = str(Path(sys.executable).parent / "turnabout")
    process = subprocess.Popen(
        [cli, "serve", "--no-migrate", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=(work / "server.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"{base}/healthz")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


class DevTools:
    """Just enough of the DevTools protocol: commands, events, sessions of attached targets."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.next_id = 0
        self.waiting: dict[int, asyncio.Future[Any]] = {}
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.socket:
            message = json.loads(raw)
            if "id" in message and message["id"] in self.waiting:
                self.waiting.pop(message["id"]).set_result(message)
            else:
                await self.events.put(message)

    async def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiting[self.next_id] = future
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        await self.socket.send(json.dumps(message))
        answer: dict[str, Any] = await asyncio.wait_for(future, 60)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return dict(answer.get("result", {}))

    async def evaluate(self, session: str, expression: str) -> Any:
        result = await self.send(
            "Runtime.evaluate", session, expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def until(self, session: str, expression: str, seconds: float = 60) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                value = await self.evaluate(session, expression)
            except RuntimeError:
                value = None
            if value:
                return value
            await asyncio.sleep(0.25)
        raise AssertionError(f"never true: {expression}")

    async def new_target(self, opener: str, seconds: float = 60) -> str:
        """The session of the page ``opener`` opens next (the sign-in pop-up), attached."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            event = await asyncio.wait_for(self.events.get(), deadline - time.monotonic())
            if event.get("method") == "Target.attachedToTarget":
                info = event["params"]["targetInfo"]
                if info["type"] == "page" and info.get("openerId") == opener:
                    return str(event["params"]["sessionId"])
        raise AssertionError("no pop-up opened")


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[str]:
    """Headless Chromium with its DevTools endpoint; → the browser's WebSocket URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            CHROMIUM or "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-popup-blocking",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--remote-debugging-port={port}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/json/version")
        yield str(httpx.get(f"http://127.0.0.1:{port}/json/version").json()["webSocketDebuggerUrl"])
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
async def browser(chromium: str) -> AsyncIterator[DevTools]:
    async with websockets.connect(chromium, max_size=None) as connection:
        tools = DevTools(connection)
        yield tools
        tools.reader.cancel()


async def test_a_browser_signs_in_through_docs_and_calls_the_api(server, browser) -> None:
    await browser.send("Target.setAutoAttach", autoAttach=True, waitForDebuggerOnStart=False, flatten=True)
    await browser.send("Target.setDiscoverTargets", discover=True)
    target = await browser.send("Target.createTarget", url="about:blank")
    page = (await browser.send("Target.attachToTarget", targetId=target["targetId"], flatten=True))["sessionId"]
    await browser.send("Page.enable", page)
    await browser.send("Page.navigate", page, url=f"{server}/docs")
    await browser.until(page, "!!document.querySelector('.btn.authorize')")

    await browser.evaluate(page, "document.querySelector('.btn.authorize').click()")
    await browser.until(page, "!!document.querySelector('.auth-container')")
    # the OAuth2 (sign-in) scheme's own Authorize button, not the pasted-token one
    await browser.evaluate(
        page,
        """(() => {
          const box = [...document.querySelectorAll('.auth-container')].find(b => b.textContent.includes('oidc'));
          box.querySelectorAll('input[type=checkbox]').forEach(c => { if (!c.checked) c.click(); });
          const button = [...box.querySelectorAll('button')].find(b => b.textContent.trim() === 'Authorize');
          setTimeout(() => button.click(), 0);  // it opens the pop-up: do not wait on it here
        })()""",
    )
    popup = await browser.new_target(target["targetId"])
    await browser.send("Runtime.runIfWaitingForDebugger", popup)
    await browser.until(popup, "!!document.querySelector('#sign-in')")
    await browser.evaluate(
        popup,
        f"""(() => {{
          document.querySelector('#email').value = {json.dumps(EMAIL)};
          document.querySelector('input[value=coordinator]').checked = true;
          setTimeout(() => document.querySelector('#sign-in').click(), 0);  // the pop-up closes itself after
        }})()""",
    )
    token = await browser.until(
        page,
        """(() => {
          const auth = window.ui.authSelectors.authorized().toJS();
          return auth.oidc && auth.oidc.token && auth.oidc.token.access_token;
        })()""",
    )
    me = await browser.evaluate(
        page,
        f"""fetch('/api/v1/me', {{headers: {{Authorization: 'Bearer ' + {json.dumps(token)}}}}})
            .then(r => r.json())""",
    )
    assert me["email"] == EMAIL
    people_list = await browser.evaluate(
        page,
        f"""fetch('/api/v1/people', {{headers: {{Authorization: 'Bearer ' + {json.dumps(token)}}}}})
            .then(r => r.status)""",
    )
    assert people_list == 200  # the role picked on the sign-in page
