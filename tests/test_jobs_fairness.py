"""Fair shares of the one render thread (issue 13): while two people flood big jobs, someone
else's small job waits behind one big job at most; batching still merges small jobs, never big
ones; a render's timeout grows with its estimated cost, within a cap. Renders are held at a gate
and let through one at a time, so every order here is decided, never timed."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from test_jobs_support import GatedRenderer, redis_server, tiny
from waiting import until

from bot.art import Recipe
from bot.compose import Compositor
from bot.errors import JobTimeout
from bot.jobs import RenderQueue, fair
from bot.jobs.executor import Executor
from bot.jobs.fair import FairClock, FairScore, Throughput, scaled_timeout
from bot.jobs.local import LocalBackend
from bot.jobs.model import Owner, Priority, QueuedJob
from bot.jobs.queue import Limits
from bot.pipeline import PaintSpec, Pipeline

A, B, C, D = 1, 2, 3, 4  # A and B flood big jobs; C and D ask for small ones


def big(seed: int) -> Recipe:
    """96x96, 4 layers of 16: ~1.3e7 of cost, 50x a small job's; one architecture for all."""
    return Recipe(seed=seed, layers=4, width=16, w=96, h=96, quote="none")


class SteppedRenderer(GatedRenderer):
    """Renders wait at the gate until `step()` lets one through; `picked` lists each batch's
    seeds as it reaches the gate, that is, in the order the executor chose them."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.picked: list[list[int]] = []
        self._permits = threading.Semaphore(0)

    def step(self, n: int = 1) -> None:
        for _ in range(n):
            self._permits.release()

    def render_batch(self, recipes, progress=None, timings=None):
        self.picked.append([r.seed for r in recipes])
        if not self._permits.acquire(timeout=30):
            raise TimeoutError("the test never let this render through")
        return super().render_batch(recipes, progress, timings)


async def stepped_queue(renderer, fair: bool = True, user_max: int = 2):
    gate = SteppedRenderer(renderer)
    # A fixed throughput: estimates (big: 12.5 ms, small: 0.24 ms) do not depend on this machine.
    executor = Executor(
        Pipeline(gate, Compositor(), None), batch_max=8, timeout_s=60, fair=fair,
        batch_s=0.005, throughput=Throughput(1e9, learn=False),
    )  # fmt: skip
    queue = RenderQueue(LocalBackend(executor), Limits(queue_max=100, user_max_pending=user_max))
    await queue.start()
    return gate, executor, queue


async def flood(renderer, fair: bool, rounds: int = 8) -> tuple[list[list[int]], dict[int, int]]:
    """A and B keep two big jobs each in the queue (the most the bot allows), submitting the next
    as soon as one is done; C asks for a small job every other round. Returns the batches in the
    order they were picked, and for each small job the index of the batch that was rendering
    when it was submitted."""
    gate, executor, queue = await stepped_queue(renderer, fair)
    seeds = iter(range(100, 1000))
    jobs = {}

    async def submit(owner: int, recipe: Recipe) -> None:
        jobs[recipe.seed] = (owner, await queue.submit(recipe, Owner(owner)))

    await submit(A, big(next(seeds)))
    await until(lambda: len(gate.picked) == 1)  # at the gate: the others all wait
    for owner in (A, B, B):
        await submit(owner, big(next(seeds)))
    submitted_during: dict[int, int] = {}
    for r in range(rounds):
        if r % 2 == 0:
            small = next(seeds)
            submitted_during[small] = len(gate.picked) - 1
            await submit(C, tiny(small))
        n = len(gate.picked)
        gate.step()  # the batch at the gate renders; the executor picks the next one
        await until(lambda n=n: len(gate.picked) == n + 1, timeout=20)
        for seed in gate.picked[n - 1]:
            owner, handle = jobs[seed]
            await handle.result(20)
            if owner in (A, B):  # the flood goes on while the next batch waits at the gate
                await submit(owner, big(next(seeds)))
    gate.step(100)
    await queue.close()
    return gate.picked, submitted_during


async def test_a_small_job_waits_behind_one_big_job_at_most_while_two_people_flood(renderer):
    picked, submitted_during = await flood(renderer, fair=True)
    for small, running in submitted_during.items():
        assert picked[running + 1] == [small], picked  # next after the one in hand
    bigs = [batch for batch in picked if batch[0] not in submitted_during]
    assert all(len(batch) == 1 for batch in bigs), picked  # big jobs never batched together


async def test_first_come_first_served_kept_it_behind_every_big_job_queued(renderer):
    """The old order, still there (`fair=False`) for the benchmark's "before": the same flood
    holds the small job behind the big ones queued before it, batched together."""
    picked, submitted_during = await flood(renderer, fair=False, rounds=2)
    first = next(iter(submitted_during))
    assert picked[1] != [first] and len(picked[1]) == 3  # a batch of three big ones first
    assert picked[2] == [first]


async def test_two_people_share_the_device_by_cost(renderer):
    """A queues big jobs, D jobs a third their cost (more than the bot's cap of two, to see the
    pattern): D gets three for each of A's, and A's turn comes all the same."""
    gate, executor, queue = await stepped_queue(renderer, user_max=20)
    handles = [await queue.submit(big(1), Owner(A))]
    await until(lambda: len(gate.picked) == 1)
    for seed in (2, 3, 4):
        handles.append(await queue.submit(big(seed), Owner(A)))
    for seed in range(10, 20):  # 96x32: a third of a big job's pixels, the same network
        third = Recipe(seed=seed, layers=4, width=16, w=96, h=32, quote="none")
        handles.append(await queue.submit(third, Owner(D)))
    seed_of = {h.id: h.request.spec.recipe.seed for h in handles}
    order = [seed_of[i] for i in executor.waiting()]
    assert order == [10, 11, 12, 13, 14, 2, 15, 16, 17, 3, 18, 19, 4]
    gate.step(100)
    await asyncio.gather(*(h.result(20) for h in handles))
    await queue.close()


async def test_small_jobs_of_one_architecture_still_share_a_batch(renderer):
    gate, executor, queue = await stepped_queue(renderer)
    await queue.submit(big(1), Owner(A))
    await until(lambda: len(gate.picked) == 1)
    smalls = [await queue.submit(tiny(s), Owner(10 + s)) for s in range(2, 6)]
    bigs = [await queue.submit(big(s), Owner(20 + s)) for s in (6, 7)]
    await until(lambda: len(executor.waiting()) == 6)
    gate.step(100)
    await asyncio.gather(*(j.result(20) for j in [*smalls, *bigs]))
    assert gate.picked == [[1], [2, 3, 4, 5], [6], [7]]  # big ones, one architecture: one by one
    await queue.close()


# --- the clock and the timeout ----------------------------------------------------------------
def test_a_newcomer_starts_at_the_virtual_time_of_the_job_in_hand():
    clock = FairClock()
    a1, a2 = clock.tag(A, 100), clock.tag(A, 100)
    b1 = clock.tag(B, 100)
    assert (a1, a2, b1) == ((0, 100), (100, 200), (0, 100))
    clock.started(a1[0])
    assert clock.tag(C, 1) == (0, 1)  # before b1, whose finish is 100
    clock.started(a2[0])  # virtual time 100: A's next starts at 200, a newcomer's at 100
    assert clock.tag(A, 100) == (200, 300) and clock.tag(D, 1) == (100, 101)
    clock.idle()  # nothing queued: nobody owes anything
    assert clock.tag(A, 5) == (100, 105)


def test_throughput_learns_from_renders_weighted_by_their_seconds():
    t = Throughput(1e9, memory_s=60.0)
    assert t.rate == 1e9 and t.seconds(3e9) == 3.0
    t.observe(4e9 * 3, 3.0)  # three seconds at 4e9 outweigh the one-second guess
    assert 3e9 < t.rate < 4e9
    fixed = Throughput(1e9, learn=False)
    fixed.observe(1e12, 1.0)
    assert fixed.rate == 1e9


def test_the_timeout_scales_with_the_estimate_within_a_cap():
    assert scaled_timeout(120, 10) == 120  # a usual job: the configured timeout
    assert scaled_timeout(120, 50) == fair.TIMEOUT_SCALE * 50 == 150  # a long one: 3x its estimate
    assert scaled_timeout(120, 1000) == fair.TIMEOUT_CAP * 120 == 240  # never past the cap


@pytest.mark.parametrize(("rate", "limit"), [(1e10, "0.2"), (1e8, "0.4")])
async def test_a_render_is_stopped_at_its_scaled_timeout(renderer, rate, limit):
    """A job estimated at 3.6 s (3.6e8 of cost at 1e8 a second) may take 0.4 s (the cap, 2 x
    0.2 s); the same job estimated at 36 ms gets the configured 0.2 s."""
    gate = GatedRenderer(renderer)
    executor = Executor(
        Pipeline(gate, Compositor(), None), timeout_s=0.2, throughput=Throughput(rate, learn=False)
    )
    queue = RenderQueue(LocalBackend(executor))
    await queue.start()
    gate.close()
    many_tiles = Recipe(seed=1, layers=4, width=16, w=512, h=512, quote="none")
    job = await queue.submit(many_tiles, A)
    await until(gate.entered.is_set)
    await until(gate.stop_asked, timeout=30)  # its deadline passed (the executor's own clock)
    gate.open()
    with pytest.raises(JobTimeout, match=f"longer than {limit} s"):
        await job.result(30)
    await queue.close()


# --- the arq backend's Redis score ------------------------------------------------------------
FOUR_K = Recipe(width=128, layers=16, w=3840, h=2160)  # 2.18e12: ~22 s at the nominal rate
PAINT = Recipe()  # the default /paint: 3.4e9, ~34 ms


def queued(owner: int, recipe: Recipe, at: float, priority=Priority.INTERACTIVE) -> QueuedJob:
    return QueuedJob(spec=PaintSpec(recipe), owner=Owner(owner), priority=priority, submitted_at=at)


def test_the_redis_score_is_fair_order_on_the_clock():
    score, t = FairScore(), 1_000_000.0
    a1, a2 = (score.when(queued(A, FOUR_K, t), now=t) for _ in "12")
    b1, b2 = (score.when(queued(B, FOUR_K, t + 0.1), now=t + 0.1) for _ in "12")
    c = score.when(queued(C, PAINT, t + 5), now=t + 5)
    assert c < a1 < b1 < a2 < b2  # the small job first, then the floods take turns
    assert a2 - a1 == pytest.approx(FOUR_K.cost() / score.rate)  # one after the other, by cost
    assert max(a1, a2, b1, b2, c) <= t + 5  # never in the future: arq would defer the job
    late = score.when(queued(D, PAINT, t + 30), now=t + 30)
    assert a1 < late < a2  # past a1's own seconds, a newcomer no longer overtakes it
    # Past the horizon, a person's queued work is in submission order; still never in the future.
    far = [score.when(queued(A, FOUR_K, t + 40), now=t + 40) for _ in range(200)]
    assert far[-1] == pytest.approx(t + 40) and far[-2] <= far[-1]


async def test_redis_hands_out_a_small_job_before_the_big_ones_others_queued(tmp_path):
    """No worker: the jobs wait in Redis, and `waiting()` lists them by score."""
    from bot.jobs.arq_backend import ArqBackend

    with redis_server(tmp_path) as url:
        backend = ArqBackend(url, f"test:fair:{tmp_path.name}")
        await backend.start(lambda job_id, outcome: asyncio.get_running_loop().create_future())
        floods = [queued(owner, FOUR_K, time.time()) for owner in (A, A, B, B)]
        small = queued(C, PAINT, time.time())
        daily = queued(D, FOUR_K, time.time(), Priority.SCHEDULED)
        for job in [*floods, small, daily]:
            await backend.enqueue(job)
        a1, a2, b1, b2 = (j.id for j in floods)
        assert await backend.waiting() == [small.id, a1, b1, a2, b2, daily.id]
        await backend.close()
