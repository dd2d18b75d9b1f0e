"""The render queue's one interface: submit a job, get a handle; limits, store and metrics.

`RenderQueue` is the same for every backend: it admits a job (global cap, per-user cap), writes it
to the store before acknowledging it, and hands it to a `Backend` (in-process or arq). When the
backend reports the outcome, the queue records it in the store (the job stays queued there), hands
it to `on_done`, then marks the job finished and resolves its handle. On start it re-queues the jobs
the store holds as unfinished, so an accepted job is delivered after a crash at any point before it
was marked finished, and never again after. An outcome the store cannot take is not delivered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Protocol

from bot.art.recipe import Recipe
from bot.errors import (
    BotError,
    JobCancelled,
    JobFailed,
    QueueClosed,
    QueueFull,
    TooManyPending,
    TooMuchWork,
)
from bot.forms import MAX_ANIMATION_WORK
from bot.jobs.metrics import Metrics
from bot.jobs.model import JobResult, JobStatus, Owner, Priority, QueuedJob, failure_kind
from bot.pipeline import PaintSpec, Picture
from bot.store import Store

log = logging.getLogger(__name__)
Outcome = JobResult | BaseException
OnDone = Callable[[QueuedJob, Outcome], Awaitable[None]]
# The queue's side of a backend: called on the loop with a job's outcome; the future becomes True
# once the job is marked finished in the store (the backend may drop its copy of the outcome) or
# False if it is not (the store keeps the job queued and the next start asks for it again).
Deliver = Callable[[str, Outcome], "asyncio.Future[bool]"]
NOT_RECORDED = "the painting could not be recorded; it stays queued and comes after the next start"


class Lost(Exception):
    """Not an outcome: what a backend delivers for a job it no longer has (Redis came back
    empty). The queue hands the job over again as the store holds it."""


class Backend(Protocol):
    """Where jobs run. `deliver(job_id, outcome)` is called on the event loop, once per job."""

    async def start(self, deliver: Deliver) -> None: ...
    async def enqueue(self, req: QueuedJob) -> None: ...
    async def cancel(self, job_id: str) -> bool:
        """True if it was still waiting: then the backend delivers JobCancelled itself."""
        ...

    async def waiting(self) -> list[str]:
        """Ids of the jobs not yet taken by an executor, in the order they will run."""
        ...

    async def close(self) -> None: ...

    async def alive(self) -> bool:
        """Whether the backend can run jobs now (the executor thread, or Redis)."""
        ...

    async def progress(self, job_id: str) -> tuple[int, int] | None:
        """A running job's (done, total), if the backend knows it."""
        ...


@dataclass(frozen=True)
class Limits:
    queue_max: int = 100
    user_max_pending: int = 2
    # A person's accepted, unfinished work together (PaintSpec.cost: an animation counts every
    # frame): one largest animation, or several smaller jobs, at a time.
    user_max_work: float = MAX_ANIMATION_WORK


@dataclass(frozen=True)
class JobState:
    status: JobStatus
    position: int | None  # jobs ahead of this one that have not started; None once it runs
    eta_s: float | None  # a rough estimate of the seconds until it is done
    progress: tuple[int, int] | None = None  # a running job's (done, total): rows or frames


class JobHandle:
    """A handle on one submitted job."""

    def __init__(self, queue: RenderQueue, req: QueuedJob, future: asyncio.Future) -> None:
        self.queue, self.request, self._future = queue, req, future

    @property
    def id(self) -> str:
        return self.request.id

    @property
    def code(self) -> str:
        return self.request.spec.code

    def done(self) -> bool:
        return self._future.done()

    async def result(self, timeout: float | None = None) -> Picture:
        """The finished picture; raises the job's error (a UserError subclass is fit to show).
        `timeout` bounds this wait only (TimeoutError); the job itself goes on."""
        done: JobResult = await asyncio.wait_for(asyncio.shield(self._future), timeout)
        return done.picture

    async def outcome(self) -> JobResult:
        """The result with where it was made (device, versions, batch size, wait)."""
        return await asyncio.shield(self._future)

    async def state(self) -> JobState:
        return await self.queue.state(self)

    async def cancel(self) -> bool:
        """Cancel; True if it had not started. A running job is asked to stop between tiles."""
        return await self.queue.cancel(self.id)


