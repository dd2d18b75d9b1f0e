"""The arq backend: jobs wait in Redis; `cppn-bot worker` processes (one per GPU) run them.

arq and redis are imported here only, so the local backend never needs them. Jobs travel as plain
dicts (QueuedJob.to_dict) and come back as plain dicts (JobResult.to_dict or an error's kind and
message). Priorities ride on arq's queue score: workers take the lowest score first, so an
interactive job's score is its enqueue time minus a large offset per priority level.

A result stays in Redis until the queue has marked its job finished in the store (or arq's own
expiry, an hour). If the bot dies first, or the store fails, the next start re-queues the job under
the same id; arq then enqueues nothing (a result with that id exists) and the result is collected
again, without a re-render; past the expiry the job is rendered again (replay is exact).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from arq.constants import abort_jobs_ss, in_progress_key_prefix, job_key_prefix, result_key_prefix
from arq.jobs import deserialize_result
from redis.exceptions import WatchError

from bot.errors import JobCancelled, JobFailed, JobTimeout
from bot.jobs.model import Priority, QueuedJob, outcome_from_dict
from bot.jobs.queue import Deliver, Outcome

log = logging.getLogger(__name__)
FUNCTION = "paint"  # the worker's job function
PRIORITY_STEP = timedelta(days=1)  # between levels; far more than any job waits
EXPIRES = timedelta(days=1)  # an unstarted job is dropped by Redis after this (the store keeps it)


class ArqBackend:
    def __init__(self, redis_url: str, queue_name: str, poll_s: float = 0.05) -> None:
        self.redis_url, self.queue_name, self.poll_s = redis_url, queue_name, poll_s
        self.redis: ArqRedis | None = None
        self._outstanding: set[str] = set()
        self._collector: asyncio.Task | None = None
        self._deliver: Deliver | None = None
        self._recorded: set[str] = set()  # results whose jobs the store has marked finished

    async def start(self, deliver: Deliver) -> None:
        settings = RedisSettings.from_dsn(self.redis_url)
        self.redis = await create_pool(settings, default_queue_name=self.queue_name)
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
        when = datetime.fromtimestamp(req.submitted_at, UTC) - ahead
        self._outstanding.add(req.id)
        try:
            await self.redis.enqueue_job(
                FUNCTION, req.to_dict(), _job_id=req.id, _defer_until=when, _expires=EXPIRES
            )
        except BaseException:
            self._outstanding.discard(req.id)
            raise

    async def cancel(self, job_id: str) -> bool:
        """Remove a waiting job atomically; a job a worker has taken is aborted through arq."""
        assert self.redis is not None
        if await self._remove_waiting(job_id):
            self._outstanding.discard(job_id)
            self._emit(job_id, JobCancelled("the painting was cancelled"))
            return True
        await self.redis.zadd(abort_jobs_ss, {job_id: _now_ms()})
        return False

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
        assert self.redis is not None
        ids = [i.decode() for i in await self.redis.zrange(self.queue_name, 0, -1)]
        if not ids:
            return []
        taken = await self.redis.mget([in_progress_key_prefix + i for i in ids])
        return [i for i, t in zip(ids, taken, strict=True) if t is None]

    # --- results ------------------------------------------------------------------------------
    async def _collect(self) -> None:
        """One round trip per poll for all outstanding jobs, however many there are."""
        while True:
            try:
                await self._collect_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("collecting arq results failed; retrying")
            await asyncio.sleep(self.poll_s)

    async def _collect_once(self) -> None:
        await self._drop_recorded()
        ids = list(self._outstanding)
        if not ids or self.redis is None:
            return
        blobs = await self.redis.mget([result_key_prefix + i for i in ids])
        for job_id, blob in zip(ids, blobs, strict=True):
            if blob is not None:
                self._outstanding.discard(job_id)
                self._emit(job_id, _outcome(blob))

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
