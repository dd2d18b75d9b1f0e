"""A slash command Discord still lists but this version removed or changed (a stale list after
an upgrade): the person gets one line saying so, the bot re-registers its commands, and nothing
is logged as a failure. End to end against the fake Discord."""

from __future__ import annotations

import asyncio
import logging

import pytest
from fake_discord import FakeDiscord
from waiting import until

from bot.art.render import Renderer
from bot.compose import Compositor
from bot.discordbot.app import CHANGED, REMOVED
from bot.discordbot.runner import serve
from bot.pipeline import Pipeline
from bot.settings import Settings

USER = 4242


def _syncs(server: FakeDiscord) -> int:
    return sum(1 for r in server.requests if r.method == "PUT" and r.path.endswith("/commands"))


def _reply(server: FakeDiscord, payload: dict) -> str | None:
    for r in server.find("POST", f"/interactions/{payload['id']}/"):
        data = (r.json or {}).get("data") or {}
        if data.get("content"):
            assert data.get("flags", 0) & 64  # ephemeral
            return data["content"]
    return None


async def test_a_stale_command_gets_one_line_and_a_resync(fake, tmp_path, caplog):
    settings = Settings(db_path=str(tmp_path / "bot.db"), health_port=0, sync_commands=True)
    stop = asyncio.Event()
    pipeline = Pipeline(Renderer.create("cpu"), Compositor(), None)
    task = asyncio.create_task(serve(settings, "fake.token.x", pipeline=pipeline, stop=stop))
    try:
        await until(lambda: _syncs(fake) == 1, timeout=60)  # the start-up sync
        await asyncio.wait_for(fake.identified.wait(), 60)  # the gateway is up: events arrive
        with caplog.at_level(logging.INFO):
            gone = fake.slash("vanished", USER)
            await fake.dispatch("INTERACTION_CREATE", gone)
            await until(lambda: _reply(fake, gone) is not None, timeout=30)
            assert _reply(fake, gone) == f"⚠️ {REMOVED[0].upper()}{REMOVED[1:]}."
            await until(lambda: _syncs(fake) == 2, timeout=30)  # re-registered at once
            # /daily is a group here; a list where it was one command calls it bare.
            changed = fake.slash("daily", USER)
            await fake.dispatch("INTERACTION_CREATE", changed)
            await until(lambda: _reply(fake, changed) is not None, timeout=30)
            assert _reply(fake, changed) == f"⚠️ {CHANGED[0].upper()}{CHANGED[1:]}."
        assert _syncs(fake) == 2  # at most one re-sync per RESYNC_EVERY_S
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert "Traceback" not in caplog.text
    finally:
        stop.set()
        await asyncio.wait_for(task, 60)


def test_buttons_reach_the_painter_through_a_typed_accessor():
    from types import SimpleNamespace

    from bot.cooldown import Cooldown
    from bot.discordbot.painter import Painter

    painter = Painter(None, None, Cooldown(0))  # type: ignore[arg-type]
    assert Painter.of(SimpleNamespace(client=SimpleNamespace(painter=painter))) is painter  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="has no Painter"):
        Painter.of(SimpleNamespace(client=SimpleNamespace(painter="not one")))  # type: ignore[arg-type]