class _Pace:
    """Seconds between completions while the queue is busy (batching and workers included)."""

    def __init__(self, guess_s: float = 2.0) -> None:
        self.gap, self._last = guess_s, None

    def completed(self, busy_after: bool) -> None:
        now = time.monotonic()
        if self._last is not None:
            self.gap = 0.8 * self.gap + 0.2 * (now - self._last)
        self._last = now if busy_after else None


class RenderQueue:
    def __init__(
        self,
        backend: Backend,
        limits: Limits | None = None,
        store: Store | None = None,
        metrics: Metrics | None = None,
        on_done: OnDone | None = None,
    ) -> None:
        self.backend, self.limits, self.store = backend, limits or Limits(), store
        self.metrics = metrics or Metrics()
        # Called for every finished job, re-queued ones included; once, unless the process dies
        # while it runs (then again after the restart, with the same request id).
        self.on_done = on_done
        self._jobs: dict[str, JobHandle] = {}
        self._per_user: Counter[int] = Counter()
        self._tasks: set[asyncio.Task] = set()
        self._completing: set[str] = set()  # outcome in hand: being recorded and handed on
        # The bot's own jobs re-queued by start(), finished or not, until adopted (adopt()).
        self._restarted: dict[str, JobHandle] = {}
        self._pace = _Pace()
        self._open = False

    async def start(self) -> list[JobHandle]:
        """Start the backend and re-queue what the store holds as unfinished: jobs that never
        ran, and those whose outcome was not yet handed on when the last process stopped."""
        await self.backend.start(self._deliver)
        self._open = True
        jobs = []
        for row in [] if self.store is None else await self.store.unfinished():
            try:
                req = QueuedJob.from_row(row)
            except BotError as e:  # a row this version cannot read: say so, never loop on it
                await self.store.finish_render(row.id, "failed", error=f"cannot re-queue: {e}")
                continue
            jobs.append(self._track(req))
            if req.priority != Priority.INTERACTIVE:  # people's jobs reach them through on_done
                self._restarted[req.id] = jobs[-1]
            await self.backend.enqueue(req)
        if jobs:
            log.info("re-queued %d unfinished jobs", len(jobs))
        return jobs

    async def close(self) -> None:
        """Stop taking jobs; unfinished ones stay queued in the store for the next start."""
        self._open = False
        # Outcomes in hand first, so the backend still hears which ones were recorded.
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.backend.close()
        while self._tasks:  # outcomes the backend reported while closing
            await asyncio.gather(*self._tasks, return_exceptions=True)
        for job in list(self._jobs.values()):
            self._settle(job, QueueClosed("the render queue was shut down"))

    async def submit(
        self,
        spec: PaintSpec | Recipe,
        owner: Owner | int,
        priority: Priority = Priority.INTERACTIVE,
    ) -> JobHandle:
        """Admit, record and enqueue a job; raises QueueFull or TooManyPending past the limits."""
        if not self._open:
            raise QueueClosed("the render queue is not running")
        spec = spec if isinstance(spec, PaintSpec) else PaintSpec(spec)
        owner = owner if isinstance(owner, Owner) else Owner(owner)
        self._admit(owner, Priority(priority), spec)
        handle = self._track(QueuedJob(spec=spec, owner=owner, priority=Priority(priority)))
        # Shielded: a caller cancelled mid-submit must not leave a job recorded but not queued.
        await asyncio.shield(self._accept(handle))
        return handle

    async def _accept(self, handle: JobHandle) -> None:
        """Write the job to the store, then hand it to the backend."""
        try:
            if self.store is not None:
                await self.store.add_render(handle.request.to_row())
            await self.backend.enqueue(handle.request)
        except Exception as e:
            self._settle(handle, e)
            if self.store is not None:
                await self.store.finish_render(handle.id, "failed", error=f"not queued: {e}")
            if isinstance(e, BotError):
                raise
            raise JobFailed(f"could not queue the painting: {type(e).__name__}: {e}") from e

    async def idle(self, timeout: float = 60.0) -> None:
        """Wait until every accepted job has finished and every on_done callback has returned
        (as arq's burst mode runs a worker until its queue is empty): after it, anything that
        has not happened will not happen for these jobs. TimeoutError past the timeout."""
        async with asyncio.timeout(timeout):
            while self._jobs or self._tasks:
                waits = [*self._tasks, *(job._future for job in self._jobs.values())]
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)

    async def submit_once(
        self, spec: PaintSpec, owner: Owner, priority: Priority, *, was: str | None = None
    ) -> tuple[JobHandle, bool]:
        """submit(), for the bot's own jobs that a crash may have cut short (a daily render):
        the job this start() re-queued for it — the one named `was`, or, if the crash came
        before its id was written down, the one with the same spec, owner and priority — is
        adopted rather than painted twice (finished or not). (handle, adopted)."""
        for job_id, handle in self._restarted.items():
            req = handle.request
            same = (req.spec, req.owner, req.priority) == (spec, owner, priority)
            if job_id == was or same:
                return self._restarted.pop(job_id), True
        return await self.submit(spec, owner, priority), False

    def pending(self, user: int | None = None) -> int:
        """Jobs accepted and not finished: all, or one user's."""
        return len(self._jobs) if user is None else self._per_user[user]

    async def health(self, timeout: float = 2.0) -> dict[str, bool]:
        """Whether the queue answers and its backend is alive, each within `timeout`; the backend
        names its check (`check_name`: "redis" for arq), else "executor"."""

        async def check(probe) -> bool:
            try:
                return bool(await asyncio.wait_for(probe, timeout))
            except Exception:  # noqa: BLE001 - a probe that fails or hangs is unhealthy
                return False

        answers = self._open and await check(self._answers())
        alive = getattr(self.backend, "check_name", "executor")
        return {"queue": answers, alive: await check(self.backend.alive())}

    async def _answers(self) -> bool:
        await self.backend.waiting()
        return True

    def jobs_of(self, user: int) -> list[JobHandle]:
        """One person's accepted, unfinished jobs, oldest first."""
        return [j for j in self._jobs.values() if j.request.owner.user == user]

    async def state(self, job: JobHandle) -> JobState:
        if job.done():
            return JobState(_final_status(job._future), None, 0.0)
        waiting = await self.backend.waiting()
        running = max(0, len(self._jobs) - len(waiting))
        if job.id in waiting:
            pos = waiting.index(job.id)
            return JobState(JobStatus.QUEUED, pos, (running + pos + 1) * self._pace.gap)
        progress = await self.backend.progress(job.id)
        eta = self._pace.gap
        if progress and progress[0] and job.request.spec.form.kind == "loop":
            done, total = progress  # frames: the time so far says how long the rest takes
            eta = (time.time() - job.request.submitted_at) * (total - done) / done
        return JobState(JobStatus.RUNNING, None, eta, progress)

    async def cancel(self, job_id: str) -> bool:
        if job_id not in self._jobs:
            return False
        return await self.backend.cancel(job_id)

    # --- internals ----------------------------------------------------------------------------
    def _admit(self, owner: Owner, priority: Priority, spec: PaintSpec) -> None:
        if len(self._jobs) >= self.limits.queue_max:
            self.metrics.rejected.labels("queue_full").inc()
            raise QueueFull()
        if priority != Priority.INTERACTIVE:
            return  # the bot's own jobs (the daily piece) never count against a person's cap
        if self._per_user[owner.user] >= self.limits.user_max_pending:
            self.metrics.rejected.labels("user_pending").inc()
            raise TooManyPending(self.limits.user_max_pending)
        mine = sum(j.request.spec.cost() for j in self.jobs_of(owner.user))
        if mine and mine + spec.cost() > self.limits.user_max_work:
            self.metrics.rejected.labels("user_work").inc()
            raise TooMuchWork(mine, self.limits.user_max_work)

    def _track(self, req: QueuedJob) -> JobHandle:
        job = JobHandle(self, req, asyncio.get_running_loop().create_future())
        self._jobs[req.id] = job
        if req.priority == Priority.INTERACTIVE:
            self._per_user[req.owner.user] += 1
        self.metrics.depth.set(len(self._jobs))
        return job

    def _settle(self, job: JobHandle, outcome: Outcome) -> None:
        """Forget the job and resolve its handle."""
        if self._jobs.pop(job.id, None) is None:
            return
        user = job.request.owner.user
        if job.request.priority == Priority.INTERACTIVE:
            self._per_user[user] -= 1
            if self._per_user[user] <= 0:
                del self._per_user[user]
        self.metrics.depth.set(len(self._jobs))
        if not job._future.done():
            if isinstance(outcome, BaseException):
                job._future.set_exception(outcome)
                job._future.exception()  # retrieved: nobody may await a cancelled job
            else:
                job._future.set_result(outcome)

    def _deliver(self, job_id: str, outcome: Outcome) -> asyncio.Future[bool]:
        """Called by the backend on the loop. A second delivery for one job is ignored."""
        finished = asyncio.get_running_loop().create_future()
        job = self._jobs.get(job_id)
        if job is None or job_id in self._completing:
            log.debug("ignoring a late or repeated outcome for %s", job_id)
            finished.set_result(False)
            return finished
        if isinstance(outcome, Lost):  # not an end: handed over again
            self._run(self._hand_over_again(job))
            finished.set_result(False)
            return finished
        if isinstance(outcome, BaseException) and not isinstance(outcome, BotError):
            # One error type for every backend; the original stays as the cause.
            failed = JobFailed(f"the painting failed: {type(outcome).__name__}: {outcome}")
            failed.__cause__ = outcome
            outcome = failed
        if isinstance(outcome, QueueClosed):
            self._settle(job, outcome)  # shutting down: the store keeps it queued for next time
            finished.set_result(False)
            return finished
        self._completing.add(job_id)
        self._run(self._complete(job, outcome, finished))
        return finished

    def _run(self, work: Coroutine[object, object, None]) -> None:
        """Run on the loop; close() and idle() wait for it."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _hand_over_again(self, job: JobHandle) -> None:
        """Enqueue again a job the backend lost, as the store (the source of truth) holds it.
        One it cannot give back fails, and is told once, as any failure is."""
        try:
            req = job.request
            if self.store is not None:
                row = await self.store.get_render(job.id)
                if row is None or row.status != "queued":  # finished elsewhere: nothing to run
                    log.warning("job %s, lost by the backend, is not queued in the store", job.id)
                    self._settle(job, JobFailed("the painting is no longer queued"))
                    return
                req = QueuedJob.from_row(row)
            await self.backend.enqueue(req)
        except Exception as e:
            log.error("job %s was lost by the backend and not queued again: %s", job.id, e)
            self._deliver(job.id, JobFailed(f"the painting was lost and could not be queued: {e}"))

    async def _complete(
        self, job: JobHandle, outcome: Outcome, finished: asyncio.Future[bool]
    ) -> None:
        """Record, hand on, mark finished, in that order. Until the mark the store lists the job
        as unfinished, so a crash anywhere before it means the next start delivers it again; an
        outcome the store does not take is not delivered now (the next start runs it again)."""
        marked = False
        try:
            if not await self._write(job, outcome, final=self.on_done is None):
                self._settle(job, JobFailed(NOT_RECORDED))
                return
            if self.on_done is None:
                marked = True
            else:
                try:
                    await self.on_done(job.request, outcome)
                except Exception:
                    log.exception("on_done failed for job %s", job.id)
                marked = await self._write(job, outcome, final=True)
            self._settle(job, outcome)
            self._count(outcome)
            self._pace.completed(busy_after=bool(self._jobs))
        finally:
            self._completing.discard(job.id)
            finished.set_result(marked)

    async def _write(self, job: JobHandle, outcome: Outcome, *, final: bool) -> bool:
        """Put the outcome in the store, marking the job finished or (not final) keeping it
        queued; False, with one line in the log, if the store fails."""
        if self.store is None:
            return True
        status, details = _record(outcome)
        try:
            if final:
                await self.store.finish_render(job.id, status, **details)
            else:
                await self.store.record_outcome(job.id, **details)
            return True
        except Exception as e:
            what = "not delivered; it stays queued and the next start delivers it"
            if final and self.on_done is not None:
                what = "handed on but not marked finished; the next start delivers it again"
            log.error("job %s: the store failed (%s: %s): %s", job.id, type(e).__name__, e, what)
            return False

    def _count(self, outcome: Outcome) -> None:
        if isinstance(outcome, JobResult):
            self.metrics.jobs.labels("done").inc()
            return
        kind = failure_kind(outcome)
        self.metrics.jobs.labels("cancelled" if kind == "cancelled" else "failed").inc()
        self.metrics.failures.labels(kind).inc()


def _final_status(fut: asyncio.Future) -> JobStatus:
    e = fut.exception()
    if e is None:
        return JobStatus.DONE
    return JobStatus.CANCELLED if isinstance(e, JobCancelled) else JobStatus.FAILED


def _record(outcome: Outcome) -> tuple[str, dict]:
    """The store's status and other columns for a finished job."""
    if isinstance(outcome, JobResult):
        timings = outcome.picture.timings
        return "done", {"timings": timings, "device": outcome.device, "versions": outcome.versions}
    status = "cancelled" if isinstance(outcome, JobCancelled) else "failed"
    return status, {"error": str(outcome) or type(outcome).__name__}
