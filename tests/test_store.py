"""The SQLite store: numbered migrations, renders recorded once, guild settings, daily slots."""

import sqlite3
import threading

import pytest

from bot.errors import StoreError
from bot.store import RenderRow, Store
from bot.store.migrations import MIGRATIONS


def row(i: int, created: float = 1000.0, **kw) -> RenderRow:
    base = dict(
        id=f"job{i}", code=f"1-{i}-q", custom_quote=None, byte_limit=8_000_000, priority=0,
        owner=10 + i, guild=20, channel=30, message=None, status="queued", created_at=created,
    )  # fmt: skip
    return RenderRow(**{**base, **kw})


@pytest.fixture
async def store(tmp_path):
    s = await Store.open(tmp_path / "bot.db")
    yield s
    await s.close()


async def test_a_new_database_gets_every_migration(store, tmp_path):
    assert await store.schema_version() == len(MIGRATIONS) >= 1
    await store.close()
    again = await Store.open(tmp_path / "bot.db")  # reopening migrates nothing twice
    assert await again.schema_version() == len(MIGRATIONS)
    await again.close()
    with sqlite3.connect(tmp_path / "bot.db") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"renders", "guild_settings", "daily_slots"} <= tables
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_migrations_run_in_order_and_a_failing_one_changes_nothing(tmp_path):
    path = tmp_path / "m.db"
    first = ("CREATE TABLE a (x INTEGER);",)
    s = await Store.open(path, first)
    await s.close()
    second = (*first, "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (1);")
    s = await Store.open(path, second)
    assert await s.schema_version() == 2
    await s.close()
    broken = (*second, "CREATE TABLE c (z INTEGER); INSERT INTO nowhere VALUES (1);")
    with pytest.raises(StoreError, match="migration 3 failed"):
        await Store.open(path, broken)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        assert "c" not in names and {"a", "b"} <= names
    with pytest.raises(StoreError, match="newer"):
        await Store.open(path, first)


def _sqlite_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if "_connection_worker_thread" in t.name]


async def test_an_unusable_database_is_one_line_naming_it_and_leaves_no_thread(tmp_path):
    """A thread left behind keeps the process alive after the error (issue 13)."""
    (tmp_path / "junk.db").write_bytes(b"not a database " * 400)
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("a file")
    cases = {
        "junk.db": "corrupt",
        "folder": "is a directory",
        "missing/bot.db": "does not exist",
        "file/bot.db": "is not a directory",
    }
    for name, what in cases.items():
        path = tmp_path / name
        with pytest.raises(StoreError) as caught:
            await Store.open(path)
        msg = str(caught.value)
        assert str(path) in msg and what in msg and "\n" not in msg, msg
    assert not _sqlite_threads()


async def test_a_damaged_page_is_found_when_the_database_opens(tmp_path):
    path = tmp_path / "bot.db"
    s = await Store.open(path)
    for i in range(200):
        await s.add_render(row(i, custom_quote="q" * 200))
    await s.close()
    with sqlite3.connect(path) as db:  # everything into the file: no -wal beside it
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        size = db.execute("PRAGMA page_size").fetchone()[0]
    assert pages > 6
    with path.open("r+b") as f:
        f.seek(size * (pages // 2))  # a page in the middle: the header still reads well
        f.write(b"\xff" * size)
    with pytest.raises(StoreError, match="corrupt") as caught:
        await Store.open(path)
    assert str(path) in str(caught.value)
    assert not _sqlite_threads()


async def test_a_render_is_finished_exactly_once(store):
    await store.add_render(row(1, custom_quote="mine"))
    timings = {"render": 0.5}
    versions = {"bot": "0.1.0"}
    assert await store.finish_render(
        "job1", "done", timings=timings, device="cpu", versions=versions
    )
    assert not await store.finish_render("job1", "failed", error="late")  # already finished
    got = await store.get_render("job1")
    assert got.status == "done" and got.error is None and got.custom_quote == "mine"
    assert got.timings == timings and got.versions == versions and got.device == "cpu"
    assert got.finished_at is not None
    with pytest.raises(ValueError):
        await store.finish_render("job1", "queued")
    with pytest.raises(sqlite3.IntegrityError):
        await store.add_render(row(1))  # one id, one row


async def test_unfinished_renders_come_back_oldest_first(store):
    for i, created in [(1, 30.0), (2, 10.0), (3, 20.0), (4, 5.0)]:
        await store.add_render(row(i, created))
    await store.finish_render("job4", "cancelled")
    assert [r.id for r in await store.unfinished()] == ["job2", "job3", "job1"]
    await store.mark_delivered("job2", channel=31, message=77)
    got = await store.get_render("job2")
    assert (got.channel, got.message) == (31, 77) and got.delivered_at is not None
    assert await store.renders_by_status() == {"queued": 3, "cancelled": 1}


async def test_guild_settings_round_trip(store):
    assert await store.guild_settings(5) == {}
    await store.set_guild_setting(5, "daily_channel", 1234)
    await store.set_guild_setting(5, "tags", ["a", "b"])
    await store.set_guild_setting(5, "daily_channel", 999)
    await store.set_guild_setting(6, "daily_channel", 1)
    assert await store.guild_settings(5) == {"daily_channel": 999, "tags": ["a", "b"]}


async def test_a_daily_slot_is_claimed_and_posted_once(store):
    await store.add_render(row(1))
    assert await store.claim_slot(5, "2026-11-29")
    assert not await store.claim_slot(5, "2026-11-29")  # a second poster backs off
    assert await store.claim_slot(6, "2026-11-29")
    assert [s.guild for s in await store.claimed_slots()] == [5, 6]
    assert await store.mark_slot_posted(5, "2026-11-29", "job1", 555)
    assert not await store.mark_slot_posted(5, "2026-11-29", "job1", 556)
    slot = await store.slot(5, "2026-11-29")
    assert slot.status == "posted" and slot.message == 555 and slot.render_id == "job1"
    assert [s.guild for s in await store.claimed_slots()] == [6]
    assert await store.slot(5, "2026-11-30") is None
