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
