"""Painting on request: `@bot paint layers:16` mentions (and replay, animate, blend: VERBS in
bot/feeds/requests.py), each answered exactly once; an animation is answered with its MP4.

Each mention is claimed in SQLite before anything is done with it, so a mention seen twice (the
same notification again, a restart) is answered once. Mentions from accounts flagged as bots and
from the bot itself are ignored; a mention that asks for nothing (no verb) gets no
answer; bad options get one short reply naming what was wrong. The reply names only the person
who asked. A mention claimed but not answered before a crash is looked for among our replies on
the start after; its render, re-queued by the queue, is answered through on_done.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import asdict

from bot.cooldown import Cooldown
from bot.errors import BotError, UserError
from bot.feeds.content import error_reply, reply_headline
from bot.feeds.drafts import draft
from bot.feeds.image import is_video
from bot.feeds.poster import Account, Draft, Mention, Poster, RateLimited, feed_owner
from bot.feeds.requests import parse_request
from bot.jobs import Priority, RenderQueue
from bot.jobs.model import JobResult, Owner, QueuedJob
from bot.pipeline import Picture
from bot.store import Store
from bot.store.feeds import FeedStore, MentionRow

log = logging.getLogger(__name__)
CURSOR_KEY = "mentions-cursor"


def mention_key(feed: str, mention: str) -> str:
    return f"cppn-reply-{feed}-{mention}"


def to_row(m: Mention) -> dict:
    return asdict(m)


def from_row(row: MentionRow) -> Mention:
    d = dict(row.request)
    return Mention(**{**d, "author": Account(**d["author"])})


class MentionResponder:
    def __init__(
        self,
        store: Store,
        queue: RenderQueue,
        poster: Poster,
        cooldown_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        site: str = "",
    ) -> None:
        self.store, self.feeds, self.queue, self.poster = store, FeedStore(store), queue, poster
        self.site = site  # the web site's public address: replies link to the painting's page
        self.name = poster.config.name
        self.cooldown = Cooldown(cooldown_s, clock)
        self.paused_until = 0.0  # unix seconds: rate limited until then
        self.answered = 0  # replies posted by this process (metrics, tests)
        self._tasks: set[asyncio.Task] = set()

    async def poll(self) -> int:
        """Read new mentions and handle each; the number handled."""
        cursor = await self.feeds.state(self.name, CURSOR_KEY)
        mentions, after = await self.poster.mentions(cursor)
        for m in mentions:
            await self.handle(m)
        if after is not None and after != cursor:
            await self.feeds.set_state(self.name, CURSOR_KEY, after)
        return len(mentions)

    async def handle(self, m: Mention) -> None:
        me = self.poster.me
        if not await self.feeds.claim_mention(self.name, m.id, m.author.id, to_row(m)):
            return  # seen before: answered, ignored, or being answered
        if (me is not None and m.author.id == me.id) or m.author.bot:
            await self.feeds.finish_mention(self.name, m.id, None, "ignored")
            return
        try:
            # A seed nobody chose is re-drawn past dull pictures (small previews): off the loop.
            spec = await asyncio.to_thread(parse_request, m.text, self.poster.max_image_bytes,
                                           self.poster.max_video_bytes)  # fmt: skip
        except UserError as e:
            await self._reply_error(m, str(e))
            return
        if spec is None:  # a mention that asks for nothing: no answer
            await self.feeds.finish_mention(self.name, m.id, None, "ignored")
            return
        user = feed_owner(self.name, m.author.id)
        wait = self.cooldown.take(user)
        if wait:
            await self._reply_error(m, f"one painting every {self.cooldown.seconds:.0f} s; "
                                       f"try again in {wait:.0f} s")  # fmt: skip
            return
        try:
            job = await self.queue.submit(spec, Owner(user), Priority.INTERACTIVE)
        except UserError as e:  # the queue is full, two of theirs are waiting
            self.cooldown.give_back(user)
            await self._reply_error(m, str(e))
            return
        await self.feeds.set_mention_render(self.name, m.id, job.id)
        self._spawn(self._follow(m, job))

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _follow(self, m: Mention, job) -> None:
        try:
            picture = await job.result()
        except BotError as e:
            await self._guarded(self._reply_error(m, str(e)))
            return
        await self._guarded(self.answer(m, picture, job.id))

    async def _guarded(self, coro) -> None:
        try:
            await coro
        except Exception as e:  # noqa: BLE001 - logged; the claim stays open for the next start
            log.error("feed %s: replying to a mention failed: %s", self.name, e)

    async def answer(self, m: Mention, picture: Picture, render_id: str | None) -> None:
        """Reply with the picture, once."""
        row = await self.feeds.mention(self.name, m.id)
        if row is None or row.status != "claimed":
            return
        headline = reply_headline(m.author.handle, is_video(picture.mime))
        key = mention_key(self.name, m.id)
        try:
            post = await asyncio.to_thread(draft, self.poster, picture, headline, key,
                                           row.claimed_at, m, site=self.site)  # fmt: skip
        except UserError as e:  # an animation over the service's video limit: said, not dropped
            await self._reply_error(m, str(e))
            return
        await self._post(m, post, render_id)

    async def _reply_error(self, m: Mention, message: str) -> None:
        row = await self.feeds.mention(self.name, m.id)
        text = error_reply(m.author.handle, message, self.poster.limits)
        key = mention_key(self.name, m.id)
        at = row.claimed_at if row is not None else time.time()
        await self._post(m, Draft(text=text, key=key, reply_to=m, at=at), None)

    async def _post(self, m: Mention, post: Draft, render_id: str | None) -> None:
        posted = await self.poster.post(post)
        await self.feeds.finish_mention(self.name, m.id, posted.id)
        if render_id is not None:
            await self.store.mark_delivered(render_id)
        self.answered += 1
        log.info("feed %s: answered %s's mention (%s)", self.name, m.author.handle, posted.id)

    async def recover(self) -> None:
        """After a restart: mentions claimed but never answered are looked for among our
        replies; those with a render still queued wait for it (on_done); the rest are asked
        again (replay is exact)."""
        for row in await self.feeds.open_mentions(self.name):
            m = from_row(row)
            target = m.reply.get("status") or m.reply.get("uri")
            found = await self.poster.find(f"@{m.author.handle}", row.claimed_at - 60, target)
            if found is not None:
                await self.feeds.finish_mention(self.name, m.id, found.id)
                continue
            render = await self.store.get_render(row.render_id) if row.render_id else None
            if render is not None and render.status == "queued":
                continue  # re-queued by the queue's start: on_done answers it
            await self.feeds.forget_mention(self.name, m.id)
            await self.handle(m)

    async def on_done(self, request: QueuedJob, outcome: JobResult | BaseException) -> None:
        """A mention's render re-queued after a restart has finished: answer it."""
        row = await self.feeds.mention_by_render(request.id)
        if row is None or row.status != "claimed":
            return
        m = from_row(row)
        if isinstance(outcome, JobResult):
            await self._guarded(self.answer(m, outcome.picture, request.id))
        else:
            await self._guarded(self._reply_error(m, str(outcome)))

    async def run(self, every_s: float) -> None:
        """Poll forever (until cancelled); a rate limit is waited out."""
        while True:
            if time.time() >= self.paused_until:
                try:
                    await self.poll()
                except RateLimited as e:
                    self.paused_until = e.until
                    log.warning("feed %s: rate limited; mentions wait %.0f s", self.name,
                                e.until - time.time())  # fmt: skip
                except Exception as e:  # noqa: BLE001 - logged; the next poll tries again
                    log.error("feed %s: reading mentions failed: %s", self.name, e)
            await asyncio.sleep(every_s)

    async def stop(self) -> None:
        """Stop following renders (shutting down): their claims stay for the next start."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def idle(self) -> None:
        """Wait until every reply this responder started is done (tests)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
