"""Exactly once, at the seams: an outcome the store cannot take is not delivered (the restart
delivers it, once); a job is marked finished only after on_done has returned, so a process that
stops inside on_done delivers the job again on its next start; with arq, a result stays in Redis
until its job is marked finished. tests/test_jobs_crash.py does the same with SIGKILL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import uuid

import pytest
from test_jobs_support import GatedRenderer, redis_server, tiny
from waiting import until

from bot.compose import Compositor
from bot.errors import JobFailed, QueueClosed
from bot.jobs import RenderQueue
from bot.jobs.executor import Executor
from bot.jobs.local import LocalBackend
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.store import Store

# arq 0.28 closes its pool with a call redis 5 marks deprecated; nothing to act on here.
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning")


class FlakyStore(Store):
    """The real store, whose next `failures` writes of a job's outcome raise as a full or broken
    disk would (whichever of the two outcome writes the queue makes first)."""

    failures = 0

    def _maybe_fail(self) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise sqlite3.OperationalError("disk I/O error")

    async def record_outcome(self, render_id: str, **kw) -> bool:
        self._maybe_fail()
        return await super().record_outcome(render_id, **kw)

    async def finish_render(self, render_id: str, status: str, **kw) -> bool:
        self._maybe_fail()
        return await super().finish_render(render_id, status, **kw)


class Deliveries:
    """An on_done that records each call, and what the store said about the job meanwhile."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ids: list[str] = []
        self.status_during: list[str] = []

    async def __call__(self, req, outcome) -> None:
        self.status_during.append((await self.store.get_render(req.id)).status)
        self.ids.append(req.id)


def local_queue(renderer, store: Store, on_done) -> RenderQueue:
    executor = Executor(Pipeline(renderer, Compositor(), None))
    return RenderQueue(LocalBackend(executor), store=store, on_done=on_done)


async def test_an_outcome_the_store_cannot_take_is_not_delivered_and_the_restart_delivers_it_once(
    renderer, tmp_path, caplog
):
    store = await FlakyStore.open(tmp_path / "q.db")
    delivered = Deliveries(store)
    queue = local_queue(renderer, store, delivered)
    await queue.start()
    store.failures = 1
    job = await queue.submit(tiny(1), 1)
    with pytest.raises(JobFailed, match="could not be recorded; it stays queued"):
        await job.result(20)
    await queue.idle()
    assert delivered.ids == []  # not posted
    assert (await store.get_render(job.id)).status == "queued"
    lines = [r for r in caplog.records if r.levelno >= logging.ERROR and job.id in r.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info is None and "\n" not in lines[0].getMessage()
    assert "disk I/O error" in lines[0].getMessage()
    other = await queue.submit(tiny(2), 2)  # the queue carries on once the store does
    await other.result(20)
    await queue.idle()
    assert delivered.ids == [other.id]
    await queue.close()
    await store.close()

    store = await Store.open(tmp_path / "q.db")  # the restart, on the same database
    delivered = Deliveries(store)
    queue = local_queue(renderer, store, delivered)
    assert [j.id for j in await queue.start()] == [job.id]
    await queue.idle()
    await queue.close()
    assert delivered.ids == [job.id]
    assert await store.renders_by_status() == {"done": 2}
    await store.close()


async def test_a_job_is_marked_finished_only_after_on_done_has_returned(renderer, tmp_path):
    store = await Store.open(tmp_path / "q.db")
    delivered = Deliveries(store)
    queue = local_queue(renderer, store, delivered)
    await queue.start()
    job = await queue.submit(tiny(1), 1)
    await job.result(20)
    assert (await store.get_render(job.id)).status == "done"  # marked before the handle resolves
    await queue.idle()
    await queue.close()
    assert delivered.ids == [job.id]
    assert delivered.status_during == ["queued"]  # a crash inside on_done re-queues it
    await store.close()


class Stopped(BaseException):
    """The process stopping where it is raised (as SIGKILL would stop it), in-process."""


async def test_a_process_that_stops_inside_on_done_delivers_the_job_on_its_next_start(
    renderer, tmp_path
):
    store = await Store.open(tmp_path / "q.db")
    calls: list[str] = []

    async def stops(req, outcome) -> None:
        calls.append(req.id)
        raise Stopped()

    queue = local_queue(renderer, store, stops)
    await queue.start()
    job = await queue.submit(tiny(1), 1)
    await until(lambda: calls == [job.id])
    await queue.close()
    with pytest.raises(QueueClosed):
        await job.result(5)

    delivered = Deliveries(store)
    again = local_queue(renderer, store, delivered)
    assert [j.id for j in await again.start()] == [job.id]
    await again.idle()
    await again.close()
    assert delivered.ids == [job.id]
    assert await store.renders_by_status() == {"done": 1}
    await store.close()


# --- arq: the result stays in Redis until its job is marked finished ---------------------------
@pytest.fixture
async def arq_worker(renderer, tmp_path):
    """A real redis-server and an arq worker in this process: (settings, its gated renderer)."""
    from bot.jobs.worker import make_worker

    with redis_server(tmp_path) as url:
        settings = Settings(
            queue_backend="arq", redis_url=url, queue_name=f"once:{uuid.uuid4().hex[:8]}",
            poll_s=0.02, batching=False,
        )  # fmt: skip
        gate = GatedRenderer(renderer)
        executor = Executor(Pipeline(gate, Compositor(), None), batching=False)
        executor.start()
        worker = make_worker(settings, executor, handle_signals=False)
        task = asyncio.get_running_loop().create_task(worker.async_run())
        yield settings, gate
        with contextlib.suppress(asyncio.CancelledError):  # see test_jobs_contract's stop_worker
            await worker.close()
        await asyncio.gather(task, return_exceptions=True)
        await asyncio.to_thread(executor.stop)


def arq_queue(settings: Settings, store: Store, on_done) -> RenderQueue:
    from bot.jobs.arq_backend import ArqBackend

    backend = ArqBackend(settings.redis_url, settings.queue_name, settings.poll_s)
    return RenderQueue(backend, store=store, on_done=on_done)


async def result_in_redis(settings: Settings, job_id: str) -> bool:
    from arq.constants import result_key_prefix
    from redis.asyncio import Redis

    redis = Redis.from_url(settings.redis_url)
    try:
        return bool(await redis.exists(result_key_prefix + job_id))
    finally:
        await redis.aclose()


async def test_arq_keeps_a_result_the_store_did_not_take_and_delivers_it_once_after_restart(
    arq_worker, tmp_path
):
    settings, gate = arq_worker
    store = await FlakyStore.open(tmp_path / "q.db")
    delivered = Deliveries(store)
    queue = arq_queue(settings, store, delivered)
    await queue.start()
    store.failures = 1
    job = await queue.submit(tiny(1), 1)
    with pytest.raises(JobFailed, match="could not be recorded"):
        await job.result(20)
    await queue.idle()
    await queue.close()
    assert delivered.ids == []
    assert await result_in_redis(settings, job.id)  # kept for the next start
    await store.close()

    store = await Store.open(tmp_path / "q.db")
    delivered = Deliveries(store)
    queue = arq_queue(settings, store, delivered)
    assert [j.id for j in await queue.start()] == [job.id]
    await queue.idle()
    assert delivered.ids == [job.id]
    assert gate.batches == [[1]]  # collected from Redis, not painted again
    assert await store.renders_by_status() == {"done": 1}

    async def result_gone() -> bool:  # marked finished: the result goes
        return not await result_in_redis(settings, job.id)

    await until(result_gone, timeout=10)
    await queue.close()
    await store.close()
