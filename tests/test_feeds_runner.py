"""`cppn-bot run` with feeds (issue 15): with no Discord token the feeds run alone; a mention is
answered through the real queue and pipeline; /healthz shows each feed's login and last post and
/metrics its gauges; a feed that cannot log in is reported, never fatal."""

from __future__ import annotations

import asyncio

import aiohttp
from fake_mastodon import TOKEN, FakeMastodon, account
from test_jobs_support import free_port
from waiting import until

from bot.discordbot.runner import serve
from bot.feeds.config import FeedConfig
from bot.pipeline import Pipeline
from bot.settings import Settings

CODE = "2-1a-s64x64q"  # tiny, no generated quote


async def test_the_feeds_run_alone_without_a_discord_token(tmp_path):
    fake = FakeMastodon(processing_polls=1)
    await fake.start()
    port = free_port()
    settings = Settings(
        db_path=str(tmp_path / "bot.db"), health_port=port, device="cpu", mention_poll_s=0.05,
        daily_check_s=0.1,
        feeds=(
            FeedConfig(name="art", service="mastodon", server=fake.url, secret=TOKEN),
            FeedConfig(name="gone", service="mastodon", server=fake.url, secret="revoked"),
        ),
    )  # fmt: skip
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, "", pipeline=Pipeline.create("cpu"), stop=stop))
    try:
        asked = fake.mention(account("7", "alice@else.example"), f"replay {CODE}")
        await until(lambda: fake.replies_to(asked["id"]), timeout=60)
        (reply,) = fake.replies_to(asked["id"])
        assert CODE in reply["text"] and len(reply["media_attachments"]) == 1
        health: dict = {}

        async def posted() -> bool:  # the feeds' state is read again every daily_check_s
            nonlocal health
            url = f"http://127.0.0.1:{port}/healthz"
            async with aiohttp.ClientSession() as http, http.get(url) as r:
                health = await r.json()
                assert r.status == 200  # a feed that cannot log in is detail, not ill health
            return health["feeds"]["art"]["last_post"] is not None

        await until(posted, timeout=30, every=0.05)
        url = f"http://127.0.0.1:{port}/metrics"
        async with aiohttp.ClientSession() as http, http.get(url) as r:
            metrics = await r.text()
        assert "gateway" not in health and health["queue"] and health["executor"]
        assert health["feeds"]["art"]["logged_in"] is True
        assert health["feeds"]["art"]["last_post"] is not None
        assert health["feeds"]["gone"] == {"service": "mastodon", "logged_in": False,
                                           "last_post": None}  # fmt: skip
        assert 'cppn_feed_logged_in{feed="art"} 1.0' in metrics
        assert 'cppn_feed_logged_in{feed="gone"} 0.0' in metrics
        assert 'cppn_feed_replies{feed="art"} 1.0' in metrics
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
        await fake.close()
