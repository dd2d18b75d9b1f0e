"""`cppn-bot run` with a database it cannot use: exit status 2 within seconds, one line on stderr
naming the file and what is wrong, no traceback (issue 13). Before, a corrupt file or a read-only
directory printed a traceback and the process never exited (aiosqlite's thread kept it alive).

Each case runs the real console script; the database is checked before any login, so these need
no network (the API URL points at a closed local port in case the check ever let one through).
"""

from __future__ import annotations

import gc
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_jobs_support import free_port

from bot.store import Store

CPPN_BOT = Path(sys.executable).with_name("cppn-bot")
TIMEOUT_S = 60  # a hang is the bug; the answer comes in about a second
PAGE = 4096


def run_bot(db: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "CPPN_DISCORD_TOKEN": "MTIz.dummy.token",
        "CPPN_DB_PATH": str(db),
        "CPPN_DISCORD_API_URL": f"http://127.0.0.1:{free_port()}/api/v10",  # nothing listens
        "CPPN_DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{free_port()}/gateway",
        "CPPN_HEALTH_PORT": "0",
        "CPPN_DEVICE": "cpu",
        "OMP_NUM_THREADS": "1",
    }
    env.pop("CPPN_CONFIG", None)
    try:
        return subprocess.run(
            [str(CPPN_BOT), "run"], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=TIMEOUT_S,
        )  # fmt: skip
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"cppn-bot run did not exit within {TIMEOUT_S} s; stderr: {e.stderr!r}")


def assert_one_clear_line(done: subprocess.CompletedProcess, db: Path, *words: str) -> str:
    err = done.stderr
    assert done.returncode == 2, err
    assert "Traceback" not in err and "Exception" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("cppn-bot: error: ") and str(db) in line, line
    for word in words:
        assert word in line, line
    return line


def valid_database(path: Path, rows: int = 300, journal: str = "delete") -> Path:
    """A real bot database with enough rows to span many pages, everything in the file itself
    (no -wal beside it), as after a clean shutdown; `journal` wal: as the bot leaves it."""
    import asyncio

    from bot.store import RenderRow

    async def fill() -> None:
        store = await Store.open(path)
        for i in range(rows):
            await store.add_render(
                RenderRow(id=f"r{i}", code="2-" + "x" * 60, custom_quote="q" * 200,
                          byte_limit=10**6, priority=0, owner=i, guild=None, channel=None,
                          message=None, status="queued", created_at=float(i))
            )  # fmt: skip
        await store.close()

    asyncio.run(fill())
    gc.collect()  # the store's last statements, so that this connection is the only one
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        assert db.execute(f"PRAGMA journal_mode = {journal}").fetchone()[0] == journal
        assert db.execute("PRAGMA page_size").fetchone()[0] == PAGE
        assert db.execute("PRAGMA page_count").fetchone()[0] > 10
    finally:
        db.close()
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def read_only(tmp_path):
    """Make a path read-only in a way that stops this user: chmod for a normal user; as root,
    whom permissions do not stop, the immutable attribute (chattr +i)."""
    made: list[Path] = []

    def make(path: Path) -> None:
        if os.geteuid() != 0:
            path.chmod(0o555 if path.is_dir() else 0o444)
        else:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(
                    "running as root, whom file permissions do not stop, and chattr +i is not "
                    f"available here ({done.stderr.strip() or 'no chattr'})"
                )
        made.append(path)

    yield make
    for path in made:  # so pytest can remove tmp_path
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.slow
def test_a_file_of_random_bytes(tmp_path):
    db = tmp_path / "bot.db"
    db.write_bytes(random.Random(13).randbytes(20_000))
    assert_one_clear_line(run_bot(db, tmp_path), db, "corrupt")


@pytest.mark.slow
def test_a_database_damaged_in_a_middle_page_is_found_at_start(tmp_path):
    """The header is fine and the schema reads, so only PRAGMA quick_check finds it."""
    db = valid_database(tmp_path / "bot.db")
    with db.open("r+b") as f:
        f.seek(2 * PAGE)  # page 3
        f.write(random.Random(13).randbytes(PAGE))
    with sqlite3.connect(db) as con:  # what the bot read at start before: all looks well
        assert con.execute("PRAGMA user_version").fetchone()[0] > 0
    line = assert_one_clear_line(run_bot(db, tmp_path), db, "corrupt")
    assert "page 3" in line.lower(), line
    assert len(line) < 400, line


@pytest.mark.slow
def test_a_read_only_directory(tmp_path, read_only):
    folder = tmp_path / "data"
    folder.mkdir()
    db = valid_database(folder / "bot.db", rows=1)
    read_only(folder)
    assert_one_clear_line(run_bot(db, tmp_path), db, "read-only", str(folder))


@pytest.mark.slow
def test_a_new_database_in_a_read_only_directory(tmp_path, read_only):
    folder = tmp_path / "data"
    folder.mkdir()
    read_only(folder)
    db = folder / "bot.db"
    assert_one_clear_line(run_bot(db, tmp_path), db, "cannot be created", "read-only")


@pytest.mark.slow
@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_read_only_database_file(tmp_path, read_only, journal):
    """SQLite opens a file it cannot write read-only without a word; a database already in WAL
    mode (as the bot leaves it) then needs no write at start, and the first one would fail
    mid-run: the start-up check writes, and rolls back."""
    db = valid_database(tmp_path / "bot.db", rows=1, journal=journal)
    read_only(db)
    assert_one_clear_line(run_bot(db, tmp_path), db, "read-only")


@pytest.mark.slow
def test_a_directory_given_as_the_database(tmp_path):
    db = tmp_path / "data"
    db.mkdir()
    assert_one_clear_line(run_bot(db, tmp_path), db, "is a directory")


@pytest.mark.slow
def test_a_database_in_a_missing_directory(tmp_path):
    db = tmp_path / "nowhere" / "bot.db"
    assert_one_clear_line(run_bot(db, tmp_path), db, "does not exist")
    assert not db.parent.exists()


@pytest.mark.slow
def test_a_database_under_a_regular_file(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    db = tmp_path / "file" / "bot.db"
    assert_one_clear_line(run_bot(db, tmp_path), db, "is not a directory")
