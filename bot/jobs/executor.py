"""The executor: one thread owns the torch device and renders batches; a small pool finishes them.

The next job is the highest priority's, and within a priority the next in fair order by cost and
person (bot/jobs/fair.py: a small job waits behind one big job at most); `fair=False` is the old
order, first come first served. Waiting jobs that share its architecture join it in one batched
forward pass (at most `batch_max`), as many as fit in `batch_s` estimated seconds: batching is for
small jobs (on a GPU one pass of eight costs little more than one), and a big job goes alone, so
nobody waits behind a batch of big ones. Quote, compose and encode run on `compose_threads` threads
so the device never waits for Pillow. A render that runs past its timeout (`timeout_s`, or up to
twice that for a job estimated to need it: fair.scaled_timeout), or whose jobs are all cancelled, is
stopped between tiles. A job that fails, fails alone: a batch whose render raises is re-run one job
at a time. Thread-based and loop-agnostic: results go to a callback, called on a worker thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import torch

from bot import __version__
from bot.art.render import architecture_key
from bot.cpus import usable_cpus
from bot.errors import JobCancelled, JobTimeout, QueueClosed, UserError
from bot.jobs.fair import FairClock, Throughput, guess_rate, scaled_timeout
from bot.jobs.metrics import Metrics
from bot.jobs.model import JobResult, QueuedJob, describe
from bot.pipeline import Pipeline

log = logging.getLogger(__name__)
Deliver = Callable[[str, JobResult | BaseException], None]


@dataclass
class _Item:
    req: QueuedJob
    deliver: Deliver
    seq: int
    key: tuple
    cost: float  # Recipe.cost: what the work budget counts
    start: float = 0.0  # fair-queueing tags (bot/jobs/fair.py)
    finish: float = 0.0
    cancelled: bool = False
    deadline: float = field(default=float("inf"))
    timeout_s: float = 0.0
    started_at: float = 0.0  # wall clock, like req.submitted_at
    progress: tuple[int, int] | None = None  # (done, total): rows of a still, frames of a loop

    def order(self, fair: bool) -> tuple:
        # Submission time, not arrival here: arq workers start their jobs in no fixed order.
        level, then = int(self.req.priority), (self.req.submitted_at, self.seq)
        return (level, self.finish, *then) if fair else (level, *then)


class Executor:
    def __init__(
        self,
        pipeline: Pipeline,
        *,
        batch_max: int = 8,
        batching: bool = True,
        timeout_s: float = 120.0,
        compose_threads: int = 2,
        metrics: Metrics | None = None,
        fair: bool = True,
        batch_s: float = 1.0,
        throughput: Throughput | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.batch_max = batch_max if batching else 1
        self.timeout_s = timeout_s
        self.metrics = metrics or Metrics()
        self.fair, self.batch_s = fair, batch_s
        device = str(pipeline.renderer.device)
        self.throughput = throughput or Throughput(guess_rate(device, usable_cpus()))
        self._clock = FairClock()
        self._pool = ThreadPoolExecutor(compose_threads, thread_name_prefix="compose")
        # Bounds the rendered arrays waiting for Pillow, so a fast device cannot pile them up.
        self._finishing = threading.BoundedSemaphore(compose_threads * 2 * self.batch_max)
        self._cv = threading.Condition()
        self._waiting: list[_Item] = []
        self._running: dict[str, _Item] = {}
        self._seq = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="device", daemon=True)
        quotes = pipeline.quotes
        self.versions = {"bot": __version__, "torch": torch.__version__}
        if quotes is not None:
            # quote engine:model id, each engine's (e.g. "1:2feda3ff 2:…")
            self.versions["quotes"] = " ".join(
                f"{e}:{m}" for e, m in sorted(quotes.model_ids.items())
            )
        self.device = device

    # --- called from any thread ---------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def alive(self) -> bool:
        """The device thread is running and not shutting down."""
        return self._thread.is_alive() and not self._stopping

    def stop(self) -> None:
        """Finish the batch in hand, fail what is still waiting, and join the threads."""
        with self._cv:
            self._stopping = True
            left, self._waiting = self._waiting, []
            self._cv.notify_all()
        for item in left:
            self._safe_deliver(item, QueueClosed("the render queue is shutting down"))
        if self._thread.is_alive():
            self._thread.join()
        self._pool.shutdown(wait=True)

    def submit(self, req: QueuedJob, deliver: Deliver) -> None:
        spec = req.spec
        # An animation or a Vary grid is one job of its own (its frames or tiles batch inside
        # it), never batched with others; its cost counts every frame or tile.
        key = architecture_key(spec.recipe) if spec.form.kind == "still" else ("job", req.id)
        item = _Item(req, deliver, 0, key, float(spec.cost()))
        with self._cv:
            if self._stopping:
                raise QueueClosed("the render queue is shutting down")
            if not self._waiting and not self._running:
                self._clock.idle()
            item.start, item.finish = self._clock.tag(req.owner.user, item.cost)
            self._seq += 1
            item.seq = self._seq
            self._waiting.append(item)
            self._cv.notify()

    def cancel(self, job_id: str) -> bool:
        """True if the job was still waiting (it will not run); a running job is asked to stop."""
        with self._cv:
            for i, item in enumerate(self._waiting):
                if item.req.id == job_id:
                    del self._waiting[i]
                    break
            else:
                if job_id in self._running:
                    self._running[job_id].cancelled = True
                return False
        self._safe_deliver(item, JobCancelled("the painting was cancelled"))
        return True

    def progress(self, job_id: str) -> tuple[int, int] | None:
        """(done, total) of a running job: rows of a still or a grid, frames of a loop."""
        with self._cv:
            item = self._running.get(job_id)
            return None if item is None else item.progress

    def waiting(self) -> list[str]:
        """Ids of the jobs not yet started, in the order they will run."""
        with self._cv:
            return [i.req.id for i in sorted(self._waiting, key=self._order)]

    def _order(self, item: _Item) -> tuple:
        return item.order(self.fair)

    # --- the device thread --------------------------------------------------------------------
    def _loop(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self._run_batch(batch)
            except BaseException as e:  # keep the device thread alive whatever a job does
                log.exception("executor batch failed")
                for item in batch:
                    self._safe_deliver(item, e)
            finally:
                with self._cv:
                    for item in batch:
                        self._running.pop(item.req.id, None)

    def _next_batch(self) -> list[_Item] | None:
        """Block until jobs wait; take the first in order and the next ones it can batch with."""
        with self._cv:
            while not self._waiting and not self._stopping:
                self._cv.wait()
            if self._stopping:
                return None
            self._waiting.sort(key=self._order)
            head = self._waiting[0]
            self._clock.started(head.start)
            batch = [i for i in self._waiting if i.key == head.key][: self._batch_size(head)]
            taken = {id(i) for i in batch}
            self._waiting = [i for i in self._waiting if id(i) not in taken]
            now = time.time()
            for item in batch:
                self._running[item.req.id] = item
                item.started_at = now
                self.metrics.wait.observe(max(0.0, now - item.req.submitted_at))
            return batch

    def _batch_size(self, head: _Item) -> int:
        """How many jobs of the head's architecture (all of one cost) go in its batch."""
        if not self.fair:
            return self.batch_max
        one = self.throughput.seconds(head.cost)
        return max(1, min(self.batch_max, int(self.batch_s / one) if one > 0 else self.batch_max))

    def _run_batch(self, batch: list[_Item]) -> None:
        start = time.perf_counter()
        cost = sum(i.cost for i in batch)
        timeout = scaled_timeout(self.timeout_s, self.throughput.seconds(cost))
        for item in batch:
            item.deadline, item.timeout_s = start + timeout, timeout
        if batch[0].req.spec.form.kind != "still":
            return self._run_whole(batch[0], cost)
        timings: dict[str, float] = {}
        try:
            arts = self.pipeline.renderer.render_batch(
                [i.req.spec.recipe for i in batch], self._watch(batch), timings
            )
        except (JobTimeout, JobCancelled) as e:
            for item in batch:
                self._safe_deliver(item, JobCancelled(str(e)) if item.cancelled else e)
            return
        except Exception as e:
            if len(batch) > 1:  # find the one that breaks the pass; the others still finish
                log.warning("batch of %d failed (%s); rendering one by one", len(batch), e)
                for item in batch:
                    self._run_batch([item])
                return
            log.exception("render failed: %s", describe(batch[0].req))
            self._safe_deliver(batch[0], e)
            return
        self.metrics.batch.observe(len(batch))
        self.metrics.observe_stages(timings, ("weights", "render"))
        self.throughput.observe(cost, timings.get("weights", 0.0) + timings.get("render", 0.0))
        for item, art in zip(batch, arts, strict=True):
            self._finishing.acquire()
            self._pool.submit(self._finish, item, art, timings, len(batch))

    def _run_whole(self, item: _Item, cost: float) -> None:
        """An animation or a grid: rendered, composed and encoded on this thread by the
        pipeline (a loop streams its frames into the encoder), stopped between batches of
        frames on timeout or cancellation."""
        t = time.perf_counter()
        try:
            picture = self.pipeline.run(item.req.spec, self._watch([item]))
        except (JobTimeout, JobCancelled) as e:
            self._safe_deliver(item, JobCancelled(str(e)) if item.cancelled else e)
            return
        except Exception as e:
            if not isinstance(e, UserError):
                log.exception("job failed: %s", describe(item.req))
            self._safe_deliver(item, e)
            return
        self.throughput.observe(cost, time.perf_counter() - t)
        self.metrics.batch.observe(1)
        self.metrics.observe_stages(picture.timings, ("render", "compose", "encode"))
        self._safe_deliver(item, self._result(item, picture, 1))

    def _watch(self, batch: list[_Item]) -> Callable[[int, int], None]:
        """A progress hook that records how far the render is and stops it between tiles (or a
        loop's batches of frames) on timeout or cancellation."""

        def check(done: int, total: int) -> None:
            for item in batch:
                item.progress = (done, total)
            if done >= total:
                return
            if time.perf_counter() > batch[0].deadline:
                limit = _seconds(batch[0].timeout_s)
                raise JobTimeout(
                    f"the painting took longer than {limit} s and was stopped; "
                    "try a smaller size or a smaller network"
                )
            if all(i.cancelled for i in batch):
                raise JobCancelled("the painting was cancelled")

        return check

    # --- the compose pool ---------------------------------------------------------------------
    def _finish(self, item: _Item, art: np.ndarray, timings: dict, batch: int) -> None:
        try:
            if item.cancelled:
                raise JobCancelled("the painting was cancelled")
            picture = self.pipeline.finish(item.req.spec, art, timings)
            self.metrics.observe_stages(picture.timings, ("quote", "compose", "encode"))
            self._safe_deliver(item, self._result(item, picture, batch))
        except Exception as e:
            if not isinstance(e, JobCancelled):
                log.exception("finishing failed: %s", describe(item.req))
            self._safe_deliver(item, e)
        finally:
            self._finishing.release()

    def _result(self, item: _Item, picture, batch: int) -> JobResult:
        wait = max(0.0, item.started_at - item.req.submitted_at)
        return JobResult(picture=picture, device=self.device, versions=self.versions,
                         batch=batch, wait_s=wait)  # fmt: skip

    @staticmethod
    def _safe_deliver(item: _Item, outcome: JobResult | BaseException) -> None:
        try:
            item.deliver(item.req.id, outcome)
        except Exception:
            log.exception("delivering job %s failed", item.req.id)


def _seconds(t: float) -> str:
    """0.2, 75.3, 240: no exponent, no needless digits."""
    return f"{t:.0f}" if t >= 100 else f"{t:.3g}"
