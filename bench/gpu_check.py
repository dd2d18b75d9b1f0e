"""GPU check, for a session that is lent a GPU: CPU/GPU agreement and renderer timings.

    python bench/gpu_check.py        # prints figures; exits 0 with a note when there is no GPU

Agreement: each code rendered on the CPU and on cuda at 512x512; max level difference and the
share of pixels more than 2 levels apart (chaotic recipes are sensitive to the last float bit, so
their max can be large on a few knife-edge pixels). Timings: 1080x720 at width 16 / 9 layers,
3840x2160 at width 128 / 16 layers, and 8 jobs of 512x512 batched against one by one.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.art import Recipe, Renderer, parse_code  # noqa: E402

CODES = ["1-1", "1-3nqk8n-d16w32as", "1-7-d8w128f4u3b", "1-2a-t", "1-k8-axrz3m0.5c0.1,-0.2h",
         "1-5-d0g", "1-9-u100m0.01", "1-4-d16w128b"]  # fmt: skip


def timed(fn, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        torch.cuda.synchronize()
        t = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t)
    return best


def agreement(cpu: Renderer, gpu: Renderer) -> None:
    print("code                              max diff   >2 levels")
    for code in CODES:
        r = parse_code(code).with_size(512, 512)
        d = np.abs(cpu.render(r).astype(np.int16) - gpu.render(r).astype(np.int16))
        print(f"{code:32s} {int(d.max()):8d}   {(d > 2).mean():8.4%}")


def timings(gpu: Renderer) -> None:
    hd = Recipe(seed=1, layers=9, width=16, w=1080, h=720)
    uhd = Recipe(seed=1, width=128, layers=16, w=3840, h=2160)
    gpu.render(hd)  # warm up
    print(f"1080x720, width 16, 9 layers: {timed(lambda: gpu.render(hd)) * 1000:.1f} ms")
    print(f"3840x2160, width 128, 16 layers: {timed(lambda: gpu.render(uhd), 1):.2f} s")
    jobs = [replace(Recipe(w=512, h=512), seed=s) for s in range(8)]
    one = timed(lambda: [gpu.render(r) for r in jobs])
    batch = timed(lambda: gpu.render_batch(jobs))
    print(f"8 x 512x512: one by one {one * 1000:.0f} ms, batched {batch * 1000:.0f} ms "
          f"({one / batch:.1f}x)")  # fmt: skip
    print(f"peak GPU memory: {torch.cuda.max_memory_allocated() / 2**20:.0f} MiB")


def main() -> int:
    if not torch.cuda.is_available():
        print("no CUDA device here: nothing to compare (run this on a machine with a GPU)")
        return 0
    print(f"device: {torch.cuda.get_device_name(0)}, torch {torch.__version__}")
    cpu, gpu = Renderer.create("cpu"), Renderer.create("cuda")
    agreement(cpu, gpu)
    timings(gpu)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
