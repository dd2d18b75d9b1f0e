"""Fair shares of the device: jobs ordered by cost and person, and a cost in seconds.

Within a priority, jobs run in weighted-fair-queueing order. Each person's jobs are tagged as they
arrive: start = max(V, that person's last finish), finish = start + cost, where cost is the work
budget's measure (Recipe.cost: multiply-adds plus activations) and V, the virtual time, is the start
tag of the last job taken. The smallest finish runs first. Someone with nothing queued starts at V,
the start of the job in hand, so their small job finishes (virtually) before any big one waiting
and runs next: it waits behind one big job at most. Someone with jobs queued starts where their
last one finishes, so two people flooding big jobs take turns, and k of them delay others by one
job, not k. A tag never changes once given, so every job's turn comes.

`Throughput` turns costs into seconds, from what the renders measure: for the timeout, which grows
with a job's estimated seconds (bounded), and for batching (`Executor`).

With the arq backend jobs wait in a Redis sorted set, whose scores are times (a worker takes the
lowest score that is not in the future), and which the bot alone writes: `FairScore` gives each job
a Virtual Clock time, the same idea on the wall clock (see its docstring).
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable

from bot.jobs.model import QueuedJob

TIMEOUT_SCALE = 3.0  # a job may take this many times its estimated seconds ...
TIMEOUT_CAP = 2.0  # ... but never more than this many times the configured timeout
NOMINAL_RATE = 1e11  # cost a second the arq score assumes (a CPU worker ~3e10, a GPU ~1e12)
HORIZON_S = 3600.0  # how far ahead of now a person's queued work is told apart in the score


class FairClock:
    """Virtual-time tags per owner (see the module's docstring)."""

    def __init__(self) -> None:
        self.v = 0.0
        self._finish: dict[Hashable, float] = {}  # owner -> finish tag of their last job

    def tag(self, owner: Hashable, cost: float) -> tuple[float, float]:
        """(start, finish) for the owner's next job."""
        start = max(self.v, self._finish.get(owner, 0.0))
        self._finish[owner] = start + cost
        return start, start + cost

    def started(self, start: float) -> None:
        """A job with this start tag was taken: virtual time moves on to it."""
        self.v = max(self.v, start)
        # An owner whose last finish is behind V starts at V anyway: forget them.
        self._finish = {o: f for o, f in self._finish.items() if f > self.v}

    def idle(self) -> None:
        """Nothing waits or runs: nobody is owed anything, and nobody owes."""
        self._finish.clear()


class Throughput:
    """Work (Recipe.cost) per second of rendering, as measured: a mean weighted by seconds over
    about the last `memory_s` seconds of rendering, starting from a guess worth one second."""

    def __init__(self, guess: float, memory_s: float = 60.0, learn: bool = True) -> None:
        self.memory_s, self.learn = memory_s, learn
        self._work, self._seconds = float(guess), 1.0

    @property
    def rate(self) -> float:
        return self._work / self._seconds

    def observe(self, work: float, seconds: float) -> None:
        if not self.learn or seconds <= 0 or work <= 0:
            return
        keep = math.exp(-seconds / self.memory_s)
        self._work = self._work * keep + work
        self._seconds = self._seconds * keep + seconds

    def seconds(self, work: float) -> float:
        """Estimated seconds to render this much work."""
        return work / self.rate


def guess_rate(device: str, cores: int) -> float:
    """A first throughput before anything is measured: ~15e9 a core (one x86 core renders 20-40e9
    of cost a second), a GPU far more."""
    return 5e11 if device.startswith("cuda") else 1.5e10 * max(1, cores)


def scaled_timeout(base_s: float, estimate_s: float) -> float:
    """The render timeout for a job estimated at `estimate_s`: the configured one, or
    TIMEOUT_SCALE x the estimate if longer, and never past TIMEOUT_CAP x the configured one."""
    return min(max(base_s, TIMEOUT_SCALE * estimate_s), TIMEOUT_CAP * base_s)


class FairScore:
    """Fair order as far as one sorted set of times allows (Virtual Clock): a job's time is
    max(its submission, its owner's last job's time) + its cost in nominal seconds. A person's
    queued jobs lie one after the other ahead of the clock, by their estimated seconds; someone
    with nothing queued lands at now plus their own job's seconds, so a small job goes before the
    big ones queued by others, and a big job is overtaken only by jobs that arrive within its own
    (nominal) seconds of it: every job's turn comes. arq defers a job whose score is in the future,
    so every time is moved HORIZON_S back (work queued further ahead than that is in plain
    submission order). Kept in memory: the bot is the only writer, and after a restart the
    re-queued jobs keep their submission times."""

    def __init__(self, rate: float = NOMINAL_RATE) -> None:
        self.rate = rate
        self._last: dict[Hashable, float] = {}  # owner -> time of their last job

    def when(self, req: QueuedJob, now: float | None = None) -> float:
        """The job's place in the queue, as a Unix time no later than `now`."""
        now = time.time() if now is None else now
        owner = req.owner.user
        at = max(req.submitted_at, self._last.get(owner, 0.0)) + req.spec.recipe.cost() / self.rate
        self._last = {o: t for o, t in self._last.items() if t > now}  # behind the clock: forget
        self._last[owner] = at
        return min(at, now + HORIZON_S) - HORIZON_S
