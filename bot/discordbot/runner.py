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

import aiohttp
import discord
import yarl
from prometheus_client import Gauge

from bot.cooldown import Cooldown
from bot.discordbot.app import ArtBot, ChannelPublisher
from bot.discordbot.daily import DailyPoster
from bot.discordbot.painter import Painter
from bot.errors import DiscordUnreachable, TokenRejected, UserError
from bot.feeds.service import FeedService
from bot.health import HealthServer
from bot.jobs import RenderQueue, create_queue
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.store import Store
from bot.web.server import WebServer, start_beside

log = logging.getLogger(__name__)
NO_TOKEN = (
    "no Discord token: set CPPN_DISCORD_TOKEN (or CPPN_DISCORD_TOKEN_FILE to a file holding it). "
    "Get one at https://discord.com/developers/applications -> your application -> Bot -> "
    "Reset Token; README.md, 'The Discord bot', has the steps"
)


FREE_LOGINS_PER_DAY = 10
MAX_LOGIN_WAIT_S = 3600.0
LOGIN_TRIES = 5  # while Discord cannot be reached at login; then one line and exit status 1
LOGIN_RETRY_S = 1.0  # the first wait between tries; it doubles: 1, 2, 4, 8 s
# What "cannot reach Discord" looks like: no route, refused or dropped connections, time-outs,
# Discord's 5xx after discord.py's own retries.
UNREACHABLE = (OSError, aiohttp.ClientConnectionError, TimeoutError, discord.DiscordServerError)


class Services:
    """The pieces of a running bot, built from settings (a test may pass its own pipeline)."""

    def __init__(self, settings: Settings, store: Store, pipeline: Pipeline | None = None) -> None:
        self.settings, self.store = settings, store
        self.queue: RenderQueue = create_queue(
            settings, store=store, pipeline=pipeline, on_done=self._on_done
        )
        self.bot = ArtBot(
            settings, self.queue, store,
            make_painter=lambda client: Painter(
                self.queue, store, Cooldown(settings.cooldown_s), settings.progress_s,
                client=client, web_url=settings.web_public_url,
            ),
            make_poster=lambda client: DailyPoster(
                store, self.queue, ChannelPublisher(client, settings.web_public_url),
                settings.daily_catchup_h * 3600,
            ),
        )  # fmt: skip
        self.painter = self.bot.painter
        registry = self.queue.metrics.registry
        Gauge("cppn_discord_connected", "1 while the gateway is connected", registry=registry
              ).set_function(lambda: float(self.gateway_connected()))  # fmt: skip
        self.discord = True  # False: the feeds alone, no Discord token
        self.web: WebServer | None = None  # the web site beside the bot (web_enabled)
        self.feeds = FeedService(settings, store, self.queue, registry) if settings.feeds else None
        self.health = HealthServer(
            self.check, registry, settings.health_host, settings.health_port,
            detail=self._feed_detail,
        )  # fmt: skip

    def gateway_connected(self) -> bool:
        ws = self.bot.ws
        return self.bot.is_ready() and not self.bot.is_closed() and ws is not None and ws.open

    async def check(self) -> dict[str, bool]:
        """Healthy: the gateway is connected, the executor is alive, the queue answers."""
        gateway = {"gateway": self.gateway_connected()} if self.discord else {}
        return {**gateway, **await self.queue.health()}

    async def _feed_detail(self) -> dict:
        return {} if self.feeds is None else {"feeds": await self.feeds.detail()}

    async def _on_done(self, request, outcome) -> None:
        if self.feeds is not None and self.feeds.owns(request):
            await self.feeds.on_done(request, outcome)
            return
        await self.painter.on_done(request, outcome)

    async def shutdown(self, grace_s: float) -> None:
        log.info("shutting down: no new paintings; %d in hand get up to %.0f s",
                 self.queue.pending(), grace_s)  # fmt: skip
        self.painter.closing = True
        if self.web is not None:
            await self.web.close()
        try:
            await asyncio.wait_for(self.queue.close(), grace_s)
        except TimeoutError:
            log.warning("grace period over; unfinished paintings stay queued for the next start")
        await self.painter.wait_idle(timeout=10.0)
        if self.feeds is not None:
            await self.feeds.close()
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
        if await _stopped(stop, delay):
            return
    await services.store.record_login()
    if await _log_in(services.bot, token, stop):
        await services.bot.connect(reconnect=True)  # discord.py reconnects by itself from here


