"""The render queue: one interface (RenderQueue, Job), two backends (local, arq), the executor."""

from bot.jobs.factory import create_queue
from bot.jobs.model import JobStatus, Owner, Priority
from bot.jobs.queue import Job, JobState, Limits, RenderQueue

__all__ = [
    "Job", "JobState", "JobStatus", "Limits", "Owner", "Priority", "RenderQueue", "create_queue",
]  # fmt: skip
