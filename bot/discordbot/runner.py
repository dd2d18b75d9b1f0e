"""`cppn-bot run`: build the pieces, connect, and shut down gracefully on SIGTERM/SIGINT.

Shutdown order: stop taking paintings; let the jobs in hand finish within the grace period
(their results are posted: Discord is still connected); leave the rest queued in SQLite for the
next start; close the Discord connection; close the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time

import discord
import yarl
from prometheus_client import Gauge

from bot.discordbot.app import ArtBot
from bot.discordbot.cooldown import Cooldown
from bot.discordbot.painter import Painter
from bot.errors import TokenRejected, UserError
from bot.health import HealthServer
from bot.jobs import RenderQueue, create_queue
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.store import Store

log = logging.getLogger(__name__)
NO_TOKEN = (
    "no Discord token: set CPPN_DISCORD_TOKEN (or CPPN_DISCORD_TOKEN_FILE to a file holding it). "
    "Get one at https://discord.com/developers/applications -> your application -> Bot -> "
    "Reset Token; README.md, 'The Discord bot', has the steps"
)


FREE_LOGINS_PER_DAY = 10
MAX_LOGIN_WAIT_S = 3600.0


class Services:
    """The pieces of a running bot, built from settings (a test may pass its own pipeline)."""

    def __init__(self, settings: Settings, store: Store, pipeline: Pipeline | None = None) -> None:
        self.settings, self.store = settings, store
        self.queue: RenderQueue = create_queue(
            settings, store=store, pipeline=pipeline, on_done=self._on_done
        )
        self.painter = Painter(
            self.queue, store, Cooldown(settings.cooldown_s), settings.progress_s
        )
        self.bot = ArtBot(settings, self.queue, store, self.painter)
        registry = self.queue.metrics.registry
        Gauge("cppn_discord_connected", "1 while the gateway is connected", registry=registry
              ).set_function(lambda: float(self.gateway_connected()))  # fmt: skip
        self.health = HealthServer(self.check, registry, settings.health_host, settings.health_port)

    def gateway_connected(self) -> bool:
        ws = self.bot.ws
        return self.bot.is_ready() and not self.bot.is_closed() and ws is not None and ws.open

    async def check(self) -> dict[str, bool]:
        """Healthy: the gateway is connected, the executor is alive, the queue answers."""
        return {"gateway": self.gateway_connected(), **await self.queue.health()}

    async def _on_done(self, request, outcome) -> None:
        await self.painter.on_done(request, outcome)

    async def shutdown(self, grace_s: float) -> None:
        log.info("shutting down: no new paintings; %d in hand get up to %.0f s",
                 self.queue.pending(), grace_s)  # fmt: skip
        self.painter.closing = True
        try:
            await asyncio.wait_for(self.queue.close(), grace_s)
        except TimeoutError:
            log.warning("grace period over; unfinished paintings stay queued for the next start")
        await self.painter.wait_idle(timeout=10.0)
        await self.bot.close()
        await self.store.close()
        await self.health.close()
        log.info("shut down cleanly")


def point_at(settings: Settings) -> None:
    """Use another REST base or gateway (a proxy, or a test's fake Discord) when set. These are
    discord.py class attributes: one bot per process, as `cppn-bot run` is."""
    if settings.discord_api_url:
        discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


async def login_delay(store: Store, now: float | None = None) -> float:
    """Seconds to wait before logging in, from this bot's logins in the last day: a crash loop
    slows down by itself, whatever restarts it (Docker's back-off tops out at a minute), because
    Discord resets a token after 1000 logins in a day. Ten a day are free; then 10 s, 20 s,
    40 s ... up to an hour: a tight crash loop logs in about 40 times on its first day, 24 after."""
    now = time.time() if now is None else now
    today = await store.logins_since(now - 86400)
    if today < FREE_LOGINS_PER_DAY:
        return 0.0
    return min(MAX_LOGIN_WAIT_S, 10.0 * 2 ** (today - FREE_LOGINS_PER_DAY))


async def _login(services: Services, token: str, stop: asyncio.Event) -> None:
    delay = await login_delay(services.store)
    if delay:
        log.warning(
            "many recent logins (a crash loop?): waiting %.0f s before logging in again, so "
            "Discord does not reset the token", delay,
        )  # fmt: skip
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        if stop.is_set():
            return
    await services.store.record_login()
    await services.bot.start(token)


async def serve(
    settings: Settings,
    token: str,
    *,
    pipeline: Pipeline | None = None,
    stop: asyncio.Event | None = None,
    resync: bool = False,
) -> None:
    """Run the bot until `stop` is set, SIGTERM or SIGINT arrives, or the connection fails."""
    if not token:
        raise UserError(NO_TOKEN)
    stop = stop or asyncio.Event()
    point_at(settings)
    store = await Store.open(settings.db_path)
    services = Services(settings, store, pipeline)
    services.bot.force_sync = resync
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(
            NotImplementedError, RuntimeError, ValueError
        ):  # not the main thread
            loop.add_signal_handler(sig, stop.set)
    if settings.health_port:
        try:
            await services.health.start()
        except OSError as e:
            await store.close()
            raise UserError(
                f"cannot serve /healthz on {settings.health_host}:{settings.health_port}: "
                f"{e.strerror}; set CPPN_HEALTH_PORT to a free port, or 0 for none"
            ) from None
    client = asyncio.create_task(_login(services, token, stop), name="discord")
    stopping = asyncio.create_task(stop.wait(), name="stop")
    try:
        await asyncio.wait({client, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        await services.shutdown(settings.shutdown_grace_s)
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
    if client.done() and not client.cancelled() and client.exception() is not None:
        error = client.exception()
        if isinstance(error, discord.LoginFailure):
            raise TokenRejected(
                "Discord refused the token (it may have been reset): put the current one in "
                "CPPN_DISCORD_TOKEN or the token file"
            ) from None
        if isinstance(error, discord.PrivilegedIntentsRequired):
            raise UserError("Discord refused the intents this bot asked for") from None
        raise error
