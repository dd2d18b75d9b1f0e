"""The executor and the local queue around it: Pillow beside the device, the event loop never
blocked, a shutdown that keeps waiting jobs for the next start; settings from the environment."""

from __future__ import annotations

import asyncio
import threading

import pytest
from test_jobs_support import GatedRenderer, tiny
from waiting import until

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
        self.entered = threading.Event()  # set when a composition waits to be released

    def compose(self, *args, **kwargs):
        self.entered.set()
        assert self.release.wait(30), "the test never released the compositor"
        return super().compose(*args, **kwargs)


async def test_the_device_keeps_rendering_while_pillow_works(renderer):
    gate, compositor = GatedRenderer(renderer), HeldCompositor()
    ex = Executor(Pipeline(gate, compositor, None), compose_threads=1)
    ex.start()
    got: dict[str, object] = {}
    jobs = [tiny(s, width=4 + s) for s in range(3)]  # three architectures: three passes
    from bot.jobs.model import Owner, QueuedJob
    from bot.pipeline import PaintSpec

    reqs = [QueuedJob(spec=PaintSpec(r), owner=Owner(1)) for r in jobs]
    for req in reqs:
        ex.submit(req, lambda i, out: got.__setitem__(i, out))
    await until(lambda: len(gate.batches) == 3, timeout=20)
    assert compositor.entered.is_set() and not got  # all rendered while the first is held
    compositor.release.set()
    await until(lambda: len(got) == 3, timeout=20)
    await asyncio.to_thread(ex.stop)
    assert [got[r.id].picture.code for r in reqs] == [r.spec.code for r in reqs]


async def test_the_event_loop_keeps_turning_while_jobs_run(renderer):
    """The render and the composition run off the event loop: while each is held at its gate,
    the loop still runs this test, and only this test opens them. A stage run on the loop would
    hold the loop at its gate, and the job would fail there, never opened."""
    gate, compositor = GatedRenderer(renderer), HeldCompositor()
    gate.close()
    queue = RenderQueue(LocalBackend(Executor(Pipeline(gate, compositor, None))))
    await queue.start()
    job = await queue.submit(tiny(1), 1)
    await until(gate.entered.is_set, timeout=20)  # the render waits; the loop turns
    assert not job.done()
    gate.open()
    await until(compositor.entered.is_set, timeout=20)  # the composition waits; the loop turns
    assert not job.done()
    compositor.release.set()
    assert (await job.result(20)).code == job.code
    await queue.close()


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
    await until(lambda: queue.pending() == 1)  # the waiting ones are kept for the next start
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
