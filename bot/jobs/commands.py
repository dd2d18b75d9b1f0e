"""Command-line verbs of the render queue: `worker`. bot/cli.py registers them via add_parsers."""

from __future__ import annotations

import argparse

from bot.errors import UserError
from bot.settings import Settings


def add_parsers(subparsers) -> None:
    p = subparsers.add_parser(
        "worker", help="run render jobs from Redis (the arq backend); one per GPU"
    )
    p.add_argument("--redis", metavar="URL", help="default: CPPN_REDIS_URL or redis://127.0.0.1")
    p.add_argument("--queue", metavar="NAME", help="default: CPPN_QUEUE_NAME or cppn:queue")
    p.add_argument("--device", help="auto (cuda if present), cpu, cuda:N; default: CPPN_DEVICE")
    p.add_argument("--batch-max", type=int, help="jobs per forward pass; default: CPPN_BATCH_MAX")
    p.add_argument("--no-batching", action="store_true", help="one job per forward pass")
    p.add_argument("--no-quotes", action="store_true", help="do not load the quote engines")
    p.add_argument("--metrics-port", type=int, help="serve prometheus metrics on this port")
    p.add_argument("--burst", action="store_true", help="exit once the queue is empty")
    p.set_defaults(func=_cmd_worker)


def _settings(args: argparse.Namespace) -> Settings:
    given = {
        "redis_url": args.redis, "queue_name": args.queue, "device": args.device,
        "batch_max": args.batch_max, "metrics_port": args.metrics_port,
        "batching": False if args.no_batching else None,
    }  # fmt: skip
    return Settings.from_env(**{k: v for k, v in given.items() if v is not None})


def _cmd_worker(args: argparse.Namespace) -> int:
    from redis.exceptions import RedisError

    from bot.jobs.factory import build_executor
    from bot.jobs.metrics import Metrics
    from bot.jobs.worker import run_worker, where
    from bot.logs import setup_logging
    from bot.pipeline import Pipeline
    from bot.quotes.engines import load_quotes

    settings = _settings(args)
    setup_logging(settings)  # structured lines; the Redis password never shows
    metrics = Metrics()
    if settings.metrics_port:
        from prometheus_client import start_http_server

        start_http_server(settings.metrics_port, registry=metrics.registry)
    quotes = None if args.no_quotes else load_quotes(required=False)
    pipeline = Pipeline.create(settings.device, quotes)
    executor = build_executor(settings, pipeline, metrics)
    print(f"worker: {settings.queue_name} on {executor.device}, batches of {executor.batch_max}")
    try:
        run_worker(settings, executor, burst=args.burst)
    except (RedisError, OSError) as e:  # it waits while Redis is away; this is a refusal
        raise UserError(f"Redis at {where(settings.redis_url)} refused the worker: {e}") from None
    return 0
