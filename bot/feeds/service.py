"""The feeds in a running bot: one poster per configured account, the daily loop, a mention
responder per feed that takes mentions; logins retried, health detail and metrics per feed.

`cppn-bot run` builds it beside the Discord bot (or alone, when no Discord token is set); the
render queue's on_done hands it the jobs it owns (owners with feed ids, bot.feeds.poster).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Gauge

from bot.feeds.daily import FeedDaily
from bot.feeds.mentions import MentionResponder
from bot.feeds.poster import LoginFailed, Poster, create_poster, is_feed_owner
from bot.jobs import RenderQueue
from bot.jobs.model import JobResult, QueuedJob
from bot.settings import Settings
from bot.store import Store
from bot.store.feeds import FeedStore

log = logging.getLogger(__name__)
LOGIN_RETRY_S = 600.0  # a feed whose login failed is tried again after this long
QUEUE_WAIT_S = 0.5


class FeedService:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        queue: RenderQueue,
        registry: CollectorRegistry | None = None,
        posters: list[Poster] | None = None,
    ) -> None:
        self.settings, self.store, self.queue = settings, store, queue
        self.feeds = FeedStore(store)
        self.posters = posters or [create_poster(f, self.feeds) for f in settings.feeds]
        catchup_s = settings.daily_catchup_h * 3600
        site = settings.web_public_url  # posts link to the painting's page there
        self.daily = FeedDaily(store, queue, self.posters, catchup_s, site=site)
        self.responders = {
            p.config.name: MentionResponder(store, queue, p, settings.mention_cooldown_s, site=site)
            for p in self.posters
            if p.config.mentions
        }
        self.last_post: dict[str, float | None] = {p.config.name: None for p in self.posters}
        self._tasks: list[asyncio.Task] = []
        if registry is not None:
            self._metrics(registry)

    def _metrics(self, registry: CollectorRegistry) -> None:
        logged_in = Gauge("cppn_feed_logged_in", "1 while the feed is logged in", ["feed"],
                          registry=registry)  # fmt: skip
        last = Gauge("cppn_feed_last_post_timestamp_seconds",
                     "when the feed last posted (a daily piece or a reply), unix seconds",
                     ["feed"], registry=registry)  # fmt: skip
        replies = Gauge("cppn_feed_replies", "mentions answered by this process", ["feed"],
                        registry=registry)  # fmt: skip
        for p in self.posters:
            name = p.config.name
            logged_in.labels(name).set_function(lambda p=p: float(p.logged_in))
            last.labels(name).set_function(lambda n=name: self.last_post.get(n) or 0.0)
            if name in self.responders:
                replies.labels(name).set_function(lambda r=self.responders[name]: r.answered)

    async def start(self) -> None:
        """Log every feed in (a failure is logged and retried later, never fatal) and look for
        mentions a crash left unanswered."""
        for p in self.posters:
            await self._login(p)
        for name, responder in self.responders.items():
            if responder.poster.logged_in:
                try:
                    await responder.recover()
                except Exception as e:  # noqa: BLE001 - logged; claims stay for the next start
                    log.error("feed %s: recovering mentions failed: %s", name, e)
        await self.refresh()

    async def _login(self, p: Poster) -> None:
        try:
            await p.start()
        except LoginFailed as e:
            log.error("%s; the feed stays off until it logs in (retried every %.0f min)", e,
                      LOGIN_RETRY_S / 60)  # fmt: skip
        except Exception as e:  # noqa: BLE001 - the service is down: retried
            log.error("feed %s: cannot log in: %s", p.config.name, e)

    def run(self) -> None:
        """Start the loops (after the queue is running)."""
        s = self.settings
        self._tasks.append(asyncio.create_task(self._daily_loop(), name="feed-daily"))
        for name, r in self.responders.items():
            task = asyncio.create_task(self._after_queue(r.run(s.mention_poll_s)), name=name)
            self._tasks.append(task)
        self._tasks.append(asyncio.create_task(self._relogin_loop(), name="feed-logins"))

    async def _after_queue(self, coro) -> None:
        while not (await self.queue.health(timeout=1.0))["queue"]:
            await asyncio.sleep(QUEUE_WAIT_S)
        await coro

    async def _daily_loop(self) -> None:
        await self._after_queue(asyncio.sleep(0))
        while True:
            try:
                await self.daily.tick()
                await self.refresh()
            except Exception:  # the store hiccuped: log, keep going
                log.exception("feed daily loop tick failed")
            await asyncio.sleep(self.settings.daily_check_s)

    async def _relogin_loop(self) -> None:
        while True:
            await asyncio.sleep(LOGIN_RETRY_S)
            for p in self.posters:
                if not p.logged_in:
                    await self._login(p)

    async def refresh(self) -> None:
        for p in self.posters:
            self.last_post[p.config.name] = await self.feeds.last_posted(p.config.name)

    def owns(self, request: QueuedJob) -> bool:
        return is_feed_owner(request.owner.user)

    async def on_done(self, request: QueuedJob, outcome: JobResult | BaseException) -> None:
        """A feed's job finished (a mention's render re-queued after a restart): answer it.
        Daily renders are followed by the daily poster itself (adopted after a restart)."""
        row = await self.feeds.mention_by_render(request.id)
        if row is not None and row.feed in self.responders:
            await self.responders[row.feed].on_done(request, outcome)

    async def detail(self) -> dict:
        """Each feed's state for /healthz: logged in, and when it last posted."""
        await self.refresh()
        return {
            p.config.name: {
                "service": p.config.service,
                "logged_in": p.logged_in,
                "last_post": _iso(self.last_post.get(p.config.name)),
            }
            for p in self.posters
        }

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for r in self.responders.values():
            await r.stop()
        for p in self.posters:
            try:
                await p.close()
            except Exception as e:  # noqa: BLE001 - closing: nothing left to do about it
                log.warning("feed %s: closing: %s", p.config.name, e)


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat()
