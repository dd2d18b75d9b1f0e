"""Losing Redis (arq backend), for real: a private redis-server is killed and started again, empty,
under a bot's queue and a `cppn-bot worker` process.

Jobs accepted before and during the outage all complete exactly once after Redis comes back: the
bot hands over again, from SQLite, every job Redis no longer knows. While Redis is down the jobs
stay queued (their state still answers), /healthz answers 503 naming Redis, the bot logs the
outage once (no traceback per poll), and the worker waits for Redis instead of exiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from test_jobs_support import private_redis, tiny
from waiting import until

from bot.art import Recipe
from bot.errors import JobFailed
from bot.health import HealthServer
from bot.jobs import RenderQueue
from bot.jobs.arq_backend import ArqBackend
from bot.jobs.model import JobResult, JobStatus, QueuedJob
from bot.jobs.queue import Limits, Lost
from bot.settings import Settings
from bot.store import Store

# arq 0.28 closes its pool with a call redis 5 marks deprecated; nothing to act on here.
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning")
ROOT = Path(__file__).resolve().parents[1]
CPPN_BOT = str(Path(sys.executable).with_name("cppn-bot"))  # the console script, in the venv
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
LOST = "lost Redis"  # what the worker's log says when Redis goes away
WAITS = "waiting for Redis"  # ... and when it cannot reach it


class Worker:
    """A `cppn-bot worker` process on a queue; its log (stderr) goes to a file."""

    def __init__(self, url: str, queue: str, tmp: Path) -> None:
        self.log_path = tmp / "worker.log"
        args = [CPPN_BOT, "worker", "--redis", url, "--queue", queue, "--no-quotes"]
        args += ["--no-batching", "--device", "cpu"]
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                args, env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log
            )

    def log(self) -> str:
        return self.log_path.read_text()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGCONT)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Deliveries:
    """An on_done that records each job handed on and whether it came with a picture."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.ok: list[bool] = []

    async def __call__(self, req, outcome) -> None:
        self.ids.append(req.id)
        self.ok.append(isinstance(outcome, JobResult))


async def healthz(port: int) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/healthz") as r,
    ):
        return r.status, json.loads(await r.text())


async def answers(port: int, status: int) -> dict:
    """Wait until /healthz answers `status`; its body."""
    got: list = []

    async def check() -> bool:
        got[:] = await healthz(port)
        return got[0] == status

    await until(check, timeout=30, every=0.05)
    return got[1]


@contextlib.asynccontextmanager
async def bot_queue(url: str, queue_name: str, tmp: Path):
    """A bot's render queue on the arq backend with a store, an on_done and /healthz."""
    store = await Store.open(tmp / "bot.db")
    delivered = Deliveries()
    backend = ArqBackend(url, queue_name, poll_s=0.02)
    queue = RenderQueue(backend, Limits(100, 100), store, on_done=delivered)
    await queue.start()
    health = HealthServer(queue.health, queue.metrics.registry, port=0)
    port = await health.start()
    try:
        yield queue, store, delivered, port
    finally:
        await health.close()
        await queue.close()
        await store.close()


async def in_progress(url: str, job_id: str) -> bool:
    from arq.constants import in_progress_key_prefix
    from redis.asyncio import Redis

    redis = Redis.from_url(url)
    try:
        return bool(await redis.exists(in_progress_key_prefix + job_id))
    finally:
        await redis.aclose()


def outage_lines(caplog) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "bot.jobs.arq_backend" and r.levelno >= logging.WARNING
    ]


@pytest.mark.slow
@pytest.mark.parametrize("comes_back", ["empty", "as it was"])  # no persistence, or append-only
async def test_jobs_queued_before_and_during_an_outage_complete_once_after_redis_comes_back(
    tmp_path, caplog, comes_back
):
    caplog.set_level(logging.INFO, logger="bot.jobs")
    queue_name = f"outage:{uuid.uuid4().hex[:8]}"
    with private_redis(tmp_path, persist=comes_back == "as it was") as redis:
        worker = Worker(redis.url, queue_name, tmp_path)
        try:
            async with bot_queue(redis.url, queue_name, tmp_path) as (queue, store, done, port):
                warm = await queue.submit(tiny(0), 100)
                await warm.result(90)  # the worker is up and renders
                assert (await healthz(port))[0] == 200

                # A job the worker is painting at the outage, and three waiting in Redis.
                running = await queue.submit(
                    Recipe(seed=7, layers=8, width=64, w=1024, h=1024, quote="none"), 7
                )
                await until(lambda: in_progress(redis.url, running.id), timeout=30)
                os.kill(worker.proc.pid, signal.SIGSTOP)  # held: the others wait in Redis
                before = [await queue.submit(tiny(i), i) for i in (1, 2, 3)]
                assert set(await queue.backend.waiting()) == {j.id for j in before}
                before.append(running)
                redis.kill()
                os.kill(worker.proc.pid, signal.SIGCONT)

                body = await answers(port, 503)
                assert body["redis"] is False
                during = [await queue.submit(tiny(i), i) for i in (4, 5, 6)]  # accepted
                for job in before + during:  # what a person's progress message asks
                    assert (await job.state()).status == JobStatus.QUEUED
                await until(lambda: LOST in worker.log(), timeout=30)
                assert worker.alive(), worker.log()

                redis.start()  # empty, it lost every job; or it has those queued before
                for job in before + during:
                    await job.result(90)
                await queue.idle()
                assert (await answers(port, 200))["redis"] is True
                assert worker.alive(), worker.log()
                jobs = [warm, *before, *during]
                assert Counter(done.ids) == Counter(j.id for j in jobs)  # each once
                assert all(done.ok)
                assert await store.renders_by_status() == {"done": len(jobs)}
                assert queue.pending() == 0
        finally:
            worker.stop()
    lines = outage_lines(caplog)
    assert len(lines) == 1 and lines[0].exc_info is None, [r.getMessage() for r in lines]
    assert "Redis" in lines[0].getMessage()


