"""The arq backend: jobs wait in Redis; `cppn-bot worker` processes (one per GPU) run them.

arq and redis are imported here only, so the local backend never needs them. Jobs travel as plain
dicts (QueuedJob.to_dict) and come back as plain dicts (JobResult.to_dict or an error's kind and
message). Priorities and fair shares ride on arq's queue score: workers take the lowest score
first, and a job's score is its place in fair order by cost and person (bot/jobs/fair.py's
FairScore: a small job goes before the big ones others queued) minus a large offset per priority.

A result stays in Redis until the queue has marked its job finished in the store (or arq's own
expiry, an hour). If the bot dies first, or the store fails, the next start re-queues the job under
the same id; arq then enqueues nothing (a result with that id exists) and the result is collected
again, without a re-render; past the expiry the job is rendered again (replay is exact).

Redis may go away. The backend then keeps taking jobs (the store holds them), answers `waiting`
from what it last saw, reports itself not alive (/healthz names Redis), logs the outage once and
tries again with back-off. Every few seconds, and as soon as Redis answers again, it looks for the
outstanding jobs Redis no longer knows (neither the job nor its result: Redis restarted empty, or
the job never got there) and reports each as `Lost`; the queue hands it over again as the store
holds it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

from arq.connections import ArqRedis
from arq.constants import abort_jobs_ss, in_progress_key_prefix, job_key_prefix, result_key_prefix
from arq.jobs import deserialize_result
from redis.asyncio import ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError

from bot.errors import JobCancelled, JobFailed, JobTimeout
from bot.jobs.fair import FairScore
from bot.jobs.model import Priority, QueuedJob, outcome_from_dict
from bot.jobs.queue import Deliver, Lost, Outcome

log = logging.getLogger(__name__)
FUNCTION = "paint"  # the worker's job function
PRIORITY_STEP = timedelta(days=1)  # between levels; far more than any job waits
EXPIRES = timedelta(days=1)  # an unstarted job is dropped by Redis after this (the store keeps it)
# Redis not answering: a connection refused, reset or timed out (a restart, a crash, the network).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError, TimeoutError)
RETRY_MAX_S = 5.0  # the longest wait between tries while Redis does not answer
LOOK_EVERY_S = 2.0  # how often outstanding jobs are looked for in Redis (it may restart empty)
PROGRESS_PREFIX = "cppn:progress:"  # + job id: "done/total", written by the worker running it


class ArqBackend:
    check_name = "redis"  # what /healthz calls alive(): Redis answers

    def __init__(self, redis_url: str, queue_name: str, poll_s: float = 0.05) -> None:
        self.redis_url, self.queue_name, self.poll_s = redis_url, queue_name, poll_s
        self._fair = FairScore()  # where each job goes in the queue (the score)
        self.redis: ArqRedis | None = None
        self._outstanding: set[str] = set()
        self._collector: asyncio.Task | None = None
        self._deliver: Deliver | None = None
        self._recorded: set[str] = set()  # results whose jobs the store has marked finished
        self._busy: set[str] = set()  # being enqueued or cancelled: not looked for meanwhile
        self._seen_waiting: list[str] = []  # waiting() as Redis last answered it
        self._down: str | None = None  # why Redis did not answer, while it does not
        self._looked = 0.0  # when outstanding jobs were last looked for in Redis (monotonic)

    async def start(self, deliver: Deliver) -> None:
        """Connects on first use: Redis may be down now, and the jobs wait for it."""
        pool = ConnectionPool.from_url(self.redis_url, socket_connect_timeout=1)
        self.redis = ArqRedis(pool, default_queue_name=self.queue_name)
        self._deliver = deliver
        self._collector = asyncio.get_running_loop().create_task(self._collect())

    async def alive(self) -> bool:
        """Redis answers and the result collector runs (the workers report their own health)."""
        if self.redis is None or self._collector is None or self._collector.done():
            return False
        try:
            return bool(await self.redis.ping())
        except Exception:  # noqa: BLE001 - any failure to answer is "not alive"
            return False

    async def close(self) -> None:
        if self._collector is not None:
            self._collector.cancel()
            await asyncio.gather(self._collector, return_exceptions=True)
        if self.redis is not None:
            try:
                await self._drop_recorded()
            except Exception as e:  # noqa: BLE001 - arq expires results on its own
                log.warning("could not drop recorded results from Redis: %s", e)
            await self.redis.aclose()

    async def enqueue(self, req: QueuedJob) -> None:
        """Idempotent: a job already queued, running or finished in Redis is left as it is."""
        assert self.redis is not None, "start() the backend first"
        ahead = (len(Priority) - 1 - int(req.priority)) * PRIORITY_STEP
        when = datetime.fromtimestamp(self._fair.when(req), UTC) - ahead
        self._outstanding.add(req.id)
        self._busy.add(req.id)
        try:
            await self.redis.enqueue_job(
                FUNCTION, req.to_dict(), _job_id=req.id, _defer_until=when, _expires=EXPIRES
            )
        except UNREACHABLE as e:  # kept: found missing from Redis once it answers, and handed over
            self._unreachable(e)
        except BaseException:
            self._outstanding.discard(req.id)
            raise
        finally:
            self._busy.discard(req.id)

    async def cancel(self, job_id: str) -> bool:
        """Remove a waiting job atomically; a job a worker has taken is aborted through arq."""
        assert self.redis is not None
        self._busy.add(job_id)
        try:
            if await self._remove_waiting(job_id):
                self._outstanding.discard(job_id)
                self._emit(job_id, JobCancelled("the painting was cancelled"))
                return True
            await self.redis.zadd(abort_jobs_ss, {job_id: _now_ms()})
            return False
        finally:
            self._busy.discard(job_id)

    async def _remove_waiting(self, job_id: str) -> bool:
        """Take a job out of the queue unless a worker has marked it in progress."""
        taken = in_progress_key_prefix + job_id
        async with self.redis.pipeline(transaction=True) as pipe:
            await pipe.watch(taken)
            if await pipe.exists(taken):
                return False
            pipe.multi()
            pipe.zrem(self.queue_name, job_id)
            pipe.delete(job_key_prefix + job_id)  # a worker racing us finds no job to run
            try:
                removed, _ = await pipe.execute()
            except WatchError:  # a worker took it meanwhile
                return False
        return bool(removed)

    async def waiting(self) -> list[str]:
        """As Redis says; while it does not answer, as it last said, then the jobs that came
        since (all wait for Redis)."""
        assert self.redis is not None
        try:
            ids = [i.decode() for i in await self.redis.zrange(self.queue_name, 0, -1)]
            taken = await self.redis.mget([in_progress_key_prefix + i for i in ids]) if ids else []
        except UNREACHABLE as e:
            self._unreachable(e)
            seen = [i for i in self._seen_waiting if i in self._outstanding]
            return seen + sorted(self._outstanding.difference(seen))
        self._seen_waiting = [i for i, t in zip(ids, taken, strict=True) if t is None]
        return list(self._seen_waiting)

    async def progress(self, job_id: str) -> tuple[int, int] | None:
        """What the worker running the job last wrote (bot/jobs/worker.py); None if nothing."""
        assert self.redis is not None
        try:
            blob = await self.redis.get(PROGRESS_PREFIX + job_id)
        except UNREACHABLE as e:
            self._unreachable(e)
            return None
        if not blob:
            return None
        done, _, total = blob.decode().partition("/")
        return int(done), int(total)

    # --- results ------------------------------------------------------------------------------
    async def _collect(self) -> None:
        """One round trip per poll for all outstanding jobs, however many there are; while Redis
        does not answer, tries again after twice the last wait, up to RETRY_MAX_S."""
        wait = self.poll_s
        while True:
            try:
                await self._collect_once()
            except asyncio.CancelledError:
                raise
            except UNREACHABLE as e:
                self._unreachable(e)
                wait = min(max(2 * wait, 0.1), RETRY_MAX_S)
            except Exception:
                log.exception("collecting arq results failed; retrying")
            else:
                wait = self.poll_s
            await asyncio.sleep(wait)

    async def _collect_once(self) -> None:
        if self.redis is None:
            return
        if self._down is not None:
            await self.redis.ping()
            log.info("Redis answers again; looking for the jobs it lost")
            self._down, self._looked = None, 0.0
        await self._drop_recorded()
        ids = list(self._outstanding)
        blobs = await self.redis.mget([result_key_prefix + i for i in ids]) if ids else []
        for job_id, blob in zip(ids, blobs, strict=True):
            if blob is not None:
                self._outstanding.discard(job_id)
                self._emit(job_id, _outcome(blob))
        if time.monotonic() - self._looked >= LOOK_EVERY_S:
            await self._look_for_lost()

    async def _look_for_lost(self) -> None:
        """Report as Lost each outstanding job of which Redis holds neither the job nor its
        result. arq replaces one with the other in one transaction, so a job it has is never
        missed; one being enqueued or cancelled right now is left for the next look."""
        assert self.redis is not None
        ids = [i for i in self._outstanding if i not in self._busy]
        self._looked = time.monotonic()
        if not ids:
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            for i in ids:
                pipe.exists(job_key_prefix + i, result_key_prefix + i)
            found = await pipe.execute()
        lost = [i for i, n in zip(ids, found, strict=True) if n == 0 and i not in self._busy]
        if lost:
            log.info("Redis lost %d jobs; handing them over again", len(lost))
        for job_id in lost:
            if job_id in self._outstanding:  # not cancelled meanwhile
                self._outstanding.discard(job_id)
                self._emit(job_id, Lost(job_id))

    def _unreachable(self, e: BaseException) -> None:
        """Note that Redis does not answer; one line per outage, not one per try."""
        if self._down is None:
            log.warning(
                "lost Redis (%s: %s); jobs wait in the store and are handed over when it "
                "answers again", type(e).__name__, e,
            )  # fmt: skip
        self._down = f"{type(e).__name__}: {e}"

    async def _drop_recorded(self) -> None:
        """Delete the results whose jobs the store has marked finished: never needed again."""
        if not self._recorded or self.redis is None:
            return
        ids = list(self._recorded)
        await self.redis.delete(*(result_key_prefix + i for i in ids))
        self._recorded.difference_update(ids)

    def _emit(self, job_id: str, outcome: Outcome) -> None:
        if self._deliver is None:
            return
        finished = self._deliver(job_id, outcome)

        def settled(f: asyncio.Future[bool]) -> None:
            if not f.cancelled() and f.result():  # else the result stays for the next start
                self._recorded.add(job_id)

        finished.add_done_callback(settled)


def _outcome(blob: bytes) -> Outcome:
    info = deserialize_result(blob)
    if info.success:
        return outcome_from_dict(info.result)
    e = info.result
    if isinstance(e, asyncio.CancelledError):
        return JobCancelled("the painting was cancelled")
    if isinstance(e, TimeoutError):
        return JobTimeout("the painting took too long and was stopped")
    return JobFailed(f"the worker failed: {type(e).__name__}: {e}")


def _now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)
