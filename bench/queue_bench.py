"""Render-queue load test: N jobs from U users, batching on and off, local and arq backends.

Each simulated user keeps at most `user_max_pending` (2) jobs in the queue, as the bot allows, and
submits the next when one finishes. Most jobs use the default architecture (as /paint does), some
a wider or deeper net, so batching has something to merge. Every job carries a custom quote, so
compose and encode do real work without the quote model. Prints jobs/s, wait (submission to render
start) and latency (submission to result) percentiles, mean batch size, and checks that every job
was delivered exactly once and recorded done in the store.

    OMP_NUM_THREADS=1 python bench/queue_bench.py [--jobs 200] [--users 20] [--size 512]
                                                  [--backends local,arq] [--redis URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.art import Recipe  # noqa: E402
from bot.jobs import Owner, create_queue  # noqa: E402
from bot.jobs.factory import build_pipeline  # noqa: E402
from bot.pipeline import PaintJob  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import Store  # noqa: E402

QUOTE = "The picture is a question the network asks itself."


def workload(n: int, size: int, seed: int = 1) -> list[PaintJob]:
    """80% default architecture, 10% width 32, 10% 12 layers; random seeds."""
    rng = random.Random(seed)
    jobs = []
    for _ in range(n):
        kind = rng.random()
        shape = {"width": 32} if kind < 0.1 else {"layers": 12} if kind < 0.2 else {}
        recipe = Recipe(seed=rng.randrange(2**32), w=size, h=size, **shape)
        jobs.append(PaintJob(recipe, custom_quote=QUOTE))
    return jobs


async def run_load(settings: Settings, jobs: list[PaintJob], users: int, db: Path) -> dict:
    store = await Store.open(db)
    delivered: Counter[str] = Counter()

    async def on_done(req, outcome) -> None:
        delivered[req.id] += 1

    pipeline = build_pipeline(settings, None) if settings.queue_backend == "local" else None
    queue = create_queue(settings, store=store, pipeline=pipeline, on_done=on_done)
    await queue.start()
    per_user = [jobs[u::users] for u in range(users)]
    records: list[tuple[float, float, int]] = []  # wait, latency, batch
    errors: list[str] = []
    t0 = time.perf_counter()

    async def user(uid: int, mine: list[PaintJob]) -> None:
        slots = asyncio.Semaphore(settings.user_max_pending)

        async def one(job: PaintJob) -> None:
            try:
                t = time.perf_counter()
                handle = await queue.submit(job, Owner(user=uid))
                done = await handle.outcome()
                records.append((done.wait_s, time.perf_counter() - t, done.batch))
            except Exception as e:
                errors.append(f"{type(e).__name__}: {e}")
            finally:
                slots.release()

        tasks = []
        for job in mine:
            await slots.acquire()
            tasks.append(asyncio.create_task(one(job)))
        await asyncio.gather(*tasks)

    await asyncio.gather(*(user(u, mine) for u, mine in enumerate(per_user)))
    elapsed = time.perf_counter() - t0
    await asyncio.sleep(0.2)  # late duplicate deliveries would show up here
    statuses = await store.renders_by_status()
    await queue.close()
    await store.close()
    return _summary(jobs, records, errors, delivered, statuses, elapsed)


def _summary(jobs, records, errors, delivered, statuses, elapsed) -> dict:
    waits = sorted(r[0] for r in records)
    lats = sorted(r[1] for r in records)
    return {
        "jobs/s": len(records) / elapsed,
        "wait p50": _pct(waits, 50), "wait p95": _pct(waits, 95),
        "latency p50": _pct(lats, 50), "latency p95": _pct(lats, 95),
        "mean batch": statistics.fmean(r[2] for r in records) if records else 0.0,
        "done": statuses.get("done", 0),
        "lost": len(jobs) - len(delivered),
        "duplicated": sum(n - 1 for n in delivered.values()),
        "errors": errors[:3],
    }  # fmt: skip


def _pct(xs: list[float], p: int) -> float:
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))] if xs else float("nan")


# --- arq plumbing -----------------------------------------------------------------------------
def start_redis(tmp: Path) -> tuple[str, subprocess.Popen | None]:
    exe = shutil.which("redis-server")
    if exe is None:
        raise SystemExit("the arq run needs redis-server (apt-get install redis-server) or --redis")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return f"redis://127.0.0.1:{port}/0", proc


def start_workers(n: int, settings: Settings) -> list[subprocess.Popen]:
    args = [sys.executable, "-m", "bot.jobs", "worker", "--redis", settings.redis_url, "--queue",
            settings.queue_name, "--no-quotes", "--batch-max", str(settings.batch_max)]  # fmt: skip
    if not settings.batching:
        args.append("--no-batching")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CPPN_POLL_S": str(settings.poll_s)}
    out = subprocess.DEVNULL
    procs = [subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=out) for _ in range(n)]
    time.sleep(4)  # torch import and arq start-up, so the clock measures rendering
    return procs


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()


# --- main -------------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", type=int, default=200)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--backends", default="local,arq")
    ap.add_argument("--workers", type=int, default=2, help="arq worker processes")
    ap.add_argument("--batch-max", type=int, default=8)
    ap.add_argument("--redis", help="a Redis URL; default: start a private redis-server")
    a = ap.parse_args()
    jobs = workload(a.jobs, a.size)
    threads = os.environ.get("OMP_NUM_THREADS", "unset")
    print(f"{a.jobs} jobs of {a.size}x{a.size} from {a.users} users (2 pending each at most); "
          f"OMP_NUM_THREADS={threads}, {os.cpu_count()} CPUs")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        redis_proc = None
        url = a.redis
        if "arq" in a.backends and not url:
            url, redis_proc = start_redis(Path(tmp))
        try:
            for backend in a.backends.split(","):
                for batching in (True, False):
                    _one(backend, batching, a, jobs, url or "", Path(tmp))
        finally:
            if redis_proc:
                redis_proc.terminate()


def _one(backend: str, batching: bool, a, jobs, url: str, tmp: Path) -> None:
    name = f"bench:{backend}:{int(batching)}:{time.time_ns()}"
    settings = Settings(
        queue_backend=backend, redis_url=url or Settings.redis_url, queue_name=name,
        batching=batching, batch_max=a.batch_max, user_max_pending=2, queue_max=100, poll_s=0.02,
    )  # fmt: skip
    workers = start_workers(a.workers, settings) if backend == "arq" else []
    try:
        r = asyncio.run(run_load(settings, jobs, a.users, tmp / f"{name.replace(':', '_')}.db"))
    finally:
        stop(workers)
    where = f"{backend} x{a.workers} workers" if workers else backend
    label = f"{where}, batching {'on' if batching else 'off'}"
    print(
        f"{label:32} {r['jobs/s']:6.2f} jobs/s  wait p50 {r['wait p50']:5.2f} s "
        f"p95 {r['wait p95']:5.2f} s  latency p50 {r['latency p50']:5.2f} s "
        f"p95 {r['latency p95']:5.2f} s  mean batch {r['mean batch']:4.2f}  "
        f"done {r['done']}/{len(jobs)}  lost {r['lost']}  duplicated {r['duplicated']}"
    )
    if r["errors"]:
        print("   errors:", *r["errors"], sep="\n   ")


if __name__ == "__main__":
    main()
