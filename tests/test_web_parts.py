"""The web site's parts on their own: the disk cache (size bound, LRU, restart, crash leftovers),
the gallery's days, the feed posts' link to a painting's page, `cppn-bot web` serving and
stopping, the hook `cppn-bot run` uses, and that the site imports nothing of discord.py."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import date

import aiohttp
from feed_pictures import picture
from test_jobs_support import FakeQuotes
from waiting import until

from bot.art.code import format_code
from bot.art.recipe import Recipe
from bot.cli import build_parser
from bot.compose import Compositor
from bot.daily import daily_recipe
from bot.feeds import content
from bot.feeds.content import BLUESKY_LIMITS, MASTODON_LIMITS
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.web.cache import DiskCache
from bot.web.gallery import gallery_page
from bot.web.server import serve_web, start_beside

MB = 1024 * 1024


# --- the cache ---------------------------------------------------------------------------------
async def test_the_cache_keeps_under_its_bound_dropping_the_least_recently_used(tmp_path):
    cache = await DiskCache.open(tmp_path, 3 * MB, hot_bytes=MB)
    for name in "abc":
        await cache.put(name, bytes([ord(name)]) * MB, "image/png", {"n": name})
    assert cache.get("a") is not None  # a is now the most recently used
    await cache.put("d", b"d" * MB, "image/png")
    assert "b" not in cache and {"a", "c", "d"} <= {k for k in "abcd" if k in cache}
    assert cache.bytes <= 3 * MB and cache.evictions == 1
    assert await cache.read(cache.get("a")) == b"a" * MB  # type: ignore[arg-type]
    assert len(list(tmp_path.glob("*/*.bin"))) == 3  # b's files are gone from the disk too
    await cache.close()


async def test_the_cache_survives_a_restart_and_cleans_up_after_a_crash(tmp_path):
    cache = await DiskCache.open(tmp_path, 10 * MB)
    entry = await cache.put("x.png", b"picture", "image/png", {"quote": "q"})
    await cache.close()
    (tmp_path / "ab").mkdir(exist_ok=True)
    (tmp_path / "ab" / "half.bin.123.tmp").write_bytes(b"cut short")
    (tmp_path / "ab" / "orphan.bin").write_bytes(b"no sidecar")
    again = await DiskCache.open(tmp_path, 10 * MB)
    got = again.get("x.png")
    assert got == entry and got.meta == {"quote": "q"}  # type: ignore[union-attr]
    assert await again.read(got) == b"picture"  # type: ignore[arg-type]
    assert not (tmp_path / "ab" / "half.bin.123.tmp").exists()
    assert not (tmp_path / "ab" / "orphan.bin").exists()
    smaller = await DiskCache.open(tmp_path, 3)  # a lower bound applies at once
    assert len(smaller) == 0 and not list(tmp_path.glob("*/*.json"))


async def test_an_evicted_file_reads_as_none_not_an_error(tmp_path):
    cache = await DiskCache.open(tmp_path, 10 * MB, hot_bytes=0)
    entry = await cache.put("k", b"bytes", "image/png")
    for path in tmp_path.glob("*/*"):
        path.unlink()
    assert await cache.read(entry) is None and "k" not in cache


# --- the gallery's days ------------------------------------------------------------------------
def test_gallery_pages_run_from_the_newest_day_back_to_the_first_posted():
    today = date(2026, 12, 3)
    fresh = gallery_page(today, None, 1, per_page=12)
    assert fresh is not None and fresh.pages == 1 and len(fresh.days) == 12
    assert fresh.days[0].day == today and fresh.days[0].recipe == daily_recipe(today)
    posted = (date(2026, 11, 1), date(2026, 12, 4))  # a server east of UTC is a day ahead
    first = gallery_page(today, posted, 1, per_page=12)
    last = gallery_page(today, posted, 3, per_page=12)
    assert first.days[0].day == date(2026, 12, 4) and first.pages == 3  # type: ignore[union-attr]
    assert last.days[-1].day == date(2026, 11, 1) and len(last.days) == 10  # type: ignore[union-attr]
    assert gallery_page(today, posted, 4) is None and gallery_page(today, posted, 0) is None


# --- the feeds link to the page ------------------------------------------------------------------
def test_a_feed_post_links_to_the_paintings_page_and_never_cuts_it():
    p = picture()
    link = f"https://art.example.org/p/{p.code}"
    text = content.post_text("Piece of the day", p, ("cppn",), MASTODON_LIMITS, link)
    assert f"Replay code: {p.code}\n{link}" in text
    facets = [f for f in content.facets(text) if f.kind == "link"]
    assert [f.value for f in facets] == [link]  # Bluesky makes it a link facet
    long = picture(quote="word " * 200)
    fitted = content.post_text("Piece of the day", long, ("cppn",), BLUESKY_LIMITS, link)
    assert link in fitted and content.length(fitted, BLUESKY_LIMITS) <= BLUESKY_LIMITS.max_text
    plain = content.post_text("Piece of the day", p, ("cppn",), MASTODON_LIMITS)
    assert "https://" not in plain  # no public address: no link


# --- serving -----------------------------------------------------------------------------------
async def test_cppn_bot_web_serves_until_stopped(tmp_path, renderer):
    assert build_parser().parse_args(["web", "--port", "0"]).func.__name__ == "_cmd_web"
    settings = Settings(
        web_port=0, web_cache_dir=str(tmp_path / "cache"), db_path=str(tmp_path / "bot.db")
    )
    stop = asyncio.Event()
    pipeline = Pipeline(renderer, Compositor(), FakeQuotes())
    ports: list[int] = []
    running = asyncio.create_task(
        serve_web(settings, pipeline=pipeline, stop=stop, ready=lambda s: ports.append(s.port))
    )
    try:
        await until(lambda: ports or running.done())
        code = format_code(Recipe(seed=3, layers=2, width=8, w=40, h=40))
        url = f"http://127.0.0.1:{ports[0]}/p/{code}.png"
        async with aiohttp.ClientSession() as session, session.get(url) as resp:
            assert resp.status == 200 and resp.content_type == "image/png"
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
    assert list((tmp_path / "cache").glob("*/*.json"))  # the picture stayed in the cache


async def test_a_queue_not_running_is_a_503(tmp_path, renderer):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.jobs import create_queue
    from bot.web.app import Site, create_app
    from bot.web.renders import Renders

    queue = create_queue(Settings(), pipeline=Pipeline(renderer, Compositor(), FakeQuotes()))
    cache = await DiskCache.open(tmp_path, MB)
    async with TestClient(TestServer(create_app(Site(Renders(queue, cache), None)))) as client:
        resp = await client.get(f"/p/{format_code(Recipe(seed=1, w=32, h=32))}.png")
        assert resp.status == 503 and "Retry-After" in resp.headers


async def test_beside_the_bot_only_when_enabled(tmp_path):
    assert await start_beside(Settings(), queue=None, store=None) is None  # type: ignore[arg-type]


def test_the_site_imports_nothing_of_discord_py():
    code = (
        "import sys, bot.web.server, bot.web.app, bot.web.commands; "
        "print(sorted(m for m in sys.modules if m == 'discord' or m.startswith('discord.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
