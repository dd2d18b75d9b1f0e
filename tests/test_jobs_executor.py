"""The executor and the local queue around it: Pillow beside the device, the event loop never
blocked, a shutdown that keeps waiting jobs for the next start; settings from the environment."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from test_jobs_support import GatedRenderer, tiny

from bot.art import Recipe
from bot.compose import Compositor
from bot.errors import QueueClosed, SettingsError
from bot.jobs import RenderQueue
from bot.jobs.executor import Executor
from bot.jobs.local import LocalBackend
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.store import Store


class HeldCompositor(Compositor):
    """The real compositor, held until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def compose(self, *args, **kwargs):
        assert self.release.wait(30)
        return super().compose(*args, **kwargs)


def test_the_device_keeps_rendering_while_pillow_works(renderer):
    gate, compositor = GatedRenderer(renderer), HeldCompositor()
    ex = Executor(Pipeline(gate, compositor, None), compose_threads=1)
    ex.start()
    got: dict[str, object] = {}
    jobs = [tiny(s, width=4 + s) for s in range(3)]  # three architectures: three passes
    from bot.jobs.model import JobRequest, Owner
    from bot.pipeline import PaintJob

    reqs = [JobRequest(PaintJob(r), Owner(1)) for r in jobs]
    for req in reqs:
        ex.submit(req, lambda i, out: got.__setitem__(i, out))
    deadline = time.monotonic() + 20
    while len(gate.batches) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(gate.batches) == 3 and not got  # all rendered, none composed yet
    compositor.release.set()
    while len(got) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    ex.stop()
    assert [got[r.id].finished.code for r in reqs] == [r.job.code for r in reqs]


async def test_the_event_loop_keeps_turning_while_jobs_run(renderer):
    ex = Executor(Pipeline(renderer, Compositor(), None), batching=False)
    queue = RenderQueue(LocalBackend(ex))
    await queue.start()
    # A loop that ran a job itself would stall for the whole job; the worst stall seen must be a
    # small fraction of one job's time (relative, so a faster or slower machine does not matter).
    r = [Recipe(seed=s, layers=8, width=64, w=512, h=512, quote="none") for s in range(2)]
    jobs = [await queue.submit(x, s) for s, x in enumerate(r)]
    worst, t0 = 0.0, time.perf_counter()
    while not all(j.done() for j in jobs):
        t = time.perf_counter()
        await asyncio.sleep(0.005)
        worst = max(worst, time.perf_counter() - t)
    took = time.perf_counter() - t0
    await queue.close()
    print(f"2 jobs in {took:.2f} s; longest loop stall {worst * 1000:.0f} ms")
    assert worst < 0.25 * took / len(jobs), (took, worst)


async def test_shutdown_keeps_waiting_jobs_for_the_next_start(renderer, tmp_path):
    store = await Store.open(tmp_path / "q.db")
    gate = GatedRenderer(renderer)
    queue = RenderQueue(LocalBackend(Executor(Pipeline(gate, Compositor(), None))), store=store)
    await queue.start()
    gate.close()
    first = await queue.submit(tiny(1), 1)
    await asyncio.to_thread(gate.entered.wait, 10)
    later = [await queue.submit(tiny(s, width=9), s) for s in (2, 3)]
    closing = asyncio.create_task(queue.close())
    await asyncio.sleep(0.05)
    gate.open()  # the batch in hand finishes; the rest stays queued
    await closing
    assert (await first.result(5)).code == first.code
    for job in later:
        with pytest.raises(QueueClosed):
            await job.result(5)
    assert sorted(r.id for r in await store.unfinished()) == sorted(j.id for j in later)
    again = RenderQueue(LocalBackend(Executor(Pipeline(renderer, Compositor(), None))), store=store)
    requeued = await again.start()
    assert sorted(j.id for j in requeued) == sorted(j.id for j in later)
    await asyncio.gather(*(j.result(20) for j in requeued))
    await again.close()
    assert await store.renders_by_status() == {"done": 3}
    await store.close()


async def test_submit_needs_a_started_queue(renderer):
    queue = RenderQueue(LocalBackend(Executor(Pipeline(renderer, Compositor(), None))))
    with pytest.raises(QueueClosed):
        await queue.submit(tiny(1), 1)


def test_settings_come_from_the_environment_with_defaults():
    s = Settings.from_env({})
    assert s == Settings() and s.queue_backend == "local" and s.user_max_pending == 2
    env = {"CPPN_QUEUE_MAX": "7", "CPPN_BATCHING": "off", "CPPN_JOB_TIMEOUT_S": "2.5"}
    s = Settings.from_env({**env, "CPPN_QUEUE_BACKEND": "arq"}, batch_max=3)
    assert (s.queue_max, s.batching, s.job_timeout_s, s.queue_backend, s.batch_max) == (
        7, False, 2.5, "arq", 3,
    )  # fmt: skip
    with pytest.raises(SettingsError, match="CPPN_QUEUE_MAX='many' is not a int"):
        Settings.from_env({"CPPN_QUEUE_MAX": "many"})
    with pytest.raises(SettingsError, match="user_max_pending must be at least 1"):
        Settings.from_env({"CPPN_USER_MAX_PENDING": "0"})
    with pytest.raises(SettingsError, match="not local or arq"):
        Settings(queue_backend="celery")
