"""How many CPUs this process may really use, and one budget of busy threads for all its stages.

`os.cpu_count()` counts the machine's cores. A process may be given fewer: an affinity mask
(taskset, a container's cpuset) and a cgroup's CPU quota (Docker's `--cpus`, Kubernetes limits,
systemd's CPUQuota). Threads past that only queue for a core, and torch's OpenMP kernels, which
meet at a barrier after every operation, then wait for whichever thread was descheduled: on two
cores shared with one busy process, two torch threads rendered 3-8x slower than one.

So the policy is: torch kernels run on one thread each (`one_thread_per_kernel`), parallel work
is split into independent pieces (render tiles, whole jobs), and every CPU-heavy piece (a tile, a
job's quote + compose + encode) holds a slot of one `CpuBudget` sized by `usable_cpus()`. One
process then never runs more busy threads than it has cores, and a busy core costs one piece, not
every step of every piece.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_CGROUP = Path("/proc/self/cgroup")


def affinity_cpus() -> int:
    """CPUs the scheduler may run this process on (its affinity mask)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _quota_v2(text: str | None) -> float | None:
    """cgroup v2 `cpu.max`: "max 100000" (no limit) or "QUOTA PERIOD" -> CPUs, or None."""
    parts = (text or "").split()
    if len(parts) != 2 or parts[0] == "max":
        return None
    try:
        quota, period = int(parts[0]), int(parts[1])
    except ValueError:
        return None
    return quota / period if quota > 0 and period > 0 else None


def _quota_v1(quota: str | None, period: str | None) -> float | None:
    """cgroup v1 `cpu.cfs_quota_us` (-1: no limit) over `cpu.cfs_period_us` -> CPUs, or None."""
    try:
        q, p = int(quota or ""), int(period or "")
    except ValueError:
        return None
    return q / p if q > 0 and p > 0 else None


def _ancestors(path: str) -> list[str]:
    """ "/a/b" -> ["a/b", "a", ""]: a cgroup and every parent, whose limits apply too."""
    parts = [p for p in path.split("/") if p and p != ".."]
    return ["/".join(parts[:i]) for i in range(len(parts), -1, -1)]


def cgroup_cpu_limit(root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> float | None:
    """The tightest CPU quota (in CPUs, may be fractional) over this process's cgroup and its
    parents, v2 (`cpu.max`) or v1 (`cpu.cfs_quota_us`); None when nothing limits it."""
    limits: list[float] = []
    for line in (_read(proc_cgroup) or "").splitlines():
        hid, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if hid == "0" and controllers == "":  # v2, the unified hierarchy
            for sub in _ancestors(path):
                limits.append(_quota_v2(_read(root / sub / "cpu.max")) or math.inf)
        elif "cpu" in controllers.split(","):  # v1, the cpu controller's hierarchy
            for mount in (controllers, "cpu", "cpu,cpuacct", "cpuacct,cpu"):
                if (root / mount).is_dir():
                    break
            for sub in _ancestors(path):
                d = root / mount / sub
                q = _quota_v1(_read(d / "cpu.cfs_quota_us"), _read(d / "cpu.cfs_period_us"))
                limits.append(q or math.inf)
    tightest = min(limits, default=math.inf)
    return None if tightest == math.inf else tightest


def usable_cpus(env: Mapping[str, str] | None = None, root: Path = CGROUP_ROOT,
                proc_cgroup: Path = PROC_CGROUP) -> int:  # fmt: skip
    """How many threads may be busy at once: the affinity mask, capped by the cgroup quota
    (rounded up: 1.5 CPUs of quota keep two threads busy three quarters of the time) and by
    OMP_NUM_THREADS when set (an operator's explicit cap)."""
    env = os.environ if env is None else env
    n = affinity_cpus()
    limit = cgroup_cpu_limit(root, proc_cgroup)
    if limit is not None:
        n = min(n, math.ceil(limit - 1e-9))
    omp = env.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if omp.isdigit() and int(omp) > 0:
        n = min(n, int(omp))
    return max(1, n)


class CpuBudget:
    """At most `cores` busy threads: every CPU-heavy piece of work holds a slot while it runs.

    Slots are re-entrant per thread (a stage that holds one may call code that asks again)."""

    def __init__(self, cores: int) -> None:
        self.cores = max(1, int(cores))
        self._slots = threading.Semaphore(self.cores)
        self._depth = threading.local()

    @classmethod
    def detect(cls) -> CpuBudget:
        """Sized from what this process may really use (see usable_cpus)."""
        return cls(usable_cpus())

    @contextmanager
    def slot(self) -> Iterator[None]:
        depth = getattr(self._depth, "n", 0)
        if depth == 0:
            self._slots.acquire()
        self._depth.n = depth + 1
        try:
            yield
        finally:
            self._depth.n = depth
            if depth == 0:
                self._slots.release()

    def __repr__(self) -> str:
        return f"CpuBudget(cores={self.cores})"


def one_thread_per_kernel() -> None:
    """torch's CPU kernels on one thread each (process-wide; threads started later inherit it).
    Parallelism comes from independent pieces on a CpuBudget instead of OpenMP teams."""
    import torch

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