@pytest.mark.slow
async def test_the_bot_and_the_worker_start_while_redis_is_down_and_wait_for_it(tmp_path):
    queue_name = f"outage:{uuid.uuid4().hex[:8]}"
    with private_redis(tmp_path, started=False) as redis:
        worker = Worker(redis.url, queue_name, tmp_path)
        try:
            await until(lambda: WAITS in worker.log() or not worker.alive(), timeout=60)
            assert worker.alive(), worker.log()
            async with bot_queue(redis.url, queue_name, tmp_path) as (queue, store, done, port):
                job = await queue.submit(tiny(1), 1)  # accepted: it waits in SQLite
                assert (await answers(port, 503))["redis"] is False
                redis.start()
                await job.result(90)
                await queue.idle()
                assert done.ids == [job.id] and done.ok == [True]
                assert await store.renders_by_status() == {"done": 1}
                assert (await answers(port, 200))["redis"] is True
            assert worker.alive(), worker.log()
        finally:
            worker.stop()


@pytest.mark.slow
def test_a_worker_redis_refuses_exits_with_one_line_that_does_not_show_the_password(tmp_path):
    """Waiting helps an outage, not a refusal (a wrong password): that ends the worker, status 2."""
    with private_redis(tmp_path) as redis:
        url = f"redis://:sekrit-pw@127.0.0.1:{redis.port}/0"
        args = [CPPN_BOT, "worker", "--redis", url, "--no-quotes", "--device", "cpu"]
        done = subprocess.run(args, env=ENV, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert f"Redis at 127.0.0.1:{redis.port} refused the worker" in done.stderr
    assert "sekrit" not in done.stderr + done.stdout


# --- the queue's half, without Redis: a job the backend reports Lost -----------------------------
class LosingBackend:
    """A backend that runs nothing: it records what it is given and reports a job Lost when the
    test says so, as the arq backend does for a job Redis no longer knows."""

    check_name = "fake"

    def __init__(self) -> None:
        self.enqueued: list[QueuedJob] = []
        self.deliver = None

    async def start(self, deliver) -> None:
        self.deliver = deliver

    async def enqueue(self, req: QueuedJob) -> None:
        self.enqueued.append(req)

    def lose(self, job_id: str) -> None:
        self.deliver(job_id, Lost(job_id))

    async def cancel(self, job_id: str) -> bool:
        return False

    async def waiting(self) -> list[str]:
        return [r.id for r in self.enqueued]

    async def alive(self) -> bool:
        return True

    async def close(self) -> None:
        pass


async def losing_queue(tmp: Path):
    store = await Store.open(tmp / "q.db")
    backend, delivered = LosingBackend(), Deliveries()
    queue = RenderQueue(backend, store=store, on_done=delivered)
    await queue.start()
    return queue, backend, store, delivered


async def test_a_lost_job_is_handed_over_again_as_the_store_holds_it(tmp_path):
    queue, backend, store, delivered = await losing_queue(tmp_path)
    job = await queue.submit(tiny(1), 1)
    row = await store.get_render(job.id)
    backend.lose(job.id)
    await until(lambda: len(backend.enqueued) == 2)
    assert backend.enqueued[1] == QueuedJob.from_row(row)
    assert backend.enqueued[1].id == job.id and not job.done()
    assert queue.pending(1) == 1 and delivered.ids == []  # still one job, nobody told anything
    assert await queue.health() == {"queue": True, "fake": True}
    await queue.close()
    await store.close()


async def test_a_lost_job_the_store_cannot_give_back_fails_and_is_told_once(tmp_path):
    queue, backend, store, delivered = await losing_queue(tmp_path)
    job = await queue.submit(tiny(1), 1)
    await store.db.execute("UPDATE renders SET code = 'not a code' WHERE id = ?", (job.id,))
    await store.db.commit()
    backend.lose(job.id)
    with pytest.raises(JobFailed, match="lost and could not be queued"):
        await job.result(10)
    await queue.idle()
    assert len(backend.enqueued) == 1  # not handed over again
    assert delivered.ids == [job.id] and delivered.ok == [False]
    assert (await store.get_render(job.id)).status == "failed"
    assert queue.pending() == 0
    await queue.close()
    await store.close()


async def test_a_job_whose_end_could_not_be_written_counts_as_in_hand(monkeypatch):
    """The outage race: a job finishes while Redis is down, so arq cannot write its result nor
    clear its in-progress mark, and forgets the job (its task is done). A Redis that comes back
    with its data would keep the job marked for minutes: the worker must clear that mark too."""
    from types import SimpleNamespace

    from arq.worker import Worker as ArqWorker
    from redis.exceptions import ConnectionError as RedisConnectionError

    from bot.jobs.worker import in_hand, make_worker

    async def unreachable(self, job_id, *args, **kwargs):
        raise RedisConnectionError("Redis is gone")

    monkeypatch.setattr(ArqWorker, "finish_job", unreachable)
    worker = make_worker(Settings(queue_backend="arq"), SimpleNamespace(batch_max=1),
                         handle_signals=False)  # type: ignore[arg-type]  # fmt: skip
    running = asyncio.get_running_loop().create_future()
    worker.tasks["running"] = running  # type: ignore[assignment]
    with pytest.raises(RedisConnectionError):
        await worker.finish_job("finished", True, None, None, False, None, None)
    assert in_hand(worker) == ["running", "finished"]
    running.cancel()
