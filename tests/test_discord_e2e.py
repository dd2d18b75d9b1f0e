"""End to end on loopback: the real discord.py client against a fake Discord (REST + gateway).

The bot runs as `cppn-bot run` does (serve()), with the real render pipeline on the CPU; the fake
dispatches slash commands, a button click and owes a daily slot, and records what the bot sends.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from fake_discord import FakeDiscord
from waiting import until

from bot.art.code import format_code, parse_code
from bot.art.render import Renderer
from bot.compose import Compositor
from bot.daily import daily_recipe
from bot.discordbot.daily import DailyPoster
from bot.discordbot.runner import serve
from bot.pipeline import Pipeline
from bot.quotes.engines import load_quotes
from bot.schedule import SETTING_KEY, DailyConfig
from bot.settings import Settings
from bot.store import Store

PNG = b"\x89PNG\r\n\x1a\n"
USER = 4242


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Renderer.create("cpu"), Compositor(), load_quotes())


class Bot:
    """One run of the bot (serve) in this event loop, stopped like SIGTERM would."""

    def __init__(self, settings: Settings, pipeline: Pipeline) -> None:
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(
            serve(settings, "fake.token.x", pipeline=pipeline, stop=self.stop)
        )

    async def close(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 60)


def _result_of(fake: FakeDiscord, token: str):
    """The webhook edit of this interaction's response that carries a file, if any."""
    edits = [r for r in fake.find("PATCH", f"/{token}/messages/@original") if r.files]
    return edits[-1] if edits else None


def _code(rec) -> str:
    desc = rec.json["embeds"][0]["description"]
    return desc.split("`")[1]


def _custom_ids(rec) -> list[str]:
    return [c["custom_id"] for row in rec.json["components"] for c in row["components"]]


async def _paint(fake: FakeDiscord, payload: dict):
    await fake.dispatch("INTERACTION_CREATE", payload)
    token = payload["token"]
    return await fake.wait_for(lambda _: _result_of(fake, token), timeout=90)


async def _ready(posters: list[DailyPoster], run: int) -> DailyPoster:
    """Wait until this run's bot is ready: its daily loop, which starts once the client is
    ready, has finished its first check. That run's poster."""
    await until(lambda: len(posters) >= run, timeout=30)
    poster = posters[run - 1]
    await asyncio.wait_for(poster.ticked(1), 90)
    return poster


def _daily_posts(fake: FakeDiscord) -> list[dict]:
    return [m for m in fake.channel_posts() if "Piece of the day" in m["content"]]


async def test_paint_replay_button_daily_and_restart(fake, pipeline, posters, tmp_path):
    db = tmp_path / "bot.db"
    now = datetime.now(UTC)
    # A daily slot one hour ago, configured two days ago: owed, within the catch-up window.
    store = await Store.open(db)
    slot = (now - timedelta(hours=1)).strftime("%H:%M")
    cfg = DailyConfig.create(fake.channel_id, slot, "UTC", since=time.time() - 2 * 86400)
    await store.set_guild_setting(fake.guild_id, SETTING_KEY, cfg.to_dict())
    await store.close()
    fake.rate_limit["POST /channels/"] = 1  # the first channel post gets a 429
    settings = Settings(
        db_path=str(db), cooldown_s=0, progress_s=0.2, daily_check_s=0.2, health_port=0,
        user_max_pending=4,
    )  # fmt: skip

    bot = Bot(settings, pipeline)
    try:
        await _ready(posters, 1)
        # --- /paint layers:16 -------------------------------------------------------------
        paint = fake.slash("paint", USER, layers=16)
        result = await _paint(fake, paint)
        callbacks = fake.find("POST", f"/interactions/{paint['id']}/")
        assert callbacks[0].json["type"] == 5  # deferred ("thinking") before any work shows
        assert fake.requests.index(callbacks[0]) < fake.requests.index(result)
        name, data = result.files[0]
        assert data.startswith(PNG) and name.endswith(".png")
        code = _code(result)
        assert parse_code(code).layers == 16 and code in name
        assert result.json["allowed_mentions"] == {"parse": []}
        ids = _custom_ids(result)
        assert f"cppn:reroll:{code}" in ids and f"cppn:zoom:{code}" in ids
        assert f"cppn:delete:{USER}" in ids

        # --- a button click: the code round-trips through the custom id ----------------------
        message = fake.messages[fake.originals[paint["token"]]]
        click = fake.click(f"cppn:zoom:{code}", message, USER + 1)
        zoomed = await _paint(fake, click)
        assert parse_code(_code(zoomed)).zoom == pytest.approx(parse_code(code).zoom / 2)
        assert zoomed.files[0][1].startswith(PNG)

        # --- /replay gives the same bytes; a bad code gets one ephemeral line ------------------
        replay = await _paint(fake, fake.slash("replay", USER, code=code.upper()))
        assert _code(replay) == code and replay.files[0][1] == data
        bad = fake.slash("replay", USER, code="not-a-code")
        await fake.dispatch("INTERACTION_CREATE", bad)
        answer = await fake.wait_for(lambda _: fake.find("POST", f"/interactions/{bad['id']}/"))
        assert answer[0].json["type"] == 4 and answer[0].json["data"]["flags"] & 64
        assert "replay code" in answer[0].json["data"]["content"]
        assert answer[0].json["data"]["allowed_mentions"] == {"parse": []}

        # --- the daily slot: posted once, after surviving a 429 ------------------------------
        await fake.wait_for(lambda _: _daily_posts(fake), timeout=90)
        assert fake.served_429 == 1
        posts = _daily_posts(fake)
        assert len(posts) == 1
        day = (now - timedelta(hours=1)).date()  # the slot's date in UTC, the server's zone
        assert format_code(daily_recipe(day)) in posts[0]["embeds"][0]["description"]
        assert posts[0]["nonce"]
        sent = [r for r in fake.find("POST", f"/channels/{fake.channel_id}/messages")]
        assert all(r.json["allowed_mentions"] == {"parse": []} for r in sent if r.json)
    finally:
        await bot.close()

    # --- a restart: no second daily post, and the bot connects again ------------------------
    fake.identified.clear()
    bot = Bot(settings, pipeline)
    try:
        poster = await _ready(posters, 2)
        # Three more checks, each run to its end, saw the owed slot: none of them posted it again.
        await asyncio.wait_for(poster.ticked(poster.ticks + 3), 30)
        assert fake.identifies == 2
        assert len(_daily_posts(fake)) == 1
        assert len(fake.find("PUT", "/commands")) == 1  # unchanged commands: not synced again
    finally:
        await bot.close()
