"""Nothing lost, for real: a bot process queues jobs and is killed with SIGKILL mid-queue; a new
one starts on the same database; every accepted job is delivered exactly once.

The bot process is this file run as a script; a delivery is one line in its log. With arq, a real
`cppn-bot worker` process renders, and keeps rendering while the bot is dead.

The queue marks a job finished only after on_done has returned, and re-queues every job not so
marked on start. A kill that lands inside on_done (after its line, before the mark) therefore
hands that job to on_done again after the restart: the queue cannot know whether a side effect
it did not see finish happened. The bot's on_done makes that repeat harmless the way any
consumer can, by checking its own delivery record (the log) for the job id. The test checks the
queue's half on its own: every call is logged, and after the restart on_done is called once for
each job that was not marked finished at the kill, and never for one that was.

So that both seams are hit on every run, not by luck, the first process's on_done holds its
fourth call forever, before or after writing its line, and the kill comes while it is held (the
other jobs go on meanwhile, and the kill lands wherever they are).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
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
HOLD_AT = 4  # the first process's on_done holds this call until the kill
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
CPPN_BOT = str(Path(sys.executable).with_name("cppn-bot"))  # the console script, in the venv


# --- the bot process --------------------------------------------------------------------------
async def bot(
    mode: str, db: str, log: str, backend: str, redis_url: str, queue: str, hold: str
) -> None:
    from bot.art import Recipe
    from bot.jobs import Owner, create_queue
    from bot.jobs.model import JobResult
    from bot.pipeline import Pipeline
    from bot.settings import Settings
    from bot.store import Store

    settings = Settings(
        queue_backend=backend, redis_url=redis_url, queue_name=queue, batching=False,
        device="cpu", queue_max=1000, user_max_pending=1000, poll_s=0.02,
    )  # fmt: skip
    store = await Store.open(db)
    delivered = {line.split()[0] for line in _read(log)}  # before this process started
    calls = 0

    async def on_done(req, outcome) -> None:
        nonlocal calls
        with open(log + ".calls", "a") as f:  # what the queue handed on, for the test
            f.write(f"{mode} {req.id}\n")
        calls += 1
        if req.id in delivered:  # handed on again after a kill inside on_done: already done
            return
        held = mode == "submit" and calls == HOLD_AT
        if held and hold == "before":
            await asyncio.Event().wait()  # killed here
        status = "ok" if isinstance(outcome, JobResult) else type(outcome).__name__
        with open(log, "a") as f:  # one short append per job: the delivery itself
            f.write(f"{req.id} {status}\n")
        delivered.add(req.id)
        if held and hold == "after":
            await asyncio.Event().wait()  # killed here

    pipeline = Pipeline.create(settings.device) if backend == "local" else None
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
            [CPPN_BOT, "worker", "--redis", url, "--queue", queue,
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


def _spawn(mode: str, tmp_path: Path, backend: tuple, hold: str = "") -> subprocess.Popen:
    name, url, queue, _ = backend
    args = [
        mode,
        str(tmp_path / "bot.db"),
        str(tmp_path / "done.log"),
        name,
        url or "",
        queue or "",
        hold,
    ]
    return subprocess.Popen(
        [sys.executable, __file__, *args], env=ENV, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def _lines(proc: subprocess.Popen) -> list[str]:
    """Collect the process's stdout lines on a thread, as they come (a line cut short by a kill
    comes without its newline)."""
    got: list[str] = []
    threading.Thread(target=lambda: got.extend(proc.stdout), daemon=True).start()
    return got


def _read(path: str | Path) -> list[str]:
    path = Path(path)
    return path.read_text().split("\n")[:-1] if path.exists() else []


def _done(tmp_path: Path) -> list[str]:
    return _read(tmp_path / "done.log")


def _calls(tmp_path: Path, mode: str) -> Counter[str]:
    """How often the queue of the `mode` process handed each job to on_done."""
    lines = _read(tmp_path / "done.log.calls")
    return Counter(line.split()[1] for line in lines if line.split()[0] == mode)


def _statuses(tmp_path: Path) -> dict[str, str]:
    with sqlite3.connect(tmp_path / "bot.db") as db:
        return dict(db.execute("SELECT id, status FROM renders").fetchall())


def _held(tmp_path: Path, hold: str) -> str | None:
    """The job whose on_done the first process holds, once it is held there."""
    handed = [line.split()[1] for line in _read(tmp_path / "done.log.calls")]
    if len(handed) < HOLD_AT:
        return None
    held = handed[HOLD_AT - 1]
    if hold == "after" and held not in {line.split()[0] for line in _done(tmp_path)}:
        return None
    return held


@pytest.mark.slow
@pytest.mark.parametrize("hold", ["before", "after"])  # the kill, inside on_done: its line
def test_sigkill_mid_queue_then_restart_delivers_every_accepted_job_exactly_once(
    tmp_path, backend, hold
):
    first = _spawn("submit", tmp_path, backend, hold)
    out = _lines(first)
    deadline = time.monotonic() + 60
    while (held := _held(tmp_path, hold)) is None and time.monotonic() < deadline:
        if first.poll() is not None:
            pytest.fail(f"the bot exited early: {first.returncode}")
        time.sleep(0.005)
    assert held is not None, "on_done was never held"
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    # A job is acknowledged once its whole line is out: the kill may cut the last one short.
    accepted = {
        line.split()[1] for line in out if line.startswith("accepted ") and line[-1] == "\n"
    }
    before = {line.split()[0] for line in _done(tmp_path)}
    assert 3 <= len(before) < len(accepted), "killed mid-queue"
    at_kill = _statuses(tmp_path)
    assert set(at_kill) >= accepted  # every acknowledged job had been written first
    marked = {i for i, status in at_kill.items() if status != "queued"}
    assert marked <= before  # marked finished only once delivered
    assert held not in marked and (held in before) == (hold == "after")
    assert max(_calls(tmp_path, "submit").values()) == 1  # once per job within a process

    second = _spawn("resume", tmp_path, backend)
    rest, _ = second.communicate(timeout=90)
    assert second.returncode == 0
    requeued = int(rest.split()[1])
    again = _calls(tmp_path, "resume")
    repeats = set(again) & before
    print(
        f"accepted {len(accepted)}, delivered before the kill {len(before)}, requeued "
        f"{requeued}, handed on again after a kill inside on_done {len(repeats)}"
    )
    # The queue's half: every job not marked finished at the kill is handed on once after the
    # restart, and none that was marked.
    assert requeued == len(at_kill) - len(marked)
    assert set(again) == set(at_kill) - marked and max(again.values()) == 1
    assert held in again
    assert {status for status in _statuses(tmp_path).values()} == {"done"}
    # Together with the bot's own record: every accepted job delivered exactly once.
    counts = Counter(line.split()[0] for line in _done(tmp_path))
    assert {i: counts[i] for i in accepted} == dict.fromkeys(accepted, 1)
    assert max(counts.values()) == 1
    assert all(line.endswith(" ok") for line in _done(tmp_path))
    if backend[3]:  # the worker's prometheus endpoint counted what it rendered
        text = urllib.request.urlopen(f"http://127.0.0.1:{backend[3]}/metrics", timeout=5).read()
        samples = dict(
            line.rsplit(" ", 1) for line in text.decode().splitlines() if line[:1] != "#"
        )
        assert float(samples["cppn_batch_size_count"]) >= len(accepted)
        assert float(samples['cppn_stage_seconds_count{stage="encode"}']) >= len(accepted)


if __name__ == "__main__":
    asyncio.run(bot(*sys.argv[1:]))
