"""The daily post: each server's piece of the day, posted exactly once per slot.

Exactly once, across restarts and crashes: the slot is claimed in SQLite before anything is
posted; the message goes out with a nonce derived from the slot (Discord drops a repeated send);
its id is recorded. A slot found claimed but never marked posted (a crash mid-post) is first
looked for in the channel, and only posted if it is not there. Slots missed while the bot was
down are posted late within the catch-up window, then skipped with a log line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from bot.daily import daily_recipe
from bot.jobs import Owner, Priority, RenderQueue
from bot.pipeline import PaintSpec, Picture
from bot.schedule import SETTING_KEY, DailyConfig, due_slot, missed_slot
from bot.store import Store

log = logging.getLogger(__name__)
RETRY_S = 300.0  # a slot whose post failed is tried again after this long


class Publisher(Protocol):
    """Where daily posts go (the Discord adapter; a fake in tests)."""

    async def send(self, guild: int, channel: int, day: date, finished: Picture) -> int:
        """Post the piece; return the message id."""
        ...

    async def find(self, guild: int, channel: int, day: date, after: float) -> int | None:
        """The id of this day's post if it is already in the channel (posted after `after`)."""
        ...


class DailyPoster:
    def __init__(
        self,
        store: Store,
        queue: RenderQueue,
        publisher: Publisher,
        catchup_s: float = 12 * 3600,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store, self.queue, self.publisher = store, queue, publisher
        self.catchup_s, self.clock = catchup_s, clock
        self._busy: set[tuple[int, date]] = set()
        self._retry_at: dict[tuple[int, date], datetime] = {}
        self._logged_missed: set[tuple[int, date]] = set()
        self.ticks = 0  # checks finished, failed ones included (tests wait on it: ticked())
        self._ticked = asyncio.Condition()

    async def configs(self) -> dict[int, DailyConfig]:
        out = {}
        for guild, raw in (await self.store.guilds_with(SETTING_KEY)).items():
            try:
                out[guild] = DailyConfig.from_dict(raw)  # type: ignore[arg-type]
            except (KeyError, TypeError, ValueError) as e:
                log.error("guild %s has an unreadable daily setting (%s); skipped", guild, e)
        return out

    async def tick(self) -> None:
        """Post every slot that is due. One guild's failure never stops the others."""
        try:
            await self._tick()
        except Exception:
            await self._count_tick()
            raise
        await self._count_tick()

    async def ticked(self, n: int) -> int:
        """Wait until `n` checks have finished, every post they started included (a cancelled
        one does not count): after it, a post those checks did not make was not made.
        Returns the number of checks finished so far."""
        async with self._ticked:
            await self._ticked.wait_for(lambda: self.ticks >= n)
            return self.ticks

    async def _count_tick(self) -> None:
        async with self._ticked:
            self.ticks += 1
            self._ticked.notify_all()

    async def _tick(self) -> None:
        now = self.clock()
        work = []
        for guild, cfg in (await self.configs()).items():
            due = due_slot(cfg, now, self.catchup_s)
            if due is None:
                self._log_missed(guild, cfg, now)
                continue
            key = (guild, due.day)
            if key in self._busy or self._retry_at.get(key, now) > now:
                continue
            work.append(self._guarded(guild, cfg, due.day))
        if work:
            await asyncio.gather(*work)

    async def post(self, guild: int, cfg: DailyConfig, day: date) -> int | None:
        """Post `day`'s piece for this guild unless already posted; the message id, or None
        when another task is posting it right now."""
        key = (guild, day)
        if key in self._busy:
            return None
        self._busy.add(key)
        try:
            return await self._post(guild, cfg, day)
        finally:
            self._busy.discard(key)

    async def _guarded(self, guild: int, cfg: DailyConfig, day: date) -> None:
        try:
            await self.post(guild, cfg, day)
            self._retry_at.pop((guild, day), None)
        except Exception as e:  # noqa: BLE001 - logged; the slot stays claimed and is retried
            log.error("daily post for guild %s, %s failed: %s", guild, day, e, exc_info=e)
            self._retry_at[(guild, day)] = self.clock() + timedelta(seconds=RETRY_S)

    async def _post(self, guild: int, cfg: DailyConfig, day: date) -> int:
        iso = day.isoformat()
        slot = await self.store.slot(guild, iso)
        if slot is not None and slot.status == "posted":
            return slot.message or 0
        if slot is None and not await self.store.claim_slot(guild, iso):
            slot = await self.store.slot(guild, iso)  # claimed between the two: look again
        if slot is not None:  # claimed before and never marked posted: a crash mid-post?
            if slot.status == "posted":
                return slot.message or 0
            found = await self.publisher.find(guild, cfg.channel, day, slot.claimed_at)
            if found is not None:
                log.info("daily post for guild %s, %s was already in the channel", guild, iso)
                await self.store.mark_slot_posted(guild, iso, slot.render_id, found)
                return found
        # A render of this piece cut short by a crash was re-queued by the queue's start: follow
        # it rather than paint the piece twice. Scheduled jobs count against no one's cap.
        spec, owner = PaintSpec(daily_recipe(day)), Owner(guild, guild, cfg.channel)
        job, adopted = await self.queue.submit_once(
            spec, owner, Priority.SCHEDULED, was=slot.render_id if slot is not None else None
        )
        if not adopted:
            await self.store.set_slot_render(guild, iso, job.id)
        else:
            log.info("daily post for guild %s, %s: following its render %s from before a restart",
                     guild, iso, job.id)  # fmt: skip
        done = await job.outcome()
        message = await self.publisher.send(guild, cfg.channel, day, done.picture)
        await self.store.mark_slot_posted(guild, iso, job.id, message)
        await self.store.mark_delivered(job.id, cfg.channel, message)
        log.info("posted the daily piece for guild %s, %s (message %s)", guild, iso, message)
        return message

    def _log_missed(self, guild: int, cfg: DailyConfig, now: datetime) -> None:
        day = missed_slot(cfg, now, self.catchup_s)
        if day is not None and (guild, day) not in self._logged_missed:
            self._logged_missed.add((guild, day))
            log.warning(
                "daily post for guild %s, %s was missed by more than %.0f h; skipped",
                guild, day, self.catchup_s / 3600,
            )  # fmt: skip

    async def run(self, every_s: float) -> None:
        """Tick forever (until cancelled)."""
        while True:
            try:
                await self.tick()
            except Exception:  # the store hiccuped: log, keep going
                log.exception("daily loop tick failed")
            await asyncio.sleep(every_s)
