"""The daily post, exactly once per slot: a real Store and RenderQueue, a backend that "renders"
instantly, a fake channel, and a hand-driven clock. Restarts and crashes are replayed on the store.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from waiting import until

from bot.art.code import format_code
from bot.daily import daily_recipe
from bot.discordbot.daily import RETRY_S, DailyPoster
from bot.jobs import Owner, Priority, RenderQueue
from bot.jobs.model import JobResult, QueuedJob
from bot.pipeline import PaintSpec, Picture
from bot.schedule import SETTING_KEY, DailyConfig
from bot.store import Store

DAILY_LOG = "bot.discordbot.daily"
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC).timestamp()
SLOT = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)  # 09:00 UTC
DAY = date(2026, 5, 1)
A, B = 111, 222  # guilds
CH = {A: 1001, B: 2002}  # their channels


# --- fakes ---------------------------------------------------------------------------------------
class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


class InstantBackend:
    """A render backend that finishes every job at once with a tiny fake picture."""

    def __init__(self) -> None:
        self.requests: list[QueuedJob] = []
        self.deliver = None

    async def start(self, deliver) -> None:
        self.deliver = deliver

    async def enqueue(self, req: QueuedJob) -> None:
        self.requests.append(req)
        r = req.spec.recipe
        picture = Picture(
            data=b"\x89PNG fake",
            mime="image/png",
            width=r.w,
            height=r.h,
            recipe=r,
            quote="A quote.",
            attribution="Someone",
            quote_engine="neural",
            note="",
            placement="bottom",
        )
        done = JobResult(
            picture=picture, device="fake", versions={"bot": "test"}, batch=1, wait_s=0.0
        )
        asyncio.get_running_loop().call_soon(self.deliver, req.id, done)

    async def cancel(self, job_id: str) -> bool:
        return False

    async def waiting(self) -> list[str]:
        return []

    async def close(self) -> None:
        pass


@dataclass(frozen=True)
class Message:
    guild: int
    channel: int
    day: date
    code: str
    id: int


class FakeChannels:
    """What is in the channels: it outlives a Publisher, as Discord outlives the bot."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._next_id = 5000

    def add(self, guild: int, channel: int, day: date, code: str) -> Message:
        self._next_id += 1
        m = Message(guild, channel, day, code, self._next_id)
        self.messages.append(m)
        return m


class FakePublisher:
    """Records sends; `fail` makes sends for a guild raise; `lose_reply` makes a send reach the
    channel but raise anyway (the reply was lost); `gate` holds sends until it is set."""

    def __init__(self, channels: FakeChannels) -> None:
        self.channels = channels
        self.sends: list[Message] = []  # sends that reached the channel
        self.attempts: list[int] = []  # guild of every send attempt
        self.finds: list[tuple[int, int, date, float]] = []
        self.fail: set[int] = set()
        self.lose_reply: set[int] = set()
        self.gate: asyncio.Event | None = None

    async def send(self, guild: int, channel: int, day: date, finished: Picture) -> int:
        self.attempts.append(guild)
        if self.gate is not None:
            await self.gate.wait()
        if guild in self.fail:
            raise ConnectionError("Discord is down")
        m = self.channels.add(guild, channel, day, finished.code)
        self.sends.append(m)
        if guild in self.lose_reply:
            raise TimeoutError("the reply never came")
        return m.id

    async def find(self, guild: int, channel: int, day: date, after: float) -> int | None:
        self.finds.append((guild, channel, day, after))
        for m in self.channels.messages:
            if (m.guild, m.channel, m.day) == (guild, channel, day):
                return m.id
        return None


@dataclass
class Env:
    store: Store
    queue: RenderQueue
    backend: InstantBackend
    channels: FakeChannels
    publisher: FakePublisher
    clock: Clock

    def poster(self, **kw) -> DailyPoster:
        return DailyPoster(self.store, self.queue, self.publisher, clock=self.clock, **kw)

    async def configure(self, guild: int, at: str = "09:00", tz: str = "UTC",
                        since: float = LONG_AGO) -> DailyConfig:  # fmt: skip
        cfg = DailyConfig.create(CH[guild], at, tz, since)
        await self.store.set_guild_setting(guild, SETTING_KEY, cfg.to_dict())
        return cfg

    def sent_to(self, guild: int) -> list[Message]:
        return [m for m in self.publisher.sends if m.guild == guild]


