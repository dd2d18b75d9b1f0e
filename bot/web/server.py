"""Serving the site: alone (`cppn-bot web`) or beside the bot (`cppn-bot run`, web_enabled).

Beside the bot, the site asks the bot's own queue and store. Alone, it opens the store (the
gallery reads which days were posted) and a queue of its own on the configured backend, without
the store: the jobs it would find there unfinished are the bot's to deliver, not the site's, and
a picture the site loses to a restart is painted again by the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable

from aiohttp import web

from bot.errors import UserError
from bot.jobs import RenderQueue, create_queue
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.store import Store
from bot.web.app import Site, create_app
from bot.web.cache import DiskCache
from bot.web.renders import Renders

log = logging.getLogger(__name__)


class WebServer:
    """The site on one address; its dependencies come in through the constructor."""

    def __init__(self, settings: Settings, queue: RenderQueue, store: Store | None) -> None:
        self.settings, self.queue, self.store = settings, queue, store
        self.cache: DiskCache | None = None
        self.renders: Renders | None = None
        self.port: int | None = None
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Open the cache and listen; returns the port (any free one when asked for 0)."""
        s = self.settings
        self.cache = await DiskCache.open(s.web_cache_dir, s.web_cache_mb * 1024 * 1024)
        self.renders = Renders(self.queue, self.cache, s.web_max_renders)
        app = create_app(Site(self.renders, self.store, s.web_public_url))
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, s.web_host, s.web_port)
        try:
            await site.start()
        except OSError as e:
            await self.close()
            raise UserError(
                f"cannot serve the web site on {s.web_host}:{s.web_port}: {e.strerror}; set "
                "CPPN_WEB_PORT to a free port"
            ) from None
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        shown = s.web_public_url or f"http://{s.web_host}:{self.port}/"
        log.info("web site on http://%s:%d/ (public address %s)", s.web_host, self.port, shown)
        return self.port

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.cache is not None:
            await self.cache.close()


async def start_beside(settings: Settings, queue: RenderQueue, store: Store) -> WebServer | None:
    """For `cppn-bot run`: the site on the bot's queue and store when web_enabled, else None."""
    if not settings.web_enabled:
        return None
    server = WebServer(settings, queue, store)
    await server.start()
    return server


async def serve_web(
    settings: Settings,
    *,
    pipeline: Pipeline | None = None,
    stop: asyncio.Event | None = None,
    ready: Callable[[WebServer], None] | None = None,
) -> None:
    """`cppn-bot web`: the site alone until `stop` is set, or SIGTERM or SIGINT arrives.
    `ready(server)` is called once it listens (its port is then known)."""
    stop = stop or asyncio.Event()
    store = await Store.open(settings.db_path)
    queue = create_queue(settings, pipeline=pipeline)  # no store: see the module's docstring
    server = WebServer(settings, queue, store)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await queue.start()
        await server.start()
        if ready is not None:
            ready(server)
        await stop.wait()
        log.info("web: shutting down")
    finally:
        await server.close()
        await queue.close()
        await store.close()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
