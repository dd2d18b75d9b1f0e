"""The CPU policy: usable CPUs from affinity and cgroup quotas (fake files), and the budget."""

import os
import threading
from pathlib import Path

import pytest
import torch

from bot import cpus
from bot.cpus import CpuBudget, cgroup_cpu_limit, one_thread_per_kernel, usable_cpus


def _tree(tmp_path: Path, proc: str, files: dict[str, str]) -> tuple[Path, Path]:
    """A fake /sys/fs/cgroup with `files` (relative path -> text) and a fake /proc/self/cgroup."""
    root = tmp_path / "cgroup"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text + "\n")
    root.mkdir(exist_ok=True)
    proc_file = tmp_path / "proc-self-cgroup"
    proc_file.write_text(proc + "\n")
    return root, proc_file


def test_v2_quota_in_cpu_max(tmp_path):
    root, proc = _tree(tmp_path, "0::/bot.slice/app", {"bot.slice/app/cpu.max": "150000 100000"})
    assert cgroup_cpu_limit(root, proc) == 1.5


def test_v2_max_means_no_limit_and_a_parent_limit_applies(tmp_path):
    root, proc = _tree(tmp_path, "0::/a/b", {"a/b/cpu.max": "max 100000"})
    assert cgroup_cpu_limit(root, proc) is None
    root, proc = _tree(tmp_path / "2", "0::/a/b",
                       {"a/b/cpu.max": "max 100000", "a/cpu.max": "50000 100000"})  # fmt: skip
    assert cgroup_cpu_limit(root, proc) == 0.5


def test_v2_inside_a_container_reads_the_namespace_root(tmp_path):
    """In a cgroup namespace the process sees "0::/" and its own limit at the mount's root."""
    root, proc = _tree(tmp_path, "0::/", {"cpu.max": "200000 100000"})
    assert cgroup_cpu_limit(root, proc) == 2.0


def test_v1_cfs_quota(tmp_path):
    proc = "12:cpu,cpuacct:/docker/abc\n3:memory:/docker/abc"
    files = {"cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "250000",
             "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000"}  # fmt: skip
    root, proc_file = _tree(tmp_path, proc, files)
    assert cgroup_cpu_limit(root, proc_file) == 2.5
    unlimited = {"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000"}
    root, proc_file = _tree(tmp_path / "2", "4:cpu:/", unlimited)
    assert cgroup_cpu_limit(root, proc_file) is None


def test_garbage_and_missing_files_mean_no_limit(tmp_path):
    root, proc = _tree(tmp_path, "0::/x", {"x/cpu.max": "lots of cpus"})
    assert cgroup_cpu_limit(root, proc) is None
    assert cgroup_cpu_limit(tmp_path / "nowhere", tmp_path / "no-proc") is None


def test_usable_cpus_is_affinity_capped_by_quota_and_omp(tmp_path, monkeypatch):
    monkeypatch.setattr(cpus, "affinity_cpus", lambda: 8)
    root, proc = _tree(tmp_path, "0::/", {"cpu.max": "250000 100000"})
    assert usable_cpus({}, root, proc) == 3  # 2.5 CPUs of quota: three threads, rounded up
    assert usable_cpus({"OMP_NUM_THREADS": "2"}, root, proc) == 2
    assert usable_cpus({"OMP_NUM_THREADS": "junk"}, root, proc) == 3
    none, proc = _tree(tmp_path / "2", "0::/", {"cpu.max": "max 100000"})
    assert usable_cpus({}, none, proc) == 8
    tiny, proc = _tree(tmp_path / "3", "0::/", {"cpu.max": "10000 100000"})
    assert usable_cpus({}, tiny, proc) == 1  # a tenth of a CPU still runs one thread


def test_affinity_is_what_the_scheduler_allows():
    if not hasattr(os, "sched_getaffinity"):
        pytest.skip("no affinity masks on this platform")
    assert cpus.affinity_cpus() == len(os.sched_getaffinity(0))
    assert 1 <= usable_cpus() <= cpus.affinity_cpus()


def test_budget_never_lets_more_than_its_cores_run():
    budget = CpuBudget(2)
    release = threading.Event()
    inside = threading.Semaphore(0)
    entered = []

    def work(i: int) -> None:
        with budget.slot():
            entered.append(i)
            inside.release()
            release.wait()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    assert inside.acquire(timeout=10) and inside.acquire(timeout=10)
    assert not inside.acquire(timeout=0.3)  # the third waits for a slot
    assert len(entered) == 2
    release.set()
    assert inside.acquire(timeout=10)
    for t in threads:
        t.join(10)
    assert sorted(entered) == [0, 1, 2]


def test_budget_slots_are_reentrant_per_thread():
    budget = CpuBudget(1)
    with budget.slot(), budget.slot():  # a stage holding a slot may call one that asks again
        pass
    with budget.slot():
        pass
    assert CpuBudget(0).cores == 1


def test_torch_kernels_get_one_thread():
    before = torch.get_num_threads()
    try:
        one_thread_per_kernel()
        assert torch.get_num_threads() == 1
        seen = []
        t = threading.Thread(target=lambda: seen.append(torch.get_num_threads()))
        t.start()
        t.join()
        assert seen == [1]  # threads started later (render tiles, compose) inherit it
    finally:
        torch.set_num_threads(before)
