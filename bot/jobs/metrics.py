"""Prometheus metrics of the render queue, on a registry passed in (no global registry state).

The bot's queue front end sets depth, failures and rejections; the executor (in the bot for the
local backend, in each worker for arq) observes wait, stage seconds and batch sizes.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

SECONDS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
STAGES = ("weights", "render", "quote", "compose", "encode")


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.depth = Gauge("cppn_queue_depth", "Jobs waiting or running", registry=r)
        self.wait = Histogram(
            "cppn_queue_wait_seconds", "Submission to render start", buckets=SECONDS, registry=r
        )
        self.stage = Histogram(
            "cppn_stage_seconds",
            "Seconds per stage: weights and render per batch; quote, compose, encode per job",
            ["stage"],
            buckets=SECONDS,
            registry=r,
        )
        self.batch = Histogram(
            "cppn_batch_size", "Jobs per forward pass", buckets=(1, 2, 4, 8, 16, 32), registry=r
        )
        self.jobs = Counter("cppn_jobs_finished", "Jobs finished", ["status"], registry=r)
        self.failures = Counter("cppn_job_failures", "Failed jobs by kind", ["kind"], registry=r)
        self.rejected = Counter("cppn_jobs_rejected", "Submissions refused", ["reason"], registry=r)

    def observe_stages(self, timings: dict[str, float], names: tuple[str, ...]) -> None:
        for name in names:
            if name in timings:
                self.stage.labels(name).observe(timings[name])

    def value(self, name: str, labels: dict[str, str] | None = None) -> float:
        """A sample's current value (0 when never set): for tests and the benchmark."""
        return self.registry.get_sample_value(name, labels) or 0.0
