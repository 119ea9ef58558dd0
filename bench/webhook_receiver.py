"""A fast local webhook receiver for ``bench/webhooks.py``: HTTP/1.1 keep-alive on asyncio, answers
every POST with 204 at once and remembers, per ``webhook-id``, how often it came and when it first
arrived, with the event's own ``timestamp`` (so commit-to-receipt latency is measured on one clock).
``GET /stats`` answers what it saw. It does not verify signatures (the test suite does): the point
is to cost the sender as little as possible."""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import datetime

seen: dict[str, int] = {}
latencies: list[float] = []  # seconds from the event's timestamp to its first receipt
first_at: float | None = None
last_at: float | None = None


def _record(headers: dict[str, str], body: bytes) -> None:
    global first_at, last_at
    ident = headers.get("webhook-id", "")
    now = time.time()
    count = seen.get(ident, 0)
    seen[ident] = count + 1
    if count == 0:
        first_at = first_at or now
        last_at = now
        marker = body.find(b'"timestamp":"')
        if marker >= 0:
            start = marker + 13
            stamp = body[start : body.index(b'"', start)].decode()
            latencies.append(now - datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


def _stats() -> bytes:
    return json.dumps(
        {
            "unique": len(seen),
            "received": sum(seen.values()),
            "duplicates": sum(count - 1 for count in seen.values()),
            "first_at": first_at,
            "last_at": last_at,
            "latencies": latencies,
        }
    ).encode()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            if method == "GET" and path == "/stats":
                payload = _stats()
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                    + str(len(payload)).encode()
                    + b"\r\n\r\n"
                    + payload
                )
            elif method == "POST" and path == "/reset":
                seen.clear()
                latencies.clear()
                globals().update(first_at=None, last_at=None)
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
            else:
                _record(headers, body)
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main(parser.parse_args().port))