async def start_queue(store: Store) -> tuple[RenderQueue, InstantBackend]:
    backend = InstantBackend()
    queue = RenderQueue(backend, store=store)
    await queue.start()
    return queue, backend


@pytest.fixture
async def env(tmp_path):
    store = await Store.open(tmp_path / "db")
    queue, backend = await start_queue(store)
    channels = FakeChannels()
    e = Env(store, queue, backend, channels, FakePublisher(channels),
            Clock(SLOT + timedelta(minutes=1)))  # fmt: skip
    yield e
    await e.queue.close()
    await e.store.close()


async def ticks(poster: DailyPoster, clock: Clock, n: int, **step: float) -> None:
    for _ in range(n):
        await poster.tick()
        clock.advance(**step)


# --- exactly once --------------------------------------------------------------------------------
async def test_a_due_slot_is_posted_exactly_once_over_many_ticks(env):
    await env.configure(A)
    env.clock.now = SLOT - timedelta(hours=1)
    poster = env.poster()
    await ticks(poster, env.clock, 6 * 14, minutes=10)  # 14 hours, a tick every ten minutes
    assert len(env.publisher.sends) == 1
    m = env.publisher.sends[0]
    assert (m.guild, m.channel, m.day) == (A, CH[A], DAY)
    assert m.code == format_code(daily_recipe(DAY))  # the piece of that day
    slot = await env.store.slot(A, DAY.isoformat())
    assert (slot.status, slot.message) == ("posted", m.id)
    # The render behind it is recorded, delivered, and ran at the scheduled priority.
    (req,) = env.backend.requests
    assert slot.render_id == req.id
    assert req.priority == Priority.SCHEDULED
    assert (req.owner.user, req.owner.guild, req.owner.channel) == (A, A, CH[A])
    row = await env.store.get_render(req.id)
    assert (row.status, row.channel, row.message) == ("done", CH[A], m.id)
    assert row.delivered_at is not None


async def test_nothing_is_posted_before_the_slot(env):
    await env.configure(A, since=(SLOT - timedelta(hours=2)).timestamp())
    env.clock.now = SLOT - timedelta(hours=1)
    await ticks(env.poster(), env.clock, 6, minutes=9)  # up to 08:54
    assert env.publisher.attempts == []
    assert await env.store.slot(A, DAY.isoformat()) is None


async def test_the_next_day_is_posted_too(env):
    await env.configure(A)
    poster = env.poster()
    await ticks(poster, env.clock, 2 * 24, hours=1)
    assert [m.day for m in env.publisher.sends] == [DAY, DAY + timedelta(days=1)]
    assert env.publisher.sends[0].code != env.publisher.sends[1].code


async def test_the_slot_is_named_by_the_servers_local_date(env):
    await env.configure(A, "08:00", "Pacific/Auckland")  # 19:00 UTC the day before
    env.clock.now = datetime(2026, 1, 14, 19, 5, tzinfo=UTC)
    await env.poster().tick()
    (m,) = env.publisher.sends
    assert m.day == date(2026, 1, 15)
    assert m.code == format_code(daily_recipe(date(2026, 1, 15)))
    assert (await env.store.slot(A, "2026-01-15")).status == "posted"


async def test_a_server_set_up_after_the_slot_waits_for_the_next(env):
    await env.configure(A, since=(SLOT + timedelta(seconds=30)).timestamp())
    poster = env.poster()
    await ticks(poster, env.clock, 12, hours=1)
    assert env.publisher.sends == []
    env.clock.now = SLOT + timedelta(days=1, minutes=1)
    await poster.tick()
    assert [m.day for m in env.publisher.sends] == [DAY + timedelta(days=1)]


