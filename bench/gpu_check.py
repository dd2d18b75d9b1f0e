"""GPU check, for a session that is lent a GPU: CPU/GPU agreement, renderer timings, end-to-end
/paint latency and batched throughput. One short script (about a minute on a GPU machine).

    python bench/gpu_check.py          # on a GPU; without one, a CPU dry run at small sizes
    python bench/gpu_check.py --cpu    # the dry run on purpose (checks every step runs)

Agreement: each code rendered on the CPU and on cuda at 512x512; max level difference and the
share of pixels more than 2 levels apart (chaotic recipes are sensitive to the last float bit, so
their max can be large on a few knife-edge pixels). Timings: 1080x720 at width 16 / 9 layers,
3840x2160 at width 128 / 16 layers, 8 jobs batched against one by one. End to end: a default
/paint (1024x1024, 16 layers, generated quote) through the real pipeline, per stage. Throughput:
1, 8 and 32 default /paint jobs rendered in one batched pass, then quoted, composed and encoded
on the CPU threads this process may use; jobs/s for the render alone and for finished bytes.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.art import Recipe, Renderer, parse_code  # noqa: E402
from bot.cpus import usable_cpus  # noqa: E402

CODES = ["1-1", "1-3nqk8n-d16w32as", "1-7-d8w128f4u3b", "1-2a-t", "1-k8-axrz3m0.5c0.1,-0.2h",
         "1-5-d0g", "1-9-u100m0.01", "1-4-d16w128b"]  # fmt: skip


def sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def timed(fn, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        sync()
        t = time.perf_counter()
        fn()
        sync()
        best = min(best, time.perf_counter() - t)
    return best


def agreement(cpu: Renderer, dev: Renderer, side: int) -> None:
    print(f"agreement at {side}x{side}, cpu vs {dev.device}:")
    print("  code                              max diff   >2 levels")
    for code in CODES:
        r = parse_code(code).with_size(side, side)
        d = np.abs(cpu.render(r).astype(np.int16) - dev.render(r).astype(np.int16))
        print(f"  {code:32s} {int(d.max()):8d}   {(d > 2).mean():8.4%}")


def timings(dev: Renderer, scale: int) -> None:
    hd = Recipe(seed=1, layers=9, width=16, w=1080 // scale, h=720 // scale)
    uhd = Recipe(seed=1, width=128, layers=16, w=3840 // scale**2, h=2160 // scale**2)
    dev.render(hd)  # warm up
    print(f"{hd.w}x{hd.h}, width 16, 9 layers: {timed(lambda: dev.render(hd)) * 1000:.1f} ms")
    print(f"{uhd.w}x{uhd.h}, width 128, 16 layers: {timed(lambda: dev.render(uhd), 1):.2f} s")
    side = 512 // scale
    jobs = [replace(Recipe(w=side, h=side), seed=s) for s in range(8)]
    one = timed(lambda: [dev.render(r) for r in jobs])
    batch = timed(lambda: dev.render_batch(jobs))
    print(f"8 x {side}x{side}: one by one {one * 1000:.0f} ms, batched {batch * 1000:.0f} ms "
          f"({one / batch:.1f}x)")  # fmt: skip


def end_to_end(pipeline, side: int) -> None:
    from bot.pipeline import PaintSpec

    jobs = [PaintSpec(Recipe(seed=s, layers=16, w=side, h=side)) for s in (1, 2, 3)]
    pipeline.run(jobs[0])  # warm up: kernels, fonts, the quote model
    best: dict[str, float] = {}
    for job in jobs:
        sync()
        t = time.perf_counter()
        done = pipeline.run(job)
        sync()
        total = time.perf_counter() - t
        for k, v in {**done.timings, "total": total}.items():
            best[k] = min(best.get(k, float("inf")), v)
    stages = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in best.items())
    print(f"end to end, /paint {side}x{side}, 16 layers, generated quote (best of 3 seeds): "
          f"{stages}")  # fmt: skip


def throughput(pipeline, side: int, sizes: tuple[int, ...]) -> None:
    """n jobs of the default architecture: one batched render, then finishing on a pool."""
    from bot.pipeline import PaintSpec

    cores = usable_cpus()
    with ThreadPoolExecutor(cores) as pool:
        for n in sizes:
            jobs = [PaintSpec(Recipe(seed=100 + s, layers=16, w=side, h=side)) for s in range(n)]
            pipeline.renderer.render_batch([j.recipe for j in jobs])  # warm up this batch size
            sync()
            t0 = time.perf_counter()
            arts = pipeline.renderer.render_batch([j.recipe for j in jobs])
            sync()
            t1 = time.perf_counter()
            list(pool.map(lambda j, art: pipeline.finish(j, art, {}), jobs, arts))
            t2 = time.perf_counter()
            print(f"  {n:3d} jobs: render {n / (t1 - t0):8.1f} jobs/s; finished bytes "
                  f"{n / (t2 - t0):6.1f} jobs/s ({cores} CPU threads finishing)")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cpu", action="store_true", help="a dry run on the CPU at small sizes")
    a = ap.parse_args()
    cuda = torch.cuda.is_available() and not a.cpu
    from bot.compose import Compositor
    from bot.pipeline import Pipeline
    from bot.quotes.engines import load_quotes

    if cuda:
        print(f"device: {torch.cuda.get_device_name(0)}, torch {torch.__version__}")
        dev, scale, side, sizes = Renderer.create("cuda"), 1, 1024, (1, 8, 32)
    else:
        print("no CUDA device here (or --cpu): a dry run of every step on the CPU at small "
              "sizes, to check the script runs; these are NOT GPU figures")  # fmt: skip
        dev, scale, side, sizes = Renderer.create("cpu"), 4, 128, (1, 8)
    cpu = Renderer.create("cpu")
    agreement(cpu, dev, 512 // scale)
    timings(dev, scale)
    pipeline = Pipeline(dev, Compositor(), load_quotes())
    end_to_end(pipeline, side)
    print(f"batched throughput, default /paint {side}x{side}, 16 layers:")
    throughput(pipeline, side, sizes)
    if cuda:
        print(f"peak GPU memory: {torch.cuda.max_memory_allocated() / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
