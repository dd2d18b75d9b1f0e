"""Nothing posted twice, for real (issue 13): `cppn-bot run` is SIGKILLed after Discord applied
the edit that shows a finished painting but before the bot recorded the delivery. The restarted
bot finds the picture in the channel, records it, and paints and posts nothing again.

The fake Discord applies the result edit, then leaves it unanswered: the process is killed while
it waits for the answer, so the kill falls in the window every time."""

from __future__ import annotations

import sqlite3

from fake_discord import FakeDiscord
from test_discord_runner import BotProcess, fake  # noqa: F401 - the fake Discord fixture
from waiting import until

USER = 6161


def _renders(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT id, code, status, delivered_at, message FROM renders ORDER BY rowid"
        ).fetchall()


def _posts_with(server: FakeDiscord, code: str) -> list[dict]:
    return [
        m for m in server.messages.values()
        if m["attachments"] and any(code in (e.get("description") or "") for e in m["embeds"])
    ]  # fmt: skip


async def test_killed_after_the_post_reached_discord_posts_nothing_twice(fake, tmp_path):  # noqa: F811
    db = tmp_path / "bot.db"
    fake.hold_results = True
    first = BotProcess(fake, tmp_path, 1)
    await first.start()
    await first.healthy()
    paint = fake.slash("paint", USER, layers=4, width=16, quote="none")
    await fake.dispatch("INTERACTION_CREATE", paint)
    await until(fake.result_applied.is_set, timeout=90)
    first.proc.kill()  # SIGKILL: no shutdown code runs
    await first.wait()
    fake.release()

    [(job_id, code, status, delivered, _)] = _renders(db)
    assert status == "done" and delivered is None  # the window: posted, not recorded
    [shown] = _posts_with(fake, code)  # the person saw it

    second = BotProcess(fake, tmp_path, 2)
    await second.start()
    await second.healthy()  # ready: start-up redelivery has run
    # Recorded as the message Discord shows, and nothing painted again (one render in all, so
    # there is nothing left that could post later).
    [(again_id, _, _, delivered, message)] = _renders(db)
    assert (again_id, delivered is not None, message) == (job_id, True, int(shown["id"]))
    assert len(_posts_with(fake, code)) == 1
    second.proc.terminate()
    assert await second.wait() == 0, second.text()
    assert len(_posts_with(fake, code)) == 1


async def test_killed_during_a_daily_render_posts_the_piece_once(fake, tmp_path):  # noqa: F811
    """SIGKILL while the piece of the day renders: the restart adopts the re-queued render and
    posts the piece once; no second render is asked for."""
    import json
    import time
    from datetime import UTC, datetime, timedelta

    from bot.schedule import SETTING_KEY, DailyConfig

    db = tmp_path / "bot.db"
    slot = (datetime.now(UTC) - timedelta(minutes=30)).strftime("%H:%M")
    cfg = DailyConfig.create(fake.channel_id, slot, "UTC", since=time.time() - 2 * 86400)
    first = BotProcess(fake, tmp_path, 1)
    first.env["CPPN_DAILY_CHECK_S"] = "0.1"
    await first.start()
    await until(db.exists, timeout=60)
    await until(lambda: _schema_ready(db), timeout=60)
    with sqlite3.connect(db) as conn:  # the admin's /daily set, stored before the first check
        conn.execute(
            "INSERT INTO guild_settings (guild, key, value) VALUES (?, ?, ?)",
            (fake.guild_id, SETTING_KEY, json.dumps(cfg.to_dict())),
        )
    await until(lambda: _scheduled(db), timeout=90, every=0.002)  # the piece is rendering
    first.proc.kill()
    await first.wait()
    [(render_id, status)] = _scheduled(db)
    posts = [m for m in fake.channel_posts() if "Piece of the day" in m["content"]]
    killed_mid_render = status == "queued" and not posts

    second = BotProcess(fake, tmp_path, 2)
    second.env["CPPN_DAILY_CHECK_S"] = "0.1"
    await second.start()
    await second.healthy()
    await until(
        lambda: len([m for m in fake.channel_posts() if "Piece of the day" in m["content"]]) == 1,
        timeout=120,
    )
    await until(lambda: _slot_status(db) == "posted", timeout=30)
    second.proc.terminate()
    assert await second.wait() == 0, second.text()
    assert len([m for m in fake.channel_posts() if "Piece of the day" in m["content"]]) == 1
    if killed_mid_render:  # the usual case: the one render was re-queued and adopted
        assert [r[0] for r in _scheduled(db)] == [render_id]
        assert "following its render" in second.text()


def _schema_ready(db) -> bool:
    try:
        with sqlite3.connect(db) as conn:
            conn.execute("SELECT 1 FROM guild_settings LIMIT 1")
        return True
    except sqlite3.Error:
        return False


def _scheduled(db) -> list[tuple]:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT id, status FROM renders WHERE priority = 1").fetchall()
    except sqlite3.Error:
        return []


def _slot_status(db) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT status FROM daily_slots").fetchone()
    return row[0] if row else None