async def test_a_restart_does_not_post_again(env, tmp_path):
    await env.configure(A)
    await env.poster().tick()
    assert len(env.publisher.sends) == 1
    # A restart: the queue and store are closed and opened again, a fresh poster ticks on.
    await env.queue.close()
    await env.store.close()
    env.store = await Store.open(tmp_path / "db")
    env.queue, env.backend = await start_queue(env.store)
    env.publisher = FakePublisher(env.channels)
    await ticks(env.poster(), env.clock, 10, minutes=30)
    assert env.publisher.attempts == []
    assert env.backend.requests == []  # nothing even rendered


# --- crashes mid-post ----------------------------------------------------------------------------
async def test_crash_after_send_is_marked_posted_without_a_second_send(env):
    """Claimed, sent, then the process died before recording it: the message is in the channel."""
    await env.configure(A)
    assert await env.store.claim_slot(A, DAY.isoformat())
    earlier = env.channels.add(A, CH[A], DAY, format_code(daily_recipe(DAY)))
    claimed = await env.store.slot(A, DAY.isoformat())
    await ticks(env.poster(), env.clock, 5, minutes=5)
    assert env.publisher.attempts == []
    assert env.backend.requests == []
    assert env.publisher.finds == [
        (A, CH[A], DAY, claimed.claimed_at)
    ]  # looked once, since the claim
    slot = await env.store.slot(A, DAY.isoformat())
    assert (slot.status, slot.message) == ("posted", earlier.id)


async def test_crash_before_send_is_posted_once(env):
    """Claimed, then the process died before sending: nothing in the channel, so post it."""
    await env.configure(A)
    assert await env.store.claim_slot(A, DAY.isoformat())
    env.channels.add(A, CH[A], DAY - timedelta(days=1), "yesterday's")  # not this day's
    env.channels.add(B, CH[B], DAY, "another server's")  # not this server's
    await ticks(env.poster(), env.clock, 5, minutes=5)
    assert len(env.publisher.sends) == 1
    assert len(env.publisher.finds) == 1
    slot = await env.store.slot(A, DAY.isoformat())
    assert (slot.status, slot.message) == ("posted", env.publisher.sends[0].id)
    assert slot.render_id == env.backend.requests[0].id


async def test_a_send_whose_reply_was_lost_is_not_sent_again(env):
    """The message reached the channel but the send raised: the retry finds it there."""
    await env.configure(A)
    env.publisher.lose_reply.add(A)
    poster = env.poster()
    await poster.tick()
    assert len(env.publisher.sends) == 1
    assert (await env.store.slot(A, DAY.isoformat())).status == "claimed"
    env.clock.advance(seconds=RETRY_S)
    await poster.tick()
    assert len(env.publisher.sends) == 1
    slot = await env.store.slot(A, DAY.isoformat())
    assert (slot.status, slot.message) == ("posted", env.publisher.sends[0].id)


async def test_a_restart_after_a_failed_send_posts_once(env):
    await env.configure(A)
    env.publisher.fail.add(A)
    await env.poster().tick()
    assert env.publisher.sends == []
    env.publisher.fail.clear()
    restarted = env.poster()  # no memory of the failure: it goes by the store
    await ticks(restarted, env.clock, 5, minutes=1)
    assert len(env.publisher.sends) == 1
    assert (await env.store.slot(A, DAY.isoformat())).status == "posted"


# --- too late: skipped and logged once -----------------------------------------------------------
async def test_a_slot_older_than_the_catch_up_window_is_skipped_and_logged_once(env, caplog):
    await env.configure(A)
    env.clock.now = SLOT + timedelta(hours=12, seconds=1)
    poster = env.poster()
    with caplog.at_level(logging.WARNING, logger=DAILY_LOG):
        await ticks(poster, env.clock, 10, minutes=30)
    assert env.publisher.attempts == []
    assert await env.store.slot(A, DAY.isoformat()) is None
    missed = [r for r in caplog.records if "missed" in r.getMessage()]
    assert len(missed) == 1
    assert str(A) in missed[0].getMessage() and "2026-05-01" in missed[0].getMessage()
    assert missed[0].levelno == logging.WARNING


