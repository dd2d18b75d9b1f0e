"""`cppn-bot run` as a real process: /healthz and /metrics, SIGTERM and SIGINT, logs, restarts.

The process talks to tests/fake_discord.py through CPPN_DISCORD_API_URL / _GATEWAY_URL.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from fake_discord import FakeDiscord
from test_jobs_support import free_port
from waiting import until

from bot.cli import main
from bot.discordbot.runner import FREE_LOGINS_PER_DAY, MAX_LOGIN_WAIT_S, login_delay
from bot.store import Store
from bot.store.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcReT.do-not-log-this-token-part"
USER_A, USER_B = 5151, 5252


@pytest.fixture
async def fake():
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()


class BotProcess:
    def __init__(self, fake: FakeDiscord, tmp: Path, run: int) -> None:
        self.health = free_port()
        self.log_path = tmp / f"run{run}.log"
        self.env = {
            **os.environ,
            "CPPN_DISCORD_TOKEN": TOKEN,
            "CPPN_DISCORD_API_URL": f"http://127.0.0.1:{fake.port}/api/v10",
            "CPPN_DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{fake.port}/gateway",
            "CPPN_DB_PATH": str(tmp / "bot.db"),
            "CPPN_HEALTH_PORT": str(self.health),
            "CPPN_DEVICE": "cpu",
            "CPPN_COOLDOWN_S": "0",
            "CPPN_PROGRESS_S": "0.2",
            "CPPN_SHUTDOWN_GRACE_S": "60",
            "CPPN_LOG_LEVEL": "DEBUG",  # discord.py logs payloads at DEBUG: the token must not leak
            "OMP_NUM_THREADS": "1",
        }
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in wait()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=self.env,
            stdout=self.log, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip

    async def get(self, path: str) -> tuple[int, str]:
        url = f"http://127.0.0.1:{self.health}{path}"
        async with aiohttp.ClientSession() as s, s.get(url) as r:
            return r.status, await r.text()

    async def healthy(self, timeout: float = 90) -> str:
        """Wait until /healthz answers 200 (the process must stay up meanwhile); its body."""
        body = ""

        async def up() -> bool:
            nonlocal body
            assert self.proc.returncode is None, f"exited:\n{self.text()}"
            try:
                status, body = await self.get("/healthz")
            except aiohttp.ClientError:
                return False
            return status == 200

        try:
            await until(up, timeout, every=0.1)
        except AssertionError as e:
            raise AssertionError(f"never healthy ({e}):\n{self.text()}") from None
        return body

    async def wait(self, timeout: float = 90) -> int:
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        self.log.close()
        return code

    def text(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")


def _files_for(fake: FakeDiscord, token: str):
    return [r for r in fake.find("PATCH", f"/{token}/messages/@original") if r.files]


async def test_run_serves_health_and_shuts_down_gracefully(fake, tmp_path):
    # --- first run: healthy, a painting in progress at SIGTERM is finished and posted ----------
    bot = BotProcess(fake, tmp_path, 1)
    await bot.start()
    body = await bot.healthy()
    assert '"gateway": true' in body and '"executor": true' in body and '"queue": true' in body
    status, metrics = await bot.get("/metrics")
    assert (
        status == 200 and "cppn_queue_depth" in metrics and "cppn_discord_connected 1.0" in metrics
    )

    running = fake.slash("paint", USER_A, layers=16, width=32, size="wallpaper")
    await fake.dispatch("INTERACTION_CREATE", running)
    await fake.wait_for(lambda _: any(
        "Painting" in (r.json or {}).get("content", "") or ""
        for r in fake.find("PATCH", f"/{running['token']}/messages/@original")
    ), timeout=60)  # fmt: skip
    waiting = fake.slash("paint", USER_B, layers=4, width=24)  # another shape: not in that batch
    await fake.dispatch("INTERACTION_CREATE", waiting)
    await fake.wait_for(lambda _: any(
        "in the queue" in ((r.json or {}).get("content") or "")
        for r in fake.find("PATCH", f"/{waiting['token']}/messages/@original")
    ), timeout=60)  # fmt: skip
    # Accepted and queued behind the first, which must still be painting when the signal comes.
    assert not _files_for(fake, running["token"])
    bot.proc.send_signal(signal.SIGTERM)
    assert await bot.wait() == 0, bot.text()
    log = bot.text()
    assert _files_for(fake, running["token"]), log  # finished within the grace period, posted
    later = fake.find("PATCH", f"/{waiting['token']}/messages/@original")
    assert "restarting" in later[-1].json["content"]  # told it stays queued
    assert "shut down cleanly" in log
    assert TOKEN not in log and "GsEcReT" not in log
    assert not fake._sockets  # the gateway connection was closed
    with sqlite3.connect(tmp_path / "bot.db") as db:
        rows = dict(db.execute("SELECT owner, status FROM renders").fetchall())
        assert rows == {USER_A: "done", USER_B: "queued"}
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # --- second run: the queued painting is made and posted in its channel; SIGINT stops it ----
    bot = BotProcess(fake, tmp_path, 2)
    await bot.start()
    await bot.healthy()
    post = await fake.wait_for(
        lambda _: [m for m in fake.channel_posts() if f"<@{USER_B}>" in m["content"]], 120
    )
    assert post[0]["attachments"] and post[0]["embeds"]
    bot.proc.send_signal(signal.SIGINT)
    assert await bot.wait() == 0, bot.text()
    with sqlite3.connect(tmp_path / "bot.db") as db:
        rows = dict(db.execute("SELECT owner, status FROM renders").fetchall())
        assert rows == {USER_A: "done", USER_B: "done"}
        assert db.execute("SELECT COUNT(*) FROM logins").fetchone()[0] == 2
    assert TOKEN not in bot.text()


async def test_a_refused_token_exits_3_without_retrying(fake, tmp_path):
    fake.refuse_token = True
    bot = BotProcess(fake, tmp_path, 0)
    await bot.start()
    assert await bot.wait() == 3
    log = bot.text()
    assert "refused the token" in log and TOKEN not in log
    assert len(fake.find("GET", "/users/@me")) == 1  # one try, no loop


def test_run_without_a_token_says_how_to_get_one(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("CPPN_DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("CPPN_DISCORD_TOKEN_FILE", raising=False)
    monkeypatch.setenv("CPPN_DB_PATH", str(tmp_path / "x.db"))
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "CPPN_DISCORD_TOKEN" in err and "discord.com/developers" in err
    assert not (tmp_path / "x.db").exists()  # nothing started


async def test_logins_slow_down_past_ten_a_day(tmp_path):
    store = await Store.open(tmp_path / "db")
    try:
        now = time.time()
        for _ in range(FREE_LOGINS_PER_DAY):
            assert await login_delay(store, now) == 0
            await store.record_login()
        waits = []
        for _ in range(12):
            waits.append(await login_delay(store, time.time()))
            await store.record_login()
        assert waits[:4] == [10, 20, 40, 80] and waits[-1] == MAX_LOGIN_WAIT_S
        assert await login_delay(store, time.time() + 86400 + 1) == 0  # a day later: free again
    finally:
        await store.close()


async def test_an_old_database_migrates_keeping_its_jobs(tmp_path):
    path = tmp_path / "old.db"
    old = await Store.open(path, MIGRATIONS[:1])
    await old.db.execute(
        "INSERT INTO renders (id, code, byte_limit, priority, owner, status, created_at)"
        " VALUES ('j1', '1-1', 1000, 0, 7, 'queued', 1.0)"
    )
    await old.db.commit()
    await old.close()
    store = await Store.open(path)
    try:
        assert await store.schema_version() == len(MIGRATIONS)
        [row] = await store.unfinished()
        assert (row.id, row.delivered_at) == ("j1", None)
        assert await store.logins_since(0) == 0
    finally:
        await store.close()


async def test_run_serves_the_web_site_beside_the_bot_when_enabled(fake, tmp_path):
    bot = BotProcess(fake, tmp_path, 1)
    web = free_port()
    bot.env.update(CPPN_WEB_ENABLED="1", CPPN_WEB_PORT=str(web),
                   CPPN_WEB_CACHE_DIR=str(tmp_path / "cache"))  # fmt: skip
    await bot.start()
    try:
        await bot.healthy()
        async with aiohttp.ClientSession() as s:
            async with s.get(f"http://127.0.0.1:{web}/p/2-7-d2w4s64x64q.png") as r:
                assert r.status == 200 and (await r.read()).startswith(b"\x89PNG")
            async with s.get(f"http://127.0.0.1:{web}/p/not-a-code") as r:
                assert r.status == 404
    finally:
        bot.proc.send_signal(signal.SIGTERM)
        assert await bot.wait() == 0, bot.text()
    assert "shut down cleanly" in bot.text()
