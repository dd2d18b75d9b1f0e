"""`cppn-bot run` at login (issue 13): a token with a line break is one clear line and status 2;
Discord unreachable at login is tried again with back-off, then one line and status 1; a
Discord that comes back between tries is logged in to as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import discord
import pytest
from fake_discord import FakeDiscord
from test_jobs_support import free_port
from waiting import until

from bot.cli import main
from bot.discordbot import runner

CPPN_BOT = Path(sys.executable).with_name("cppn-bot")
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcReT.do-not-log-this-token-part"


def bot_env(tmp_path: Path, api_port: int, gateway_port: int, **more: str) -> dict[str, str]:
    env = {
        **os.environ,
        "CPPN_DISCORD_TOKEN": TOKEN,
        "CPPN_DISCORD_API_URL": f"http://127.0.0.1:{api_port}/api/v10",
        "CPPN_DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{gateway_port}/gateway",
        "CPPN_DB_PATH": str(tmp_path / "bot.db"),
        "CPPN_HEALTH_PORT": "0",
        "CPPN_DEVICE": "cpu",
        "OMP_NUM_THREADS": "1",
        **more,
    }
    env.pop("CPPN_CONFIG", None)
    env.pop("CPPN_DISCORD_TOKEN_FILE", None)
    return env


# --- a token with a line break ------------------------------------------------------------------
@pytest.mark.parametrize(
    "how", ["variable CRLF", "variable LF", "file of two lines", "variable with a space"]
)
def test_a_token_with_a_line_break_is_one_clear_line(tmp_path, how):
    port = free_port()  # nothing listens: a token that got through would fail differently
    env = bot_env(tmp_path, port, port)
    if how == "file of two lines":
        (tmp_path / "token").write_text(f"{TOKEN}\nsecond line\n")
        env.pop("CPPN_DISCORD_TOKEN")
        env["CPPN_DISCORD_TOKEN_FILE"] = str(tmp_path / "token")
    else:
        sep = {"variable CRLF": "\r\n", "variable LF": "\n", "variable with a space": " "}[how]
        env["CPPN_DISCORD_TOKEN"] = TOKEN[:20] + sep + TOKEN[20:]
    done = subprocess.run(
        [str(CPPN_BOT), "run"], env=env, cwd=tmp_path, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    err = done.stderr
    assert done.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("cppn-bot: error: the Discord token contains "), err
    assert ("a space" if "space" in how else "line break") in err, err
    assert "CPPN_DISCORD_TOKEN" in err and TOKEN[:20] not in err and TOKEN[20:] not in err
    assert not (tmp_path / "bot.db").exists()  # refused before anything started


# --- Discord unreachable ------------------------------------------------------------------------
class Dropper:
    """A TCP port that accepts each connection and closes it at once, counting them."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):  # closed by close()
            while True:
                conn, _ = self.sock.accept()
                self.accepted += 1
                conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def dropper():
    d = Dropper()
    yield d
    d.close()


@pytest.fixture
def restore_discord(monkeypatch):
    """`cppn-bot run` points discord.py's class attributes at its URLs; put them back after."""
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket,
        "DEFAULT_GATEWAY",
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
    )


@pytest.mark.parametrize("kind", ["connections dropped", "port closed"])
def test_discord_unreachable_at_login_is_tried_again_then_one_line(
    tmp_path, monkeypatch, capsys, dropper, restore_discord, kind
):
    monkeypatch.setattr(runner, "LOGIN_TRIES", 3)
    monkeypatch.setattr(runner, "LOGIN_RETRY_S", 0.05)
    port = dropper.port if kind == "connections dropped" else free_port()
    for name, value in bot_env(tmp_path, port, port).items():
        if name.startswith("CPPN_"):
            monkeypatch.setenv(name, value)
    assert main(["run"]) == 1  # not 2 or 3: worth starting again later
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("cppn-bot: error: cannot reach Discord at "), err
    assert f"127.0.0.1:{port}" in last and "after 3 tries" in last, last
    assert err.count("trying again in") == 2, err  # a warning before each later try
    if kind == "connections dropped":
        assert dropper.accepted >= 3  # (aiohttp may try a dropped connection twice)
    assert TOKEN not in err


class FlakyFront:
    """A TCP relay to the fake Discord that drops every connection until it is opened."""

    def __init__(self, target_port: int) -> None:
        self.target_port, self.opened, self.dropped = target_port, False, 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _client(self, reader, writer) -> None:
        if not self.opened:
            self.dropped += 1
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)

        async def pipe(src, dst) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()


@pytest.mark.slow
async def test_a_discord_that_comes_back_between_tries_is_logged_in_to(tmp_path):
    fake = FakeDiscord()
    await fake.start()
    front = FlakyFront(fake.port)
    await front.start()
    health = free_port()
    env = bot_env(tmp_path, front.port, fake.port, CPPN_HEALTH_PORT=str(health))
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        proc = await asyncio.create_subprocess_exec(
            str(CPPN_BOT), "run", env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
        )
        try:  # Discord comes back once the bot has said it will try again
            await until(lambda: "cannot reach Discord" in log_path.read_text(), 90, every=0.05)
            front.opened = True
            await until(lambda: fake.identifies >= 1, timeout=60, every=0.1)
            proc.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(proc.wait(), 60) == 0, log_path.read_text()
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
            await front.close()
            await fake.close()
    text = log_path.read_text()
    assert front.dropped >= 1
    assert text.count("cannot reach Discord") == 1, text  # the second try logged in
    assert "Traceback" not in text and "Unclosed" not in text, text
    assert "shut down cleanly" in text and TOKEN not in text