async def test_a_slot_just_inside_the_catch_up_window_is_posted_late(env, caplog):
    await env.configure(A)
    env.clock.now = SLOT + timedelta(hours=12)
    with caplog.at_level(logging.WARNING, logger=DAILY_LOG):
        await env.poster().tick()
    assert [m.day for m in env.publisher.sends] == [DAY]
    assert not [r for r in caplog.records if "missed" in r.getMessage()]


async def test_the_catch_up_window_is_configurable(env):
    await env.configure(A)
    env.clock.now = SLOT + timedelta(hours=2)
    await env.poster(catchup_s=3600).tick()
    assert env.publisher.attempts == []
    await env.poster(catchup_s=3 * 3600).tick()
    assert len(env.publisher.sends) == 1


# --- failures stay contained ---------------------------------------------------------------------
async def test_one_guilds_failure_does_not_stop_another_and_is_retried_after_retry_s(env, caplog):
    await env.configure(A)
    await env.configure(B)
    env.publisher.fail.add(A)
    poster = env.poster()
    with caplog.at_level(logging.ERROR, logger=DAILY_LOG):
        await poster.tick()
    assert [m.guild for m in env.publisher.sends] == [B]
    assert env.publisher.attempts.count(A) == 1
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failed) == 1 and str(A) in failed[0].getMessage()
    assert (await env.store.slot(A, DAY.isoformat())).status == "claimed"

    env.publisher.fail.clear()
    env.clock.advance(seconds=RETRY_S - 1)  # not yet: no retry storm
    await ticks(poster, env.clock, 3, seconds=0)
    assert env.publisher.attempts.count(A) == 1
    env.clock.advance(seconds=1)
    await poster.tick()
    assert env.publisher.attempts.count(A) == 2
    await ticks(poster, env.clock, 5, minutes=10)
    assert [m.guild for m in env.publisher.sends] == [B, A]  # each exactly once
    assert env.publisher.attempts.count(B) == 1
    slot = await env.store.slot(A, DAY.isoformat())
    assert (slot.status, slot.message) == ("posted", env.sent_to(A)[0].id)


async def test_a_failed_render_is_retried_too(env, caplog):
    await env.configure(A)
    working = env.backend.enqueue

    async def fail(req):  # the queue refuses: a full queue, a dead Redis
        raise RuntimeError("backend down")

    env.backend.enqueue = fail
    poster = env.poster()
    with caplog.at_level(logging.ERROR, logger=DAILY_LOG):
        await poster.tick()
    assert env.publisher.attempts == []
    assert any("failed" in r.getMessage() for r in caplog.records)
    env.backend.enqueue = working
    env.clock.advance(seconds=RETRY_S)
    await poster.tick()
    assert len(env.publisher.sends) == 1


async def test_concurrent_posts_of_one_slot_send_once(env):
    cfg = await env.configure(A)
    env.publisher.gate = asyncio.Event()
    poster = env.poster()
    first = asyncio.create_task(poster.post(A, cfg, DAY))
    await until(lambda: env.publisher.attempts)  # the first is at the channel's door
    # Bounded: a second post that went ahead would wait at the closed gate for ever.
    second = await asyncio.wait_for(poster.post(A, cfg, DAY), 5)
    await asyncio.wait_for(poster.tick(), 5)  # the daily loop, meanwhile, leaves it alone too
    assert second is None
    env.publisher.gate.set()
    message = await asyncio.wait_for(first, 5)
    assert env.publisher.attempts == [A]
    assert len(env.publisher.sends) == 1 and message == env.publisher.sends[0].id
    assert await poster.post(A, cfg, DAY) == message  # afterwards: the recorded message
    assert len(env.publisher.sends) == 1


async def test_post_and_tick_started_together_send_once(env):
    cfg = await env.configure(A)
    poster = env.poster()
    results = await asyncio.gather(
        poster.post(A, cfg, DAY), poster.tick(), poster.post(A, cfg, DAY)
    )
    assert len(env.publisher.sends) == 1
    assert results[0] == env.publisher.sends[0].id


