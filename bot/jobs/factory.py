"""Build the render queue that the settings ask for."""

from __future__ import annotations

from bot.jobs.executor import Executor
from bot.jobs.metrics import Metrics
from bot.jobs.queue import Backend, Limits, OnDone, RenderQueue
from bot.pipeline import Pipeline
from bot.quotes.engines import load_quotes
from bot.settings import Settings
from bot.store import Store


def build_executor(settings: Settings, pipeline: Pipeline, metrics: Metrics) -> Executor:
    return Executor(
        pipeline,
        batch_max=settings.batch_max,
        batching=settings.batching,
        timeout_s=settings.job_timeout_s,
        compose_threads=settings.compose_threads,
        metrics=metrics,
    )


def create_queue(
    settings: Settings,
    *,
    store: Store | None = None,
    pipeline: Pipeline | None = None,
    metrics: Metrics | None = None,
    on_done: OnDone | None = None,
) -> RenderQueue:
    """A RenderQueue on the configured backend; call `await queue.start()` next."""
    metrics = metrics or Metrics()
    backend: Backend
    if settings.queue_backend == "arq":
        from bot.jobs.arq_backend import ArqBackend  # arq and redis only when asked for

        backend = ArqBackend(settings.redis_url, settings.queue_name, settings.poll_s)
    else:
        from bot.jobs.local import LocalBackend

        pipeline = pipeline or Pipeline.create(settings.device, load_quotes(required=False))
        backend = LocalBackend(build_executor(settings, pipeline, metrics))
    limits = Limits(settings.queue_max, settings.user_max_pending)
    return RenderQueue(backend, limits, store, metrics, on_done)
