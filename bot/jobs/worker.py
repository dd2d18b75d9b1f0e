"""`cppn-bot worker`: an arq worker process that runs render jobs from Redis on one device.

arq runs up to 2 x batch_max jobs at once per worker; each hands its job to the process's one
executor, which batches them on the device. Results go back through Redis as plain dicts.

Redis may go away (a restart, a crash, the network). The worker then stops the jobs in hand (the
bot hands over again whatever Redis lost), logs one line and waits for Redis, trying again after
twice the last wait up to RETRY_MAX_S, instead of exiting; at start it waits the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import signal
from collections.abc import Iterator

from arq.connections import RedisSettings
from arq.constants import in_progress_key_prefix
from arq.worker import Worker, func
from redis.exceptions import AuthenticationError, AuthorizationError

from bot.jobs.arq_backend import FUNCTION, PROGRESS_PREFIX, UNREACHABLE
from bot.jobs.executor import Executor
from bot.jobs.model import JobResult, QueuedJob, error_to_dict
from bot.jobs.queue import Outcome
from bot.settings import Settings

log = logging.getLogger(__name__)
FIRST_WAIT_S = 0.25  # the first wait after Redis did not answer; it doubles
RETRY_MAX_S = 10.0  # the longest wait between tries while Redis does not answer
REFUSED = (AuthenticationError, AuthorizationError)  # Redis answers no: waiting would not help
PROGRESS_EVERY_S = 1.0  # how often a running job's progress is written to Redis
PROGRESS_TTL_S = 30  # it expires by itself when the worker stops writing it


async def paint(ctx: dict, payload: dict) -> dict:
    """arq's job function: plain dict in, plain dict out (errors too, so arq does not retry)."""
    executor: Executor = ctx["executor"]
    try:
        req = QueuedJob.from_dict(payload)
    except Exception as e:
        return error_to_dict(e)
    loop = asyncio.get_running_loop()
    fut: asyncio.Future[Outcome] = loop.create_future()

    def resolve(outcome: Outcome) -> None:
        if not fut.done():
            fut.set_result(outcome)

    executor.submit(req, lambda _id, outcome: loop.call_soon_threadsafe(resolve, outcome))
    reporter = asyncio.create_task(_report_progress(ctx.get("redis"), executor, req.id, fut))
    try:
        outcome = await fut
    except asyncio.CancelledError:  # aborted, or the worker is stopping (arq re-runs it then)
        executor.cancel(req.id)
        raise
    finally:
        reporter.cancel()
    return outcome.to_dict() if isinstance(outcome, JobResult) else error_to_dict(outcome)


async def _report_progress(redis, executor: Executor, job_id: str, fut: asyncio.Future) -> None:
    """Write the job's (done, total) to Redis while it runs, for the bot's live status; a lost
    write only leaves the status as it was."""
    shown = None
    while redis is not None and not fut.done():
        progress = executor.progress(job_id)
        if progress is not None and progress != shown:
            with contextlib.suppress(*UNREACHABLE):
                await redis.set(
                    PROGRESS_PREFIX + job_id, f"{progress[0]}/{progress[1]}", ex=PROGRESS_TTL_S
                )
                shown = progress
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(fut), PROGRESS_EVERY_S)


