"""What the fake feed services share: an aiohttp server on loopback that records requests, can
answer the next request to a path with a 429 and a reset header, and can hold a request after
acting on it (the window a crash falls in)."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

from aiohttp import web


def reply(data: object, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(), status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )  # fmt: skip


@dataclass
class Seen:
    method: str
    path: str
    status: int
    at: float = field(default_factory=time.time)


class FakeService:
    """Subclasses add routes in `routes(app)`; `url` is the base once started."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.limit_next: dict[str, float] = {}  # path -> seconds until the reset it names
        self.hold: set[str] = set()  # paths whose next request is acted on, then held
        self.holding = asyncio.Event()  # a held request is waiting
        self.release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def rate_limit_headers(self, reset_at: float) -> dict[str, str]:
        raise NotImplementedError

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        self.release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @web.middleware
    async def _middleware(self, request: web.Request, handler) -> web.StreamResponse:
        path = request.path
        wait_s = self.limit_next.pop(path, None)
        if wait_s is not None:
            self.requests.append(Seen(request.method, path, 429))
            body = {"error": "RateLimitExceeded", "message": "Too many requests"}
            return reply(body, 429, self.rate_limit_headers(time.time() + wait_s))
        response = await handler(request)
        self.requests.append(Seen(request.method, path, response.status))
        if path in self.hold:
            self.hold.discard(path)
            self.holding.set()
            await self.release.wait()  # acted on, never answered while held: a crash comes now
        return response

    def count(self, method: str, path: str, status: int | None = None) -> int:
        return sum(
            1 for r in self.requests
            if r.method == method and r.path == path and (status is None or r.status == status)
        )  # fmt: skip
