"""Time loading the quote bundle and generating quotes, on one CPU thread.

.venv/bin/python bench/quotes_bench.py [N]
"""

from __future__ import annotations

import statistics
import sys
import time

import torch


def main(n: int = 200) -> None:
    torch.set_num_threads(1)
    from bot.quotes import QuoteGenerator

    t0 = time.perf_counter()
    gen = QuoteGenerator.load()
    load_ms = (time.perf_counter() - t0) * 1000
    times, engines = [], []
    for seed in range(n):
        t = time.perf_counter()
        engines.append(gen.generate(seed).engine)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(
        f"model {gen.model_id}: load {load_ms:.0f} ms; {n} quotes: "
        f"median {statistics.median(times):.0f} ms, p95 {times[int(0.95 * n) - 1]:.0f} ms, "
        f"max {times[-1]:.0f} ms; markov {engines.count('markov')}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
