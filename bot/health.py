"""/healthz and /metrics for `cppn-bot run`, on aiohttp (already here: discord.py's transport).

Healthy means all three: the Discord gateway is connected, the executor is alive, and the queue
answers. /healthz answers 200 or 503 with a JSON body saying which check failed; /metrics is the
prometheus text format of the queue's registry plus the bot's own gauges.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

log = logging.getLogger(__name__)
Check = Callable[[], Awaitable[dict[str, bool]]]


class HealthServer:
    def __init__(
        self,
        check: Check,
        registry,
        host: str = "127.0.0.1",
        port: int = 8080,
        detail: Callable[[], Awaitable[dict]] | None = None,
    ) -> None:
        self.check, self.registry, self.host, self.port = check, registry, host, port
        self.detail = detail  # more to show (each feed's state) that does not decide health
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Serve; returns the port (useful when asked for port 0: any free one)."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self.host, self.port)
        return self.port

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _healthz(self, request: web.Request) -> web.Response:
        checks = await self.check()
        ok = all(checks.values())
        extra = await self.detail() if self.detail is not None else {}
        body = json.dumps({"ok": ok, **checks, **extra})
        return web.Response(text=body, status=200 if ok else 503, content_type="application/json")

    async def _metrics(self, request: web.Request) -> web.Response:
        data = generate_latest(self.registry)
        return web.Response(body=data, headers={"Content-Type": CONTENT_TYPE_LATEST})
