"""The piece of the day on each feed, at the feed's own local time, exactly once per feed per day.

As the Discord poster does (bot/discordbot/daily.py): the slot is claimed in SQLite before
anything is posted; a slot found claimed but not posted (a crash mid-post) is first looked for on
the account (its replay code in our recent posts) and only posted if it is not there; the post
carries an idempotency key derived from the slot (Mastodon's Idempotency-Key, Bluesky's record
key), so a repeat the service sees is the same post; a render cut short by a crash is adopted.
Slots missed while the bot was down are posted within the catch-up window, else skipped with one
log line. One feed's failure never stops the others; a rate limit is waited out, to the second.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bot.art.code import format_code
from bot.daily import daily_recipe
from bot.feeds.content import daily_headline
from bot.feeds.drafts import draft
from bot.feeds.poster import Posted, Poster, RateLimited, feed_owner
from bot.jobs import Owner, Priority, RenderQueue
from bot.pipeline import PaintSpec
from bot.schedule import DailyConfig, due_slot, missed_slot
from bot.store import Store
from bot.store.feeds import FeedStore

log = logging.getLogger(__name__)
RETRY_S = 300.0  # a slot whose post failed is tried again after this long
SINCE_KEY = "daily-since"  # feed_state: when the feed was first seen; earlier slots are not owed


def daily_key(feed: str, day: date) -> str:
    """The slot's idempotency key: the same on every try, after any restart."""
    return f"cppn-daily-{feed}-{day.isoformat()}"


class FeedDaily:
    def __init__(
        self,
        store: Store,
        queue: RenderQueue,
        posters: list[Poster],
        catchup_s: float = 12 * 3600,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        site: str = "",
    ) -> None:
        self.store, self.feeds, self.queue = store, FeedStore(store), queue
        self.site = site  # the web site's public address: posts link to the painting's page
        self.posters = [p for p in posters if p.config.daily_time]
        self.catchup_s, self.clock = catchup_s, clock
        self._busy: set[tuple[str, date]] = set()
        self._retry_at: dict[tuple[str, date], datetime] = {}
        self._logged_missed: set[tuple[str, date]] = set()
        self._since: dict[str, float] = {}
        self.ticks = 0  # checks finished (tests wait on it)
        self._ticked = asyncio.Condition()

    async def schedule(self, poster: Poster) -> DailyConfig:
        name = poster.config.name
        if name not in self._since:
            since = await self.feeds.state(name, SINCE_KEY)
            if since is None:  # first seen now: today's slot is owed only if it is still to come
                since = str(self.clock().timestamp())
                await self.feeds.set_state(name, SINCE_KEY, since)
            self._since[name] = float(since)
        cfg = poster.config
        return DailyConfig(0, cfg.daily_time, cfg.timezone, self._since[name])

    async def tick(self) -> None:
        """Post every feed's slot that is due; one feed's failure never stops the others."""
        try:
            now, work = self.clock(), []
            for poster in self.posters:
                cfg = await self.schedule(poster)
                due = due_slot(cfg, now, self.catchup_s)
                if due is None:
                    self._log_missed(poster.config.name, cfg, now)
                    continue
                key = (poster.config.name, due.day)
                if key in self._busy or self._retry_at.get(key, now) > now:
                    continue
                work.append(self._guarded(poster, due.day))
            await asyncio.gather(*work)
        finally:
            async with self._ticked:
                self.ticks += 1
                self._ticked.notify_all()

    async def ticked(self, n: int) -> int:
        """Wait until `n` checks have finished, the posts they started included."""
        async with self._ticked:
            await self._ticked.wait_for(lambda: self.ticks >= n)
            return self.ticks

    async def _guarded(self, poster: Poster, day: date) -> None:
        key = (poster.config.name, day)
        try:
            await self.post(poster, day)
            self._retry_at.pop(key, None)
        except RateLimited as e:
            log.warning("feed %s: rate limited until %s; the daily post waits", key[0],
                        datetime.fromtimestamp(e.until, UTC).isoformat())  # fmt: skip
            self._retry_at[key] = self.clock() + timedelta(seconds=max(0.0, e.until - time.time()))
        except Exception as e:  # noqa: BLE001 - logged; the slot stays claimed and is retried
            log.error("feed %s: daily post for %s failed: %s", key[0], day, e, exc_info=e)
            self._retry_at[key] = self.clock() + timedelta(seconds=RETRY_S)

    async def post(self, poster: Poster, day: date) -> Posted | None:
        """Post `day`'s piece on this feed unless it is posted already; None if another task is
        posting it right now."""
        key = (poster.config.name, day)
        if key in self._busy:
            return None
        self._busy.add(key)
        try:
            return await self._post(poster, day)
        finally:
            self._busy.discard(key)

    async def _post(self, poster: Poster, day: date) -> Posted:
        name, iso = poster.config.name, day.isoformat()
        spec = PaintSpec(daily_recipe(day))
        slot = await self.feeds.slot(name, iso)
        if slot is not None and slot.status == "posted":
            return Posted(slot.post_id or "")
        claimed = slot is None and await self.feeds.claim_slot(name, iso)
        if slot is None:  # claimed now, or by another task between the two: read it
            slot = await self.feeds.slot(name, iso)
        assert slot is not None
        if not claimed:  # claimed before and never marked posted: a crash mid-post?
            if slot.status == "posted":
                return Posted(slot.post_id or "")
            found = await poster.find(format_code(spec.recipe), slot.claimed_at - 60)
            if found is not None:
                log.info("feed %s: the daily post for %s was already on the account", name, iso)
                await self.feeds.mark_slot_posted(name, iso, slot.render_id, found.id)
                return found
        job, adopted = await self.queue.submit_once(
            spec, Owner(feed_owner(name)), Priority.SCHEDULED, was=slot.render_id
        )
        if not adopted:
            await self.feeds.set_slot_render(name, iso, job.id)
        picture = (await job.outcome()).picture
        headline, key = daily_headline(day), daily_key(name, day)
        post = await asyncio.to_thread(
            draft, poster, picture, headline, key, slot.claimed_at, site=self.site
        )
        posted = await poster.post(post)
        await self.feeds.mark_slot_posted(name, iso, job.id, posted.id)
        await self.store.mark_delivered(job.id)
        log.info("feed %s: posted the piece of the day for %s (%s)", name, iso, posted.id)
        return posted

    def _log_missed(self, name: str, cfg: DailyConfig, now: datetime) -> None:
        day = missed_slot(cfg, now, self.catchup_s)
        if day is not None and (name, day) not in self._logged_missed:
            self._logged_missed.add((name, day))
            log.warning("feed %s: the daily post for %s was missed by more than %.0f h; skipped",
                        name, day, self.catchup_s / 3600)  # fmt: skip

    async def run(self, every_s: float) -> None:
        """Tick forever (until cancelled)."""
        while True:
            try:
                await self.tick()
            except Exception:  # the store hiccuped: log, keep going
                log.exception("feed daily loop tick failed")
            await asyncio.sleep(every_s)
