"""The HTTP side of a delivery, with the SSRF guard at connect time.

Every host is resolved here, each address it resolves to is judged (``is_public_address`` or an
allowed network), and the connection goes to the address that was judged: the request's URL carries
the IP itself, with the original ``Host`` header and TLS server name (SNI and certificate check), so
no second DNS answer can slip in between check and connect (DNS rebinding). Redirects are never
followed (a 3xx is a failed attempt); a slow receiver times out.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx

from app.adapters.webhooks import signer
from app.domain.errors import invalid
from app.domain.ports import SendResult
from app.domain.webhooks import RESPONSE_EXCERPT_BYTES, AttemptOutcome, is_public_address

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]
USER_AGENT = "Turnabout-Webhooks/1"


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0]) for info in infos]


class Refused(Exception):
    """The URL's host resolves to an address webhooks may not call."""


class AddressGuard:
    def __init__(self, *, allowed_networks: Sequence[str] = (), resolver: Resolver = system_resolver) -> None:
        self.allowed = [ipaddress.ip_network(network, strict=False) for network in allowed_networks]
        self.resolver = resolver

    def admits(self, address: IPAddress) -> bool:
        return is_public_address(address) or any(address in network for network in self.allowed)

    async def pin(self, host: str, port: int) -> IPAddress:
        """The address to connect to: every address the host resolves to must be admitted."""
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
            addresses: list[IPAddress] = [literal]
        except ValueError:
            try:
                addresses = await self.resolver(host, port)
            except OSError as error:
                raise Refused(f"{host} does not resolve: {error}") from error
        if not addresses:
            raise Refused(f"{host} does not resolve")
        for address in addresses:
            if not self.admits(address):
                raise Refused(f"{host} resolves to {address}, which webhooks may not call")
        return addresses[0]


def parse_retry_after(value: str | None, *, now: datetime) -> timedelta | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))


class HttpxWebhookSender:
    def __init__(
        self,
        *,
        guard: AddressGuard,
        timeout_seconds: float,
        max_connections: int = 256,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.guard = guard
        self.timeout = httpx.Timeout(timeout_seconds)
        # One pool for the process; connections are kept per origin, i.e. per endpoint's address.
        self.client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=self.timeout,
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        try:
            await self.guard.pin(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        except Refused as error:
            raise invalid("webhook_url_forbidden", str(error), path="url") from error

    async def send(
        self, url: str, *, body: str, message_id: str, secrets: list[str], headers: dict[str, str]
    ) -> SendResult:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        started = time.perf_counter()
        try:
            address = await self.guard.pin(host, port)
        except Refused as error:
            return SendResult(AttemptOutcome.REFUSED, None, 0, error=str(error)[:500])
        literal = f"[{address}]" if address.version == 6 else str(address)
        pinned = urlunsplit((parts.scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
        request = self.client.build_request(
            "POST",
            pinned,
            content=body.encode(),
            headers={
                **headers,
                **signer.headers(secrets, message_id=message_id, timestamp=datetime.now(UTC), body=body),
                "host": parts.netloc.rpartition("@")[2],
                "user-agent": USER_AGENT,
            },
            extensions={"sni_hostname": host} if parts.scheme == "https" else {},
        )
        try:
            response = await self.client.send(request, stream=True)
            try:
                excerpt = bytearray()
                async for chunk in response.aiter_raw():
                    excerpt += chunk
                    if len(excerpt) >= RESPONSE_EXCERPT_BYTES:
                        break
            finally:
                await response.aclose()
        except httpx.TimeoutException as error:
            return SendResult(AttemptOutcome.TIMEOUT, None, _ms(started), error=f"timed out: {error!r}"[:500])
        except httpx.HTTPError as error:
            return SendResult(AttemptOutcome.CONNECTION_ERROR, None, _ms(started), error=repr(error)[:500])
        ok = 200 <= response.status_code < 300
        return SendResult(
            AttemptOutcome.SUCCESS if ok else AttemptOutcome.HTTP_ERROR,
            response.status_code,
            _ms(started),
            response_excerpt=bytes(excerpt[:RESPONSE_EXCERPT_BYTES]).decode("utf-8", "replace"),
            retry_after=None if ok else parse_retry_after(response.headers.get("retry-after"), now=datetime.now(UTC)),
        )


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
