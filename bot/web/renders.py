"""The site's pictures: from the cache, else painted once through the render queue.

Single flight: every request for one file (a code at a size, in a format) while it is being made
waits on the same task, so a hundred people opening a new link cost one render. A WebP or JPEG
is made from the PNG (painted first if need be) in a thread. The site's jobs are the queue's
BACKGROUND work under one owner (a person on Discord, then the daily post, go first; the queue's
fair share treats the site as one user), at most `max_renders` at once: past that, or past the
queue's own cap, a request is refused with Busy (the site answers 503 with Retry-After), never
piled up. A task outlives the request that started it: a visitor who leaves does not waste a
render someone else is waiting for, and the result lands in the cache either way.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable

from PIL import Image

from bot.art.code import format_code
from bot.art.recipe import Recipe
from bot.compose.encode import (
    DISCORD_DEFAULT_LIMIT,
    jpeg,
    webp,
)  # the bot's own lossy encoders, metadata included
from bot.errors import BotError, QueueClosed, QueueFull
from bot.feeds.alt import alt_text
from bot.feeds.content import TextLimits
from bot.forms import Form
from bot.jobs import Owner, Priority, RenderQueue
from bot.pipeline import PaintSpec, Picture
from bot.web.cache import DiskCache, Entry
from bot.web.links import ANIMATION, FORMATS

log = logging.getLogger(__name__)
WEB_OWNER = Owner(user=0)  # no Discord id is 0, and feeds' owners are negative
WHOLE = 1 << 40  # the site keeps every PNG whole (no byte limit: no lossy fallback)
ALT_LIMITS = TextLimits(max_text=0, graphemes=False, max_alt=1000)
RETRY_AFTER_S = 10  # what a refused request is told to wait (a default render is ~1 s on a CPU)


class Busy(BotError):
    """The site has as many paintings in the queue as it may, or the queue is full."""

    def __init__(self, why: str, retry_after: int = RETRY_AFTER_S) -> None:
        super().__init__(why)
        self.retry_after = retry_after


def cache_key(recipe: Recipe, ext: str) -> str:
    """One key per file: the painted recipe's code (its size included) and the format."""
    return f"{format_code(recipe)}.{ext}"


class Renders:
    def __init__(self, queue: RenderQueue, cache: DiskCache, max_renders: int = 16) -> None:
        self.queue, self.cache, self.max_renders = queue, cache, max_renders
        self._flights: dict[str, asyncio.Task[Entry]] = {}
        self._painting = 0  # PNG flights: one queue job each
        self._convert = asyncio.Semaphore(1)  # WebP/JPEG encodes beside the executor's threads
        self.painted = 0  # queue jobs finished for the site (the benchmark counts them)

    async def picture(self, recipe: Recipe, ext: str = "png") -> Entry:
        """The entry of `recipe` painted as `ext`: cached, joined in flight, or started (Busy
        past the caps). Cancelling the caller leaves the work going."""
        if ext not in FORMATS and ext != ANIMATION:
            raise ValueError(f"unknown format {ext!r}")
        key = cache_key(recipe, ext)
        entry = self.cache.get(key)
        if entry is not None:
            return entry
        flight = self._flights.get(key)
        if flight is None:
            if ext == ANIMATION:  # a loop: one queue job of its own, like a PNG
                flight = self._fly(key, self._paint(key, recipe, Form.loop()), painting=True)
            elif ext == "png":
                flight = self._fly(key, self._paint(key, recipe), painting=True)
            else:
                source = self._source(recipe)  # Busy now, not inside the task
                flight = self._fly(key, self._encode(key, recipe, ext, source))
        return await asyncio.shield(flight)

    async def data(self, recipe: Recipe, ext: str = "png") -> tuple[Entry, bytes]:
        """The entry and its bytes (painted again if the cache dropped it meanwhile)."""
        for _ in range(3):
            entry = await self.picture(recipe, ext)
            data = await self.cache.read(entry)
            if data is not None:
                return entry, data
        raise BotError("the picture keeps leaving the cache: is it too small for one picture?")

    def in_flight(self) -> int:
        return self._painting

    def _source(self, recipe: Recipe) -> Awaitable[Entry]:
        """The PNG a WebP or JPEG is made from: cached, in flight, or started here."""
        key = cache_key(recipe, "png")
        entry = self.cache.get(key)
        if entry is not None:
            return _ready(entry)
        flight = self._flights.get(key) or self._fly(key, self._paint(key, recipe), painting=True)
        return asyncio.shield(flight)

    def _fly(self, key: str, work: Awaitable[Entry], *, painting: bool = False) -> asyncio.Task:
        if painting and self._painting >= self.max_renders:
            work.close()  # type: ignore[attr-defined]
            raise Busy(f"the site is painting {self._painting} pictures already")
        task = asyncio.get_running_loop().create_task(work, name=f"web {key}")  # type: ignore[arg-type]
        self._flights[key] = task
        self._painting += painting

        def landed(t: asyncio.Task) -> None:
            self._flights.pop(key, None)
            self._painting -= painting
            if not t.cancelled() and t.exception() is not None:
                log.debug("web: %s failed: %s", key, t.exception())

        task.add_done_callback(landed)
        return task

    async def _paint(self, key: str, recipe: Recipe, form: Form | None = None) -> Entry:
        # A loop is held to Discord's upload limit like the bot's own (its size fallback).
        limit = WHOLE if form is None else DISCORD_DEFAULT_LIMIT
        spec = PaintSpec(recipe, byte_limit=limit, form=form or Form())
        try:
            handle, _ = await self.queue.submit_once(spec, WEB_OWNER, Priority.BACKGROUND)
        except QueueFull as e:
            raise Busy(str(e)) from None
        except QueueClosed:  # the bot is starting or shutting down
            raise Busy("the painter is starting or restarting") from None
        picture = await handle.result()
        self.painted += 1
        meta = (
            await asyncio.to_thread(describe, picture) if form is None else {"code": picture.code}
        )
        return await self.cache.put(key, picture.data, picture.mime, meta)

    async def _encode(self, key: str, recipe: Recipe, ext: str, source: Awaitable[Entry]) -> Entry:
        png = await source
        data = await self.cache.read(png)
        if data is None:  # evicted between the two lines: paint it again
            data = (await self.data(recipe, "png"))[1]
        async with self._convert:
            out = await asyncio.to_thread(convert, data, ext)
        return await self.cache.put(key, out, FORMATS[ext], png.meta)


async def _ready(entry: Entry) -> Entry:
    return entry


def describe(p: Picture) -> dict:
    """What a page shows of a painted picture (kept beside it in the cache)."""
    return {
        "code": p.code, "width": p.width, "height": p.height, "quote": p.quote,
        "attribution": p.attribution, "placement": p.placement,
        "alt": alt_text(p, ALT_LIMITS),
    }  # fmt: skip


def convert(png: bytes, ext: str) -> bytes:
    """The PNG as WebP or JPEG (quality 90), its text chunks (the replay code) carried over."""
    img = Image.open(io.BytesIO(png))
    img.load()
    meta = {k: v for k, v in getattr(img, "text", {}).items() if isinstance(v, str)}
    rgb = img.convert("RGB")
    return webp(rgb, meta) if ext == "webp" else jpeg(rgb, meta)
