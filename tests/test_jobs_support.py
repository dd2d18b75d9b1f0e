"""Helpers for the render-queue tests: tiny recipes, a gated renderer, a real redis-server.

No tests here; the test_jobs_* modules import from it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.art import Recipe
from bot.art.render import Renderer
from bot.errors import JobCancelled, JobTimeout


def tiny(seed: int, width: int = 8, **kw) -> Recipe:
    """A 32x32 recipe without a quote: milliseconds to render."""
    return Recipe(seed=seed, layers=2, width=width, w=32, h=32, quote="none", **kw)


@dataclass(frozen=True)
class FakeQuote:
    text: str
    attribution: str
    engine: str


class FakeQuotes:
    """A hand-written stand-in for the quote generator: deterministic in the seed, and it
    remembers what it was asked for."""

    model_ids = {1: "fake0001", 2: "fake0002"}  # quote engine -> model id

    def __init__(self) -> None:
        self.calls: list[tuple[int, str]] = []  # (seed, attribution)
        self.asked: list[tuple[int, str]] = []  # (engine, voice), call by call

    def generate(
        self, seed: int, attribution: str = "generated", engine: int = 2, voice_name: str = "any"
    ) -> FakeQuote:
        self.calls.append((seed, attribution))
        self.asked.append((engine, voice_name))
        who = "The Bot" if attribution == "signature" else f"Philosopher {seed}"
        voice = "" if voice_name == "any" else f" ({voice_name})"
        return FakeQuote(f"Quote number {seed}{voice}.", who, "neural" if engine == 1 else "fake")


class GatedRenderer:
    """The real renderer behind a gate: renders wait while it is closed. Records every batch,
    raises for recipes whose seed is in `poison` (a job that breaks its batch), and can tell
    whether the render at the gate has been asked to stop (`stop_asked`)."""

    def __init__(self, inner: Renderer) -> None:
        self.inner = inner
        self.device = inner.device
        self.batches: list[list[int]] = []  # seeds of each render_batch call
        self.poison: set[int] = set()
        self._open = threading.Event()
        self._open.set()
        self.entered = threading.Event()  # set when a render is waiting at the gate
        self._one = False  # let one render through, then close again (step())
        self._progress = None  # the progress hook of the last render to enter
        self.tiles_painted: int | None = None  # tiles the last render went on to paint

    def close(self) -> None:
        self._open.clear()

    def open(self) -> None:
        self._open.set()

    def step(self) -> None:
        """Let the render at the gate through and stop the next one."""
        self.entered.clear()
        self._one = True
        self._open.set()

    def stop_asked(self) -> bool:
        """Whether the executor has asked the last render to stop: its progress hook, which
        the real renderer calls between tiles, raises JobCancelled or JobTimeout."""
        try:
            if self._progress is not None:
                self._progress(0, 1)
        except (JobCancelled, JobTimeout):
            return True
        return False

    def render_batch(self, recipes, progress=None, timings=None, **kw):
        self._progress = progress
        self.entered.set()
        if not self._open.wait(30):
            raise TimeoutError("the test never opened the gate")
        if self._one:
            self._one = False
            self._open.clear()
        self.batches.append([r.seed for r in recipes])
        if self.poison & {r.seed for r in recipes}:
            raise RuntimeError("poisoned recipe")
        tiles = 0

        def counted(done: int, total: int) -> None:
            nonlocal tiles
            if progress is not None:
                progress(done, total)  # raises to stop: the tile after it is not rendered
            if done < total:
                tiles += 1

        try:
            return self.inner.render_batch(recipes, counted, timings, **kw)
        finally:
            self.tiles_painted = tiles


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def redis_server(tmp: Path) -> Iterator[str]:
    """CPPN_TEST_REDIS_URL if set (CI starts one); else a private redis-server on a free port.
    Skips where there is none, except under CI, where the arq tests must run."""
    url = os.environ.get("CPPN_TEST_REDIS_URL")
    if url:
        yield url
        return
    exe = shutil.which("redis-server")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the arq tests: install redis-server (see .ci/run)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    args = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen([*args, "--dir", str(tmp)], stdout=subprocess.DEVNULL)
    try:
        _wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def _wait_for_port(port: int, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not listen on port {port}")


class RedisProcess:
    """A private redis-server on a free port that a test stops (SIGKILL) and starts again on the
    same port: never CI's shared server, which others' tests use. It comes back empty, or with
    `persist` as it was (an append-only file written on every change)."""

    def __init__(self, exe: str, tmp: Path, persist: bool = False) -> None:
        self.exe, self.tmp, self.port, self.persist = exe, tmp, free_port(), persist
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        args = [self.exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "yes", "--appendfsync", "always"] if self.persist else []
        args += [] if self.persist else ["--appendonly", "no"]
        args += ["--dir", str(self.tmp)]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        _wait_for_port(self.port)

    def kill(self) -> None:
        """As a crash would: no shutdown, nothing saved."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None


@contextlib.contextmanager
def private_redis(
    tmp: Path, *, started: bool = True, persist: bool = False
) -> Iterator[RedisProcess]:
    """A RedisProcess (started unless asked not to); killed at the end. Skips where there is no
    redis-server, except under CI, where the Redis outage tests must run."""
    exe = shutil.which("redis-server")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the Redis outage tests: install redis-server (see .ci/run)")
        pytest.skip("redis-server is not installed")
    server = RedisProcess(exe, tmp, persist)
    try:
        if started:
            server.start()
        yield server
    finally:
        server.kill()
