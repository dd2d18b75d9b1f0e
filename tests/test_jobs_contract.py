"""The render queue's contract, run against both backends: local, and arq on a real Redis.

The arq run uses a real redis-server and a real arq Worker (in this process, so tests can hold its
renderer at a gate); tests/test_jobs_crash.py runs `cppn-bot worker` processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import uuid
from dataclasses import dataclass, field

import pytest
from PIL import Image
from test_jobs_support import FakeQuotes, GatedRenderer, redis_server, tiny
from waiting import until

from bot.art import Recipe
from bot.compose import Compositor
from bot.errors import (
    JobCancelled,
    JobFailed,
    JobTimeout,
    QueueFull,
    TooManyPending,
    TooMuchWork,
)
from bot.forms import Form
from bot.jobs import JobStatus, Owner, Priority, RenderQueue
from bot.jobs.factory import build_executor
from bot.jobs.metrics import Metrics
from bot.jobs.queue import Limits
from bot.pipeline import PaintSpec, Pipeline
from bot.settings import Settings
from bot.store import Store

BACKENDS = ["local", "arq"]
# arq 0.28 closes its pool with a call redis 5 marks deprecated; nothing to act on here.
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning")


@dataclass
class Env:
    queue: RenderQueue
    gate: GatedRenderer
    store: Store
    metrics: Metrics
    executor_metrics: Metrics
    executor: object = None
    delivered: list = field(default_factory=list)  # (request, outcome) from on_done
    worker: object = None
    start_worker: object = None


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(params=BACKENDS)
async def make_env(request, renderer, tmp_path):
    """An async factory: `await make_env(batch_max=..., ...)` -> a started Env."""
    cleanups = []

    async def make(
        lazy_worker: bool = False, queue_max: int = 100, user_max: int = 2, user_work=None, **kw
    ):
        url = request.getfixturevalue("redis_url") if request.param == "arq" else ""
        settings = Settings(
            queue_backend=request.param, redis_url=url or Settings.redis_url,
            queue_name=f"test:{uuid.uuid4().hex[:8]}", poll_s=0.02, **kw,
        )  # fmt: skip
        gate = GatedRenderer(renderer)
        executor_metrics = Metrics()
        executor = build_executor(
            settings, Pipeline(gate, Compositor(), FakeQuotes()), executor_metrics
        )
        store = await Store.open(tmp_path / f"{settings.queue_name[5:]}.db")
        env = Env(None, gate, store, Metrics(), executor_metrics, executor)  # type: ignore[arg-type]

        async def on_done(req, outcome):
            env.delivered.append((req, outcome))

        backend = await _backend(settings, executor, env, cleanups, lazy_worker)
        limits = Limits(queue_max, user_max, *([user_work] if user_work else []))
        env.queue = RenderQueue(backend, limits, store, env.metrics, on_done)
        cleanups.append(store.close)
        cleanups.append(env.queue.close)
        cleanups.append(gate.open)
        return env

    yield make
    for cleanup in reversed(cleanups):
        result = cleanup()
        if asyncio.iscoroutine(result):
            await result


async def _backend(settings, executor, env, cleanups, lazy_worker):
    if settings.queue_backend == "local":
        from bot.jobs.local import LocalBackend

        return LocalBackend(executor)
    from bot.jobs.arq_backend import ArqBackend
    from bot.jobs.worker import make_worker

    executor.start()
    worker = make_worker(settings, executor, handle_signals=False)
    tasks = []

    async def start_worker():
        tasks.append(asyncio.get_running_loop().create_task(worker.async_run()))

    async def stop_worker():
        env.gate.open()
        # arq's close() cancels the jobs in hand and then gathers them without
        # return_exceptions, so a job still running at teardown surfaces as CancelledError.
        with contextlib.suppress(asyncio.CancelledError):
            await worker.close()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.to_thread(executor.stop)

    cleanups.append(stop_worker)
    env.start_worker = start_worker
    if not lazy_worker:
        await start_worker()
    return ArqBackend(settings.redis_url, settings.queue_name, settings.poll_s)


async def in_executor(env: Env, n: int) -> None:
    """Wait until n jobs wait in the executor (arq: the worker has taken them from Redis)."""
    await until(lambda: len(env.executor.waiting()) == n)


async def blocked(env: Env, user: int = 999):
    """Submit a job and wait until its render waits at the closed gate."""
    env.gate.close()
    env.gate.entered.clear()
    job = await env.queue.submit(tiny(999), user)
    await until(env.gate.entered.is_set)
    return job


# --- the happy path ---------------------------------------------------------------------------
async def test_a_job_comes_back_with_its_picture_and_is_recorded(make_env, renderer):
    env = await make_env()
    await env.queue.start()
    recipe = tiny(11)
    job = await env.queue.submit(recipe, Owner(user=5, guild=7, channel=8))
    done = await job.result(timeout=20)
    assert done.code == job.code and done.mime == "image/png"
    assert Image.open(io.BytesIO(done.data)).size == (32, 32)
    alone = Pipeline(renderer, Compositor(), None).run(PaintSpec(recipe))
    assert done.data == alone.data  # the queue paints what the pipeline paints
    assert (await job.state()).status == JobStatus.DONE
    row = await env.store.get_render(job.id)
    assert row.status == "done" and row.owner == 5 and row.guild == 7 and row.channel == 8
    assert row.device == "cpu" and row.versions["quotes"] == "1:fake0001 2:fake0002"
    assert {"render", "compose", "encode"} <= set(row.timings)
    await until(lambda: len(env.delivered) == 1)
    assert env.delivered[0][0].id == job.id
    assert env.metrics.value("cppn_jobs_finished_total", {"status": "done"}) == 1
    assert env.executor_metrics.value("cppn_stage_seconds_count", {"stage": "encode"}) == 1
    assert env.executor_metrics.value("cppn_queue_wait_seconds_count") == 1
    assert env.metrics.value("cppn_queue_depth") == 0


async def test_idle_means_every_job_and_every_on_done_has_finished(make_env):
    """After idle(), nothing more happens for the jobs accepted before it: the basis of every
    'this did not happen' check in the tests."""
    env = await make_env()
    await env.queue.start()
    await env.queue.idle()  # nothing accepted: returns at once
    env.gate.close()
    jobs = [await env.queue.submit(tiny(40 + i), Owner(user=60 + i)) for i in range(3)]
    waiting = asyncio.create_task(env.queue.idle())
    await until(lambda: env.gate.entered.is_set())
    assert not waiting.done()  # a render is held at the gate: not idle
    env.gate.open()
    await waiting
    assert all(job.done() for job in jobs) and len(env.delivered) == 3
    assert env.queue.pending() == 0


async def test_custom_quote_and_generated_quote_travel(make_env):
    env = await make_env()
    await env.queue.start()
    custom = await env.queue.submit(PaintSpec(tiny(3), custom_quote="mine"), 1)
    generated = await env.queue.submit(Recipe(seed=4, w=48, h=32, layers=1), 2)
    assert (await custom.result(20)).quote == "mine"
    assert (await generated.result(20)).quote == "Quote number 4."


# --- limits -----------------------------------------------------------------------------------
async def test_per_user_cap_and_global_cap(make_env):
    env = await make_env(queue_max=4, user_max=2)
    await env.queue.start()
    await blocked(env, user=100)
    await env.queue.submit(tiny(1), 1)
    await env.queue.submit(tiny(2), 1)
    with pytest.raises(TooManyPending, match="2 paintings in the queue"):
        await env.queue.submit(tiny(3), 1)
    await env.queue.submit(tiny(4), 2)  # another person may
    with pytest.raises(QueueFull, match="queue is full, try again in a minute"):
        await env.queue.submit(tiny(5), 3)
    assert env.queue.pending() == 4 and env.queue.pending(1) == 2
    assert env.metrics.value("cppn_queue_depth") == 4
    assert env.metrics.value("cppn_jobs_rejected_total", {"reason": "queue_full"}) == 1
    env.gate.open()
    await until(lambda: env.queue.pending() == 0)
    await env.queue.submit(tiny(3), 1)  # room again once they are done


async def test_interactive_jobs_run_before_background_ones(make_env):
    env = await make_env(batch_max=4)
    await env.queue.start()
    await blocked(env)
    late = [await env.queue.submit(tiny(s, width=6), s, Priority.BACKGROUND) for s in (1, 2)]
    sched = await env.queue.submit(tiny(3, width=7), 3, Priority.SCHEDULED)
    now = [await env.queue.submit(tiny(s, width=5), s) for s in (4, 5)]
    await in_executor(env, 5)
    env.gate.open()
    for job in [*late, sched, *now]:
        await job.result(20)
    assert env.gate.batches == [[999], [4, 5], [3], [1, 2]]


# --- animations and Vary grids ----------------------------------------------------------------
async def test_a_loop_is_one_job_that_shows_its_frames_done_and_comes_back_as_video(make_env):
    env = await make_env()
    await env.queue.start()
    await blocked(env)
    spec = PaintSpec(tiny(12), form=Form.loop(seconds=2, fps=20))  # 40 frames: 16, 16, 8
    job = await env.queue.submit(spec, Owner(user=5, guild=7, channel=8))
    for passed in (1, 2):  # the job at the gate, then the loop's first 16 frames, go through
        env.gate.step()
        await until(lambda n=passed: len(env.gate.batches) == n and env.gate.entered.is_set())
    seen = []

    async def frames_done():
        seen.append(await job.state())
        return seen[-1].progress == (16, 40)

    await until(frames_done)
    assert seen[-1].status == JobStatus.RUNNING and seen[-1].eta_s > 0
    env.gate.open()
    done = await job.result(timeout=60)
    assert done.mime == "video/mp4" and done.form == "loop:2:20"
    assert [len(b) for b in env.gate.batches[1:]] == [16, 16, 8]  # never batched with others
    row = await env.store.get_render(job.id)
    assert row.status == "done" and row.form == "loop:2:20"


async def test_a_vary_grid_travels_with_its_four_codes(make_env):
    env = await make_env()
    await env.queue.start()
    recipe = Recipe(seed=9, w=80, h=80, layers=2, width=6)
    job = await env.queue.submit(PaintSpec(recipe, form=Form.grid("strong")), 3)
    done = await job.result(timeout=30)
    assert done.form == "grid:strong" and len(done.tiles) == 4
    assert Image.open(io.BytesIO(done.data)).size == (80, 80)
    assert len({*done.tiles, done.code}) == 5  # four siblings, none the picture itself


async def test_one_persons_queued_work_is_capped_counting_every_frame(make_env):
    loop = PaintSpec(tiny(1), form=Form.loop(seconds=1, fps=10))
    env = await make_env(user_max=5, user_work=2.5 * loop.cost())
    await env.queue.start()
    await blocked(env, user=1)  # a still: tiny
    await env.queue.submit(loop, 1)
    await env.queue.submit(loop, 1)
    with pytest.raises(TooMuchWork, match="wait for them to finish"):
        await env.queue.submit(loop, 1)
    await env.queue.submit(tiny(3), 1)  # a still still fits under the cap
    await env.queue.submit(loop, 2)  # another person's budget is their own
    assert env.metrics.value("cppn_jobs_rejected_total", {"reason": "user_work"}) == 1
    env.gate.open()
    await until(lambda: env.queue.pending() == 0)
    await env.queue.submit(loop, 1)  # room again once they are done


# --- the executor -----------------------------------------------------------------------------
async def test_jobs_of_one_architecture_share_a_bounded_batch(make_env):
    env = await make_env(batch_max=4)
    await env.queue.start()
    await blocked(env)
    jobs = [await env.queue.submit(tiny(s), s) for s in range(1, 7)]
    other = await env.queue.submit(tiny(7, width=9), 7)
    await in_executor(env, 7)
    env.gate.open()
    await asyncio.gather(*(j.result(20) for j in [*jobs, other]))
    assert env.gate.batches == [[999], [1, 2, 3, 4], [5, 6], [7]]
    assert env.executor_metrics.value("cppn_batch_size_count") == 4
    assert env.executor_metrics.value("cppn_batch_size_sum") == 1 + 4 + 2 + 1


async def test_batching_off_renders_one_at_a_time(make_env):
    env = await make_env(batching=False)
    await env.queue.start()
    await blocked(env)
    jobs = [await env.queue.submit(tiny(s), s) for s in (1, 2, 3)]
    env.gate.open()
    await asyncio.gather(*(j.result(20) for j in jobs))
    assert sorted(env.gate.batches) == [[1], [2], [3], [999]]


async def test_a_failing_job_fails_alone(make_env):
    env = await make_env()
    await env.queue.start()
    env.gate.poison.add(2)
    await blocked(env)
    jobs = [await env.queue.submit(tiny(s), s) for s in (1, 2, 3)]
    await in_executor(env, 3)
    env.gate.open()
    assert (await jobs[0].result(20)).code == jobs[0].code
    with pytest.raises(JobFailed, match="RuntimeError: poisoned recipe"):
        await jobs[1].result(20)
    assert (await jobs[2].result(20)).code == jobs[2].code
    row = await env.store.get_render(jobs[1].id)
    assert row.status == "failed" and "poisoned" in row.error
    assert env.metrics.value("cppn_job_failures_total", {"kind": "error"}) == 1
    assert (await (await env.queue.submit(tiny(4), 4)).result(20)).code  # it carries on


async def test_a_job_past_its_time_is_stopped_and_the_next_one_runs(make_env):
    env = await make_env(job_timeout_s=0.2)
    await env.queue.start()
    env.gate.close()
    env.gate.entered.clear()
    many_tiles = Recipe(seed=1, layers=4, width=16, w=512, h=512, quote="none")
    slow = await env.queue.submit(many_tiles, 1)
    await until(env.gate.entered.is_set)  # its render waits at the gate, its clock running
    # Past its time, the render's own progress hook (which the renderer calls between tiles)
    # says stop: no wall clock is measured here, the executor's deadline is what is tested.
    await until(env.gate.stop_asked, timeout=30)
    env.gate.open()
    with pytest.raises(JobTimeout, match="longer than 0.2 s"):
        await slow.result(30)
    assert env.gate.tiles_painted == 0  # stopped after its first tile, not run to the end
    assert (await (await env.queue.submit(tiny(2), 2)).result(20)).code
    assert (await env.store.get_render(slow.id)).status == "failed"
    assert env.metrics.value("cppn_job_failures_total", {"kind": "timeout"}) == 1


# --- cancellation, state ----------------------------------------------------------------------
async def test_cancel_a_waiting_job_and_a_running_one(make_env):
    env = await make_env(batch_max=1)  # arq: a worker takes 2 jobs, the third waits in Redis
    await env.queue.start()
    running = await blocked(env)
    filler = await env.queue.submit(tiny(2), 2)
    await in_executor(env, 1)
    waiting = await env.queue.submit(tiny(1), 1)
    assert await waiting.cancel() is True
    with pytest.raises(JobCancelled):
        await waiting.result(5)
    assert (await waiting.state()).status == JobStatus.CANCELLED
    assert await running.cancel() is False  # already on the device: asked to stop
    await until(env.gate.stop_asked)  # arq: the worker heard it
    env.gate.open()
    with pytest.raises(JobCancelled):
        await running.result(20)
    assert (await filler.result(20)).code == filler.code
    assert env.gate.batches == [[999], [2]]  # the waiting one never ran
    rows = [await env.store.get_render(j.id) for j in (waiting, running)]
    assert [r.status for r in rows] == ["cancelled", "cancelled"]
    assert env.queue.pending() == 0


async def test_state_gives_positions_in_run_order_and_an_eta(make_env):
    env = await make_env(lazy_worker=True)
    await env.queue.start()
    env.gate.close()
    jobs = [await env.queue.submit(tiny(s, width=4 + s), s) for s in (1, 2, 3)]
    urgent = await env.queue.submit(tiny(4, width=9), 4)
    states = [await j.state() for j in [*jobs, urgent]]
    queued = [s for s in states if s.status == JobStatus.QUEUED]
    assert [s.position for s in queued] == list(range(len(queued)))
    assert all(a.eta_s < b.eta_s for a, b in zip(queued, queued[1:], strict=False))
    if env.start_worker:
        await env.start_worker()
    env.gate.open()
    for j in [*jobs, urgent]:
        await j.result(20)
        assert await j.state() == type(states[0])(JobStatus.DONE, None, 0.0)


async def test_waiting_jobs_are_ordered_by_priority_before_any_worker_takes_them(make_env):
    env = await make_env(lazy_worker=True)
    await env.queue.start()
    env.gate.close()
    first = await env.queue.submit(tiny(1), 1)
    later = await env.queue.submit(tiny(2, width=6), 2, Priority.BACKGROUND)
    daily = await env.queue.submit(tiny(3, width=7), 3, Priority.SCHEDULED)
    now = await env.queue.submit(tiny(4, width=5), 4)
    pos = {j: (await j.state()).position for j in (later, daily, now)}
    assert pos[now] < pos[daily] < pos[later]
    if env.start_worker:
        await env.start_worker()
    env.gate.open()
    for j in (first, later, daily, now):
        await j.result(20)


# --- restart ----------------------------------------------------------------------------------
async def test_start_requeues_what_the_store_holds_unfinished(make_env):
    env = await make_env()
    from bot.jobs.model import QueuedJob

    reqs = [QueuedJob(spec=PaintSpec(tiny(s)), owner=Owner(s)) for s in (1, 2, 3)]
    for req in reqs:
        await env.store.add_render(req.to_row())
    await env.store.finish_render(reqs[2].id, "done")  # finished before the "crash"
    again = await env.queue.start()
    assert sorted(j.id for j in again) == sorted(r.id for r in reqs[:2])
    await asyncio.gather(*(j.result(20) for j in again))
    await until(lambda: len(env.delivered) == 2)
    assert await env.store.renders_by_status() == {"done": 3}
