"""`cppn-bot worker`: an arq worker process that runs render jobs from Redis on one device.

arq runs up to 2 x batch_max jobs at once per worker; each hands its job to the process's one
executor, which batches them on the device. Results go back through Redis as plain dicts.
"""

from __future__ import annotations

import asyncio
import logging

from arq.connections import RedisSettings
from arq.worker import Worker, func

from bot.jobs.arq_backend import FUNCTION
from bot.jobs.executor import Executor
from bot.jobs.model import JobResult, QueuedJob, error_to_dict
from bot.jobs.queue import Outcome
from bot.settings import Settings

log = logging.getLogger(__name__)


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
    try:
        outcome = await fut
    except asyncio.CancelledError:  # aborted, or the worker is stopping (arq re-runs it then)
        executor.cancel(req.id)
        raise
    return outcome.to_dict() if isinstance(outcome, JobResult) else error_to_dict(outcome)


def make_worker(
    settings: Settings, executor: Executor, *, burst: bool = False, handle_signals: bool = True
) -> Worker:
    return Worker(
        functions=[func(paint, name=FUNCTION)],
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        queue_name=settings.queue_name,
        # Twice a batch: the next batch waits on the device while the last one is composed.
        max_jobs=2 * executor.batch_max,
        # A backstop only: the executor stops a render at job_timeout_s between tiles.
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
    executor.start()
    try:
        make_worker(settings, executor, burst=burst).run()
    finally:
        executor.stop()