async def _log_in(bot: discord.Client, token: str, stop: asyncio.Event) -> bool:
    """bot.login, tried again with back-off while Discord cannot be reached (LOGIN_TRIES in all),
    then DiscordUnreachable; False if stopped while waiting."""
    for attempt in range(1, LOGIN_TRIES + 1):
        try:
            await bot.login(token)
            return True
        except UNREACHABLE as e:
            if bot.user is not None:  # past the first request: setup_hook may have run
                raise
            reason = _reason(e)
            if attempt == LOGIN_TRIES:
                raise DiscordUnreachable(
                    f"cannot reach Discord at {discord.http.Route.BASE} ({reason}) after "
                    f"{LOGIN_TRIES} tries; check the network (or CPPN_DISCORD_API_URL)"
                ) from None
        # A fresh HTTP session for the next try (discord.py makes one per login): the old one,
        # and its connector, closed rather than left to the garbage collector.
        await bot.http.close()
        bot.http.clear()
        bot.http.connector = discord.utils.MISSING
        wait = LOGIN_RETRY_S * 2 ** (attempt - 1)
        log.warning("cannot reach Discord (%s): trying again in %.0f s (try %d of %d)",
                    reason, wait, attempt + 1, LOGIN_TRIES)  # fmt: skip
        if await _stopped(stop, wait):
            return False
    raise AssertionError("unreachable")


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


async def _stopped(stop: asyncio.Event, wait_s: float) -> bool:
    """Wait up to wait_s; True if `stop` was set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), wait_s)
    return stop.is_set()


def check_token(token: str) -> None:
    """A token is one line of printable characters: a CR or LF (a token file with two lines, a
    pasted line break) is one clear error here, not a traceback from deep in aiohttp."""
    if not token:
        raise UserError(NO_TOKEN)
    bad = next((ch for ch in token if ch.isspace() or not ch.isprintable()), None)
    if bad is None:
        return
    what = (
        "a line break (CR or LF)" if bad in "\r\n"
        else "a space" if bad.isspace()
        else f"a control character (U+{ord(bad):04X})"
    )  # fmt: skip
    raise UserError(
        f"the Discord token contains {what}; a token is one line with no spaces: check "
        "CPPN_DISCORD_TOKEN or the token file (CPPN_DISCORD_TOKEN_FILE)"
    )


async def serve(
    settings: Settings,
    token: str,
    *,
    pipeline: Pipeline | None = None,
    stop: asyncio.Event | None = None,
    resync: bool = False,
) -> None:
    """Run the bot until `stop` is set, SIGTERM or SIGINT arrives, or the connection fails.
    Without a Discord token but with feeds configured, the feeds run alone."""
    if token or not settings.feeds:
        check_token(token)
    stop = stop or asyncio.Event()
    point_at(settings)
    store = await Store.open(settings.db_path)  # checked before any login: one line if unusable
    try:
        services = Services(settings, store, pipeline)
    except BaseException:
        await store.close()  # an open connection's thread would keep the process alive
        raise
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
    try:
        services.web = await start_beside(settings, services.queue, store)
    except UserError:
        await services.health.close()
        await store.close()
        raise
    services.discord = bool(token)
    if services.feeds is not None:
        await services.feeds.start()
        services.feeds.run()  # its loops wait for the queue, which the Discord bot starts
    if not token:
        log.info("no Discord token: running the feeds alone")
        await services.queue.start()
    login = _login(services, token, stop) if token else stop.wait()
    client = asyncio.create_task(login, name="discord")
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
