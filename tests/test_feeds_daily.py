"""The piece of the day on Mastodon and Bluesky (issue 15): the real Mastodon.py and atproto
clients against loopback fakes; a real Store and RenderQueue; a hand-driven clock. A "crash" is
the posting task cancelled while the service holds a request it has acted on, then a new store,
queue and posters on the same database file, as a restarted process has."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from fake_bluesky import APP_PASSWORD, HANDLE, FakeBluesky
from fake_mastodon import TOKEN, FakeMastodon
from feed_pictures import PaintingBackend
from waiting import until

from bot.art.code import format_code
from bot.daily import daily_recipe
from bot.feeds.bluesky import BlueskyPoster
from bot.feeds.config import FeedConfig
from bot.feeds.daily import FeedDaily
from bot.feeds.mastodon import MastodonPoster
from bot.jobs import RenderQueue
from bot.store import Store
from bot.store.feeds import FeedStore

DAY = date(2026, 5, 1)
BEFORE = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)  # before either feed's slot
PARIS_SLOT = datetime(2026, 5, 1, 7, 0, tzinfo=UTC)  # 09:00 in Paris (CEST)
NEW_YORK_SLOT = datetime(2026, 5, 1, 13, 0, tzinfo=UTC)  # 09:00 in New York (EDT)
CODE = format_code(daily_recipe(DAY))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Process:
    """What one run of the bot holds: its store, queue, posters and daily poster."""

    store: Store
    queue: RenderQueue
    posters: list
    daily: FeedDaily

    async def stop(self) -> None:
        for p in self.posters:
            await p.close()
        await self.queue.close()
        await self.store.close()


@pytest.fixture
async def services():
    masto, sky = FakeMastodon(processing_polls=1), FakeBluesky()
    await masto.start()
    await sky.start()
    yield masto, sky
    await masto.close()
    await sky.close()


def configs(masto: FakeMastodon, sky: FakeBluesky) -> list[FeedConfig]:
    return [
        FeedConfig(
            name="art",
            service="mastodon",
            server=masto.url,
            secret=TOKEN,
            daily_time="09:00",
            timezone="Europe/Paris",
        ),  # fmt: skip
        FeedConfig(
            name="sky",
            service="bluesky",
            server=sky.url,
            handle=HANDLE,
            secret=APP_PASSWORD,
            daily_time="09:00",
            timezone="America/New_York",
        ),  # fmt: skip
    ]


async def start(path, cfgs: list[FeedConfig], clock: Clock, started: bool = True) -> Process:
    store = await Store.open(path)
    queue = RenderQueue(PaintingBackend(), store=store)
    await queue.start()
    state = FeedStore(store)
    posters = [
        MastodonPoster(c, media_poll_s=0.01) if c.service == "mastodon" else BlueskyPoster(c, state)
        for c in cfgs
    ]
    if started:
        for p in posters:
            await p.start()
    return Process(store, queue, posters, FeedDaily(store, queue, posters, clock=clock))


async def first_seen_before_the_slots(proc: Process, clock: Clock) -> None:
    """The feeds are set up before the day's slots (a slot before that is not owed)."""
    clock.now = BEFORE
    await proc.daily.tick()


async def test_each_feed_posts_once_at_its_own_local_time(services, tmp_path):
    masto, sky = services
    clock = Clock(BEFORE)
    proc = await start(tmp_path / "bot.db", configs(masto, sky), clock)
    await first_seen_before_the_slots(proc, clock)
    assert masto.statuses == [] and sky.records == {}
    clock.now = PARIS_SLOT + timedelta(minutes=1)
    await proc.daily.tick()
    assert len(masto.statuses) == 1 and sky.records == {}  # New York's 09:00 is still to come
    clock.now = NEW_YORK_SLOT + timedelta(minutes=1)
    await proc.daily.tick()
    await proc.daily.tick()
    assert len(masto.statuses) == 1 and len(sky.records) == 1
    status, (record,) = masto.statuses[0], [r["record"] for r in sky.records.values()]
    assert CODE in status["text"] and CODE in record["text"]
    assert (
        status["visibility"] == "unlisted"
        and status["idempotency_key"] == "cppn-daily-art-2026-05-01"
    )
    assert status["media_attachments"][0]["description"].startswith("An abstract picture")
    media = status["media_attachments"][0]["id"]  # answered 202, then polled until ready
    assert masto.count("POST", "/api/v2/media", 202) == 1
    assert masto.count("GET", f"/api/v1/media/{media}", 206) == 1
    assert masto.count("GET", f"/api/v1/media/{media}", 200) == 1
    image = record["embed"]["images"][0]
    assert image["aspectRatio"] == {
        "width": 128,
        "height": 72,
        "$type": "app.bsky.embed.defs#aspectRatio",
    }
    assert image["alt"].startswith("An abstract picture")
    assert [f["features"][0]["tag"] for f in record["facets"]] == ["generativeart", "cppn"]
    assert (await FeedStore(proc.store).slot("art", "2026-05-01")).status == "posted"
    await proc.stop()


