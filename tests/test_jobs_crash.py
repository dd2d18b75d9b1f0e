"""Nothing lost, for real: a bot process queues jobs and is killed with SIGKILL mid-queue; a new
one starts on the same database; every accepted job completes exactly once.

The bot process is this file run as a script. With arq, a real `python -m bot.jobs worker`
process renders, and keeps rendering while the bot is dead.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest
from test_jobs_support import free_port, redis_server

ROOT = Path(__file__).resolve().parents[1]
JOBS = 24
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}


# --- the bot process --------------------------------------------------------------------------
async def bot(mode: str, db: str, log: str, backend: str, redis_url: str, queue: str) -> None:
    from bot.art import Recipe
    from bot.jobs import Owner, create_queue
    from bot.jobs.factory import build_pipeline
    from bot.jobs.model import Done
    from bot.settings import Settings
    from bot.store import Store

    settings = Settings(
        queue_backend=backend, redis_url=redis_url, queue_name=queue, batching=False,
        device="cpu", queue_max=1000, user_max_pending=1000, poll_s=0.02,
    )  # fmt: skip
    store = await Store.open(db)

    async def on_done(req, outcome) -> None:
        status = "ok" if isinstance(outcome, Done) else type(outcome).__name__
        with open(log, "a") as f:  # one short append per job: the delivery record
            f.write(f"{req.id} {status}\n")

    pipeline = build_pipeline(settings, None) if backend == "local" else None
    queue_ = create_queue(settings, store=store, pipeline=pipeline, on_done=on_done)
    print("requeued", len(await queue_.start()), flush=True)
    if mode == "submit":
        for i in range(JOBS):
            recipe = Recipe(seed=i, layers=6, width=32, w=256, h=256, quote="none")
            job = await queue_.submit(recipe, Owner(user=i))
            print("accepted", job.id, flush=True)  # acknowledged only once it is on disk
    while (await store.renders_by_status()).get("queued"):
        await asyncio.sleep(0.05)
    await queue_.close()
    await store.close()


# --- the test ---------------------------------------------------------------------------------
@pytest.fixture(params=["local", "arq"])
def backend(request, tmp_path):
    if request.param == "local":
        yield "local", "", None, None
        return
    with redis_server(tmp_path) as url:
        queue, port = f"crash:{uuid.uuid4().hex[:8]}", free_port()
        worker = subprocess.Popen(
            [sys.executable, "-m", "bot.jobs", "worker", "--redis", url, "--queue", queue,
             "--no-quotes", "--no-batching", "--device", "cpu", "--metrics-port", str(port)],
            env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            yield "arq", url, queue, port
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def _spawn(mode: str, tmp_path: Path, backend: tuple) -> subprocess.Popen:
    name, url, queue, _ = backend
    args = [
        mode,
        str(tmp_path / "bot.db"),
        str(tmp_path / "done.log"),
        name,
        url or "",
        queue or "",
    ]
    return subprocess.Popen(
        [sys.executable, __file__, *args], env=ENV, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def _lines(proc: subprocess.Popen) -> list[str]:
    """Collect the process's stdout lines on a thread, as they come."""
    got: list[str] = []
    threading.Thread(target=lambda: got.extend(proc.stdout), daemon=True).start()
    return got


def _done(tmp_path: Path) -> list[str]:
    log = tmp_path / "done.log"
    return log.read_text().split("\n")[:-1] if log.exists() else []


@pytest.mark.slow
def test_sigkill_mid_queue_then_restart_completes_every_accepted_job_once(tmp_path, backend):
    first = _spawn("submit", tmp_path, backend)
    out = _lines(first)
    deadline = time.monotonic() + 60
    while len(_done(tmp_path)) < 3 and time.monotonic() < deadline:
        if first.poll() is not None:
            pytest.fail(f"the bot exited early: {first.returncode}")
        time.sleep(0.005)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    accepted = {line.split()[1] for line in out if line.startswith("accepted")}
    before = {line.split()[0] for line in _done(tmp_path)}
    assert 3 <= len(before) < len(accepted), "killed mid-queue"

    second = _spawn("resume", tmp_path, backend)
    rest, _ = second.communicate(timeout=90)
    assert second.returncode == 0
    requeued = int(rest.split()[1])
    print(f"accepted {len(accepted)}, delivered before the kill {len(before)}, requeued {requeued}")
    assert requeued >= len(accepted) - len(before) - 1  # at most one was cut between store and log

    import sqlite3

    with sqlite3.connect(tmp_path / "bot.db") as db:
        rows = dict(db.execute("SELECT id, status FROM renders").fetchall())
    assert set(rows) >= accepted  # every acknowledged job had been written first
    assert {rows[i] for i in accepted} == {"done"}
    counts = Counter(line.split()[0] for line in _done(tmp_path))
    assert max(counts.values()) == 1  # no job delivered twice
    assert all(line.endswith(" ok") for line in _done(tmp_path))
    assert len(accepted - set(counts)) <= 1
    if backend[3]:  # the worker's prometheus endpoint counted what it rendered
        text = urllib.request.urlopen(f"http://127.0.0.1:{backend[3]}/metrics", timeout=5).read()
        samples = dict(
            line.rsplit(" ", 1) for line in text.decode().splitlines() if line[:1] != "#"
        )
        assert float(samples["cppn_batch_size_count"]) >= len(accepted)
        assert float(samples['cppn_stage_seconds_count{stage="encode"}']) >= len(accepted)


if __name__ == "__main__":
    asyncio.run(bot(*sys.argv[1:]))
