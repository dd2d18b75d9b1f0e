"""Engine 2 (aphorisms) on one CPU thread: time per quote (quiet, then beside a busy process),
and over N quotes the share that copies a 6-word run from either corpus folder (an exact check
against the text, not the shipped hashes), distinct lines, fallback use, per voice.

.venv/bin/python bench/quotes_bench.py [N]      (N quotes per measurement, default 1000)
"""

from __future__ import annotations

import multiprocessing as mp
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "corpus-more"]
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def corpus_windows() -> set[str]:
    out: set[str] = set()
    for d in CORPUS:
        for p in sorted(d.glob("*.txt")):
            for para in p.read_text(encoding="utf-8").splitlines():
                ws = _words(para)
                out.update(" ".join(ws[i : i + 6]) for i in range(len(ws) - 5))
    return out


def _burn(stop) -> None:
    x = np.random.default_rng(0).random((400, 400))
    while not stop.is_set():
        x = x @ x
        x /= np.abs(x).max()


def timed(gen, seeds, voice: str) -> tuple[list, list[float]]:
    quotes, ms = [], []
    for seed in seeds:
        t = time.perf_counter()
        quotes.append(gen.generate(seed, voice=voice))
        ms.append((time.perf_counter() - t) * 1000)
    return quotes, ms


def main(n: int = 1000) -> None:
    torch.set_num_threads(1)
    from bot.quotes.aphorism import AphorismGenerator
    from bot.quotes.voices import VOICE_NAMES

    t0 = time.perf_counter()
    gen = AphorismGenerator.load(ROOT / "quotes" / "v2")
    print(f"model {gen.model_id}: load {(time.perf_counter() - t0) * 1000:.0f} ms")
    quotes, ms = timed(gen, range(n), "any")
    print(f"quiet, one thread, {n} quotes: median {np.median(ms):.0f} ms, "
          f"p95 {np.percentile(ms, 95):.0f} ms, max {max(ms):.0f} ms")  # fmt: skip
    stop = mp.Event()
    busy = mp.Process(target=_burn, args=(stop,), daemon=True)
    busy.start()
    try:
        _, busy_ms = timed(gen, range(n, n + 200), "any")
    finally:
        stop.set()
        busy.join()
    print(f"beside a busy process, 200 quotes: median {np.median(busy_ms):.0f} ms, "
          f"p95 {np.percentile(busy_ms, 95):.0f} ms")  # fmt: skip
    windows = corpus_windows()
    for voice in VOICE_NAMES:
        qs = quotes if voice == "any" else timed(gen, range(n), voice)[0]
        copies = sum(
            any(" ".join(ws[i : i + 6]) in windows for i in range(len(ws) - 5))
            for ws in (_words(q.text) for q in qs)
        )
        engines = Counter(q.engine for q in qs)
        distinct = len({q.text for q in qs})
        print(f"{voice:9s} {n} quotes: {copies} copy a 6-word corpus run, {distinct} distinct, "
              f"{dict(engines)}")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
