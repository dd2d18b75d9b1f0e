"""Animated loops (issue 16): a 4 s, 24 fps, 512x512 loop of the default network.

    python bench/motion_bench.py [--size 512x512] [--seconds 4] [--fps 24] [--hd]

Rows: the frames rendered batched (Loop.stream, its default batch) and one by one (batch 1), in
the same run; the whole `animate` (render + quote overlay + encode to MP4) against the batched
render alone; the MP4's bytes; the peak RSS of `cppn-bot animate` in a fresh process (with --hd
also a 1920x1080 loop, through the byte-limit fallback where it needs it).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.art import Recipe, Renderer  # noqa: E402
from bot.art.code import format_code  # noqa: E402
from bot.compose import Compositor  # noqa: E402
from bot.motion.animate import AnimateSpec, animate  # noqa: E402
from bot.motion.loop import Loop  # noqa: E402
from bot.pipeline import Pipeline  # noqa: E402

QUOTE = "My neural network wants to be a painter when it grows up."


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _cli_peak(code: str, size: str, seconds: float, fps: int, out: Path) -> tuple[float, str]:
    """Peak RSS (MiB) of one `cppn-bot animate` in a fresh process, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    argv = [sys.executable, "-m", "bot", "animate", code, "--size", size, "--seconds",
            str(seconds), "--fps", str(fps), "--quote", QUOTE, "-o", str(out)]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(peak, before) / 1024, proc.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="512x512")
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--fps", type=int, default=24)
    ap.add_argument("--seed", type=int, default=20240917)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--hd", action="store_true", help="also a 1920x1080 loop's peak RSS and size")
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.split("x"))
    recipe = Recipe(seed=a.seed, w=w, h=h, quote="none")  # the default network
    frames = round(a.seconds * a.fps)
    renderer = Renderer.create(a.device)
    loop = Loop.of(recipe, frames)
    print(f"{w}x{h}, {frames} frames, {renderer.device}, {renderer.budget.cores} cores, "
          f"batch {loop.batch_size()}")  # fmt: skip
    loop.render(renderer, [0])  # warm up
    batched = _timed(lambda: list(loop.stream(renderer)))
    single = _timed(lambda: list(loop.stream(renderer, batch=1)))
    print(f"render batched      {batched:7.2f} s  ({frames / batched:5.1f} frames/s)")
    print(f"render one by one   {single:7.2f} s  ({frames / single:5.1f} frames/s)")
    print(f"batched speed-up    {single / batched:7.2f} x")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "loop.mp4"
        spec = AnimateSpec(recipe, seconds=a.seconds, fps=a.fps, custom_quote=QUOTE)
        pipeline = Pipeline(renderer, Compositor(), None)
        box: dict = {}
        total = _timed(lambda: box.setdefault("done", animate(spec, out, pipeline)))
        done = box["done"]
        t = done.timings
        stages = ", ".join(f"{k} {t[k]:.2f}" for k in ("render", "compose", "encode"))
        print(f"animate (mp4)       {total:7.2f} s  = {total / batched:.2f} x the render alone "
              f"({stages})")  # fmt: skip
        print(f"mp4                 {done.size_bytes / 2**20:7.2f} MiB {done.note}")
        code = format_code(recipe)
        peak, _ = _cli_peak(code, a.size, a.seconds, a.fps, Path(tmp) / "cli.mp4")
        print(f"peak RSS (cli)      {peak:7.0f} MiB")
        if a.hd:
            peak, said = _cli_peak(code, "1920x1080", a.seconds, a.fps, Path(tmp) / "hd.mp4")
            print(f"1080p peak RSS      {peak:7.0f} MiB")
            print("1080p: " + " | ".join(said.splitlines()[:2]))


if __name__ == "__main__":
    main()