@pytest.mark.parametrize(
    ("feed", "held"),
    [
        ("art", "/api/v2/media"),  # Mastodon: the image is up, the status not posted
        ("art", "/api/v1/statuses"),  # Mastodon: posted, the answer never came back
        ("sky", "/xrpc/com.atproto.repo.uploadBlob"),
        ("sky", "/xrpc/com.atproto.repo.createRecord"),
    ],
)
async def test_a_crash_mid_post_still_posts_exactly_once(services, tmp_path, feed, held):
    masto, sky = services
    fake = masto if feed == "art" else sky
    cfgs = [c for c in configs(masto, sky) if c.name == feed]
    clock = Clock(BEFORE)
    proc = await start(tmp_path / "bot.db", cfgs, clock)
    await first_seen_before_the_slots(proc, clock)
    clock.now = NEW_YORK_SLOT + timedelta(minutes=5)  # both slots due
    fake.hold.add(held)
    ticking = asyncio.create_task(proc.daily.tick())
    await asyncio.wait_for(fake.holding.wait(), 15)
    ticking.cancel()  # the process dies here
    await asyncio.gather(ticking, return_exceptions=True)
    await proc.queue.close()
    await proc.store.close()

    again = await start(tmp_path / "bot.db", cfgs, clock)
    await again.daily.tick()
    posts = masto.statuses if feed == "art" else list(sky.records.values())
    assert len(posts) == 1
    slot = await FeedStore(again.store).slot(feed, "2026-05-01")
    assert slot.status == "posted"
    await again.daily.tick()  # and never again
    assert len(masto.statuses if feed == "art" else sky.records) == 1
    assert sky.sessions == (0 if feed == "art" else 1)  # the restart restored the session
    fake.release.set()
    await again.stop()


@pytest.mark.parametrize("feed", ["art", "sky"])
async def test_a_429_is_waited_out_until_the_reset_it_names(services, tmp_path, feed, caplog):
    masto, sky = services
    fake = masto if feed == "art" else sky
    path = "/api/v1/statuses" if feed == "art" else "/xrpc/com.atproto.repo.createRecord"
    cfgs = [c for c in configs(masto, sky) if c.name == feed]
    clock = Clock(BEFORE)
    proc = await start(tmp_path / "bot.db", cfgs, clock)
    await first_seen_before_the_slots(proc, clock)
    clock.now = NEW_YORK_SLOT + timedelta(minutes=5)
    fake.limit_next[path] = 30.0
    with caplog.at_level(logging.WARNING, "bot.feeds.daily"):
        await proc.daily.tick()
    assert fake.count("POST", path, 429) == 1 and fake.count("POST", path, 200) == 0
    assert "rate limited until" in caplog.text
    clock.now += timedelta(seconds=20)  # before the reset: nothing is asked
    await proc.daily.tick()
    assert fake.count("POST", path) == 1
    clock.now += timedelta(seconds=15)  # past it
    await proc.daily.tick()
    assert fake.count("POST", path, 200) == 1
    await proc.stop()


async def test_one_failing_feed_never_stops_the_others(services, tmp_path, caplog):
    masto, sky = services
    clock = Clock(BEFORE)
    proc = await start(tmp_path / "bot.db", configs(masto, sky), clock, started=False)
    await proc.posters[1].start()  # Bluesky logs in; Mastodon never does: its posts fail
    await first_seen_before_the_slots(proc, clock)
    clock.now = NEW_YORK_SLOT + timedelta(minutes=5)
    with caplog.at_level(logging.ERROR, "bot.feeds.daily"):
        await proc.daily.tick()
    assert len(sky.records) == 1 and masto.statuses == []
    assert "feed art: daily post for 2026-05-01 failed" in caplog.text
    await proc.posters[0].start()
    clock.now += timedelta(minutes=6)  # after the retry delay
    await proc.daily.tick()
    assert len(masto.statuses) == 1 and len(sky.records) == 1
    await proc.stop()


async def test_a_slot_missed_by_more_than_the_catchup_window_is_skipped_with_one_line(
    services, tmp_path, caplog
):
    masto, sky = services
    clock = Clock(BEFORE)
    cfgs = configs(masto, sky)[:1]
    proc = await start(tmp_path / "bot.db", cfgs, clock)
    await first_seen_before_the_slots(proc, clock)
    clock.now = PARIS_SLOT + timedelta(hours=13)  # down all day
    with caplog.at_level(logging.WARNING, "bot.feeds.daily"):
        await proc.daily.tick()
        await proc.daily.tick()
    assert masto.statuses == []
    assert caplog.text.count("was missed by more than 12 h; skipped") == 1
    clock.now = PARIS_SLOT + timedelta(hours=11)  # within the window (a restart): posted late
    await proc.daily.tick()
    await until(lambda: len(masto.statuses) == 1)
    await proc.stop()