async def test_unreadable_configs_are_skipped_with_a_log_line(env, caplog):
    await env.configure(A)
    bad = {
        301: "garbage",
        302: {"channel": 1, "time": "09:00"},
        303: {"channel": "general", "time": "09:00", "tz": "UTC", "since": 0},
        304: {"channel": 1, "time": "09:00", "tz": "Mars/Olympus_Mons", "since": 0},
        305: {"channel": 1, "time": "noon", "tz": "UTC", "since": 0},
        306: None,
    }
    for guild, raw in bad.items():
        await env.store.set_guild_setting(guild, SETTING_KEY, raw)
    poster = env.poster()
    with caplog.at_level(logging.ERROR, logger=DAILY_LOG):
        assert set(await poster.configs()) == {A}
        await poster.tick()
    assert [m.guild for m in env.publisher.sends] == [A]
    for guild in bad:
        assert any(str(guild) in r.getMessage() and "skipped" in r.getMessage()
                   for r in caplog.records), guild  # fmt: skip


async def test_run_keeps_ticking_through_a_failing_tick(env, caplog):
    await env.configure(A)
    poster = env.poster()
    calls = []
    real_tick = poster.tick

    async def flaky_tick():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        await real_tick()

    poster.tick = flaky_tick  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR, logger=DAILY_LOG):
        task = asyncio.create_task(poster.run(0.001))
        await until(lambda: len(calls) >= 3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert len(env.publisher.sends) == 1
    assert any("tick failed" in r.getMessage() for r in caplog.records)


# --- renders cut short by crashes (issue 13) -----------------------------------------------------
class HeldBackend(InstantBackend):
    """Takes jobs and never finishes them: the process dies while they render."""

    async def enqueue(self, req: QueuedJob) -> None:
        self.requests.append(req)


async def test_daily_renders_cut_short_by_crashes_are_adopted_and_posted_once(env, tmp_path):
    """8 guilds; the bot dies three times while their pieces render. Each restart re-queues the
    renders; the poster follows those (adopts them) instead of asking again, so the person cap
    (which the bot's own jobs never count against) refuses nothing and nothing is painted twice."""
    guilds = [1000 + g for g in range(8)]
    for g in guilds:
        CH[g] = 9000 + g
        await env.configure(g)
    store = env.store
    for crash in range(3):
        held = HeldBackend()
        queue = RenderQueue(held, store=store)  # default caps: 2 per person
        restarted = await queue.start()
        assert len(restarted) == (0 if crash == 0 else 8)  # the cut-short renders, re-queued
        poster = DailyPoster(store, queue, env.publisher, clock=env.clock)
        tick = asyncio.create_task(poster.tick())
        await until(lambda held=held: len(held.requests) == 8)  # every guild's piece under way
        tick.cancel()  # the crash: nothing more runs in this process
        await asyncio.gather(tick, return_exceptions=True)
    queue, backend = await start_queue(store)  # the last start: renders finish at once
    try:
        poster = DailyPoster(store, queue, env.publisher, clock=env.clock)
        await poster.tick()
        for g in guilds:
            assert len(env.sent_to(g)) == 1, g
            slot = await store.slot(g, DAY.isoformat())
            assert slot.status == "posted"
        # Only the 8 renders of the first process ever existed: re-queued, never re-submitted.
        first_ids = {r.id for r in held.requests}
        assert {r.id for r in backend.requests} == first_ids
        assert len(await store.unfinished()) == 0
    finally:
        await queue.close()
        for g in guilds:
            CH.pop(g)


async def test_the_bots_own_jobs_count_against_no_persons_cap(env):
    queue = RenderQueue(HeldBackend(), store=env.store)  # 2 per person
    await queue.start()
    for _ in range(3):  # three scheduled jobs owned by one guild: none refused
        await queue.submit(PaintSpec(daily_recipe(DAY)), Owner(A, A, CH[A]), Priority.SCHEDULED)
    assert queue.pending(A) == 0
    await queue.submit(PaintSpec(daily_recipe(DAY)), Owner(A), Priority.INTERACTIVE)
    assert queue.pending(A) == 1  # a person's own request still counts
    await queue.close()
