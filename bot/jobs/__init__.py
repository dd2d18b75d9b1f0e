"""The render queue: one interface (RenderQueue, JobHandle), two backends, the executor."""

from bot.jobs.factory import create_queue
from bot.jobs.model import JobStatus, Owner, Priority
from bot.jobs.queue import JobHandle, JobState, Limits, RenderQueue

__all__ = [
    "JobHandle", "JobState", "JobStatus", "Limits", "Owner", "Priority", "RenderQueue",
    "create_queue",
]  # fmt: skip
