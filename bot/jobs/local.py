"""The local backend: jobs go straight to an in-process executor thread that owns the device."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.jobs.executor import Executor
from bot.jobs.model import QueuedJob
from bot.jobs.queue import Deliver, Outcome


class LocalBackend:
    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self._deliver: Callable[[str, Outcome], None] | None = None

    async def start(self, deliver: Deliver) -> None:
        loop = asyncio.get_running_loop()
        # The executor calls back on its own threads; outcomes are handled on the loop. Nothing
        # is kept to drop once recorded: the next start renders an unrecorded job again.
        self._deliver = lambda job_id, out: loop.call_soon_threadsafe(deliver, job_id, out)
        self.executor.start()

    async def enqueue(self, req: QueuedJob) -> None:
        assert self._deliver is not None, "start() the backend first"
        self.executor.submit(req, self._deliver)

    async def cancel(self, job_id: str) -> bool:
        return self.executor.cancel(job_id)

    async def waiting(self) -> list[str]:
        return self.executor.waiting()

    async def alive(self) -> bool:
        return self.executor.alive()

    async def progress(self, job_id: str) -> tuple[int, int] | None:
        return self.executor.progress(job_id)

    async def close(self) -> None:
        await asyncio.to_thread(self.executor.stop)