class _Worker(Worker):
    """arq's Worker, remembering the jobs whose end it could not write because Redis went away.
    arq forgets such a job (its task is done, with the connection error), but a Redis that comes
    back with its data still holds the job's in-progress mark, and no worker would take the job
    again until the mark expired (minutes): `serve` clears those marks too on reconnecting."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unwritten: list[str] = []

    async def finish_job(self, job_id: str, *args, **kwargs) -> None:
        with self._noting(job_id):
            await super().finish_job(job_id, *args, **kwargs)

    async def finish_failed_job(self, job_id: str, *args, **kwargs) -> None:
        with self._noting(job_id):
            await super().finish_failed_job(job_id, *args, **kwargs)

    @contextlib.contextmanager
    def _noting(self, job_id: str) -> Iterator[None]:
        """Note the job when writing its end finds Redis gone (the error goes on)."""
        try:
            yield
        except UNREACHABLE:
            self.unwritten.append(job_id)
            raise


def in_hand(worker: Worker) -> list[str]:
    """The jobs a worker that lost Redis leaves marked in progress there: those still running,
    and those whose end it could not write."""
    running = [i for i, t in worker.tasks.items() if not t.done()]
    return running + [i for i in getattr(worker, "unwritten", []) if i not in running]


def make_worker(
    settings: Settings, executor: Executor, *, burst: bool = False, handle_signals: bool = True
) -> Worker:
    return _Worker(
        functions=[func(paint, name=FUNCTION)],
        # No retries of arq's own: serve() waits for Redis, with back-off and one log line.
        redis_settings=dataclasses.replace(
            RedisSettings.from_dsn(settings.redis_url), conn_retries=0
        ),
        queue_name=settings.queue_name,
        # Twice a batch: the next batch waits on the device while the last one is composed.
        max_jobs=2 * executor.batch_max,
        # A backstop only: the executor stops a render between tiles at its own limit, which is
        # job_timeout_s scaled up by the job's estimated cost, at most 2 x job_timeout_s.
        job_timeout=2 * settings.job_timeout_s + 30,
        max_tries=3,
        poll_delay=settings.poll_s,
        allow_abort_jobs=True,
        handle_signals=handle_signals,
        burst=burst,
        ctx={"executor": executor},
        log_results=False,
    )


def run_worker(settings: Settings, executor: Executor, *, burst: bool = False) -> None:
    """Run until SIGINT/SIGTERM (or, with burst, until the queue is empty)."""

    async def main() -> None:
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await serve(settings, executor, burst=burst, stop=stop)

    executor.start()
    try:
        asyncio.run(main())
    finally:
        executor.stop()


async def serve(
    settings: Settings,
    executor: Executor,
    *,
    burst: bool = False,
    stop: asyncio.Event | None = None,
) -> None:
    """Run arq workers until `stop` is set (with burst: until the queue is empty), one after
    another: when Redis goes away, the jobs in hand are stopped and the next worker waits for it."""
    stop = stop or asyncio.Event()
    at = where(settings.redis_url)
    wait, down, dropped = FIRST_WAIT_S, False, []

    async def connected(ctx: dict) -> None:
        nonlocal wait, down, dropped
        if down:
            log.info("Redis at %s answers again; taking jobs", at)
        if dropped:  # stopped here; if Redis kept them, they may run again at once
            await ctx["redis"].delete(*(in_progress_key_prefix + i for i in dropped))
        wait, down, dropped = FIRST_WAIT_S, False, []

    while not stop.is_set():
        worker = make_worker(settings, executor, burst=burst, handle_signals=False)
        worker.on_startup = connected
        error, held = await _run_until(worker, stop)
        if error is None:
            return
        if not isinstance(error, UNREACHABLE) or isinstance(error, REFUSED):
            raise error
        dropped += held
        if not down:
            what = "lost Redis" if worker.pool is not None else "cannot reach Redis"
            log.warning("%s at %s (%s: %s); jobs in hand stopped: %d; waiting for Redis",
                        what, at, type(error).__name__, error, len(held))  # fmt: skip
            down = True
        try:
            await asyncio.wait_for(stop.wait(), wait)
        except TimeoutError:
            wait = min(2 * wait, RETRY_MAX_S)


async def _run_until(worker: Worker, stop: asyncio.Event) -> tuple[BaseException | None, list]:
    """Run one arq worker until it ends, fails or `stop` is set: the error it failed with (None
    when it ended or was stopped), and the ids of the jobs it was running then. Stopped, arq's
    own shutdown puts the jobs in hand back in Redis; failed, they are stopped here."""
    main = asyncio.ensure_future(worker.async_run())
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({main, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not main.done():  # stopped, or this task was cancelled
            await _close(worker)
            await asyncio.gather(main, return_exceptions=True)
    error = None if main.cancelled() else main.exception()
    if error is None:
        if worker.pool is not None:  # ended (burst): closed unless stopped above
            await _close(worker)
        return None, []
    held = in_hand(worker)
    await _abandon(worker)
    return (None if stop.is_set() else error), held


async def _close(worker: Worker) -> None:
    try:
        await worker.close()
    except UNREACHABLE:  # Redis went away while closing
        await _abandon(worker)


async def _abandon(worker: Worker) -> None:
    """Stop a worker that lost Redis: cancel its jobs (the executor stops their renders) and
    close its connections, whatever Redis says."""
    for task in worker.tasks.values():
        task.cancel()
    if worker.main_task is not None:
        worker.main_task.cancel()
    await asyncio.gather(*worker.tasks.values(), return_exceptions=True)
    if worker.pool is not None:
        try:
            await worker.pool.aclose()
        except Exception as e:  # noqa: BLE001 - closing a dead connection may fail any way
            log.debug("closing the lost Redis connection: %s", e)


def where(url: str) -> str:
    """host:port (or the socket) of a Redis URL, without its password."""
    s = RedisSettings.from_dsn(url)
    return s.unix_socket_path or f"{s.host}:{s.port}"
